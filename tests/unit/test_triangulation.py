"""The "under the radar" classes: thresholds from methodology data (schema-checked), each class
reached by hand-made counts, the windows, rising by ratio and by direction, disclosure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.methodology import triangulation
from wijkradar.methodology.cache import load_cached
from wijkradar.ops.partners.radar import classify, summary, trend
from wijkradar.store.ops_context import WijkFigures

CONFIG = triangulation.load()
M = "2026-11"


def _wijk(code: str, stacking: int, flags: tuple[str, ...] = ()) -> WijkFigures:
    return WijkFigures(code, code, "GM9801", stacking, flags, 1000.0)


def _counts(
    *entries: tuple[str, str, str, int, int],
) -> dict[tuple[str, str, str], tuple[int, int]]:
    return {(w, m, k): (n, more) for w, m, k, n, more in entries}


def test_thresholds_are_methodology_data_with_a_schema(tmp_path: Path) -> None:
    assert CONFIG.high_stacking == 3 and CONFIG.windows == (3, 6, 12)
    assert len(CONFIG.groups) == 12 and CONFIG.groups[6].id == "long_covid"
    assert len(load_cached().risk_characteristics) == 12
    root = Path(triangulation.default_root())
    copy = tmp_path / "methodology"
    shutil.copytree(root, copy)
    path = triangulation.find(copy)
    path.write_text(path.read_text().replace("high_stacking: 3", "high_stacking: 30"))
    with pytest.raises(InputError, match="high_stacking"):
        triangulation.load(root=copy)


def test_each_class_from_hand_made_counts() -> None:
    wijken = {
        "WK1": _wijk("WK1", 4),  # high, 3 signals in 6 months -> known and signalled
        "WK2": _wijk("WK2", 5),  # high, 2 signals -> under the radar
        "WK3": _wijk("WK3", 1),  # low, rising -> emerging
        "WK4": _wijk("WK4", 2),  # low, steady -> quiet
    }
    counts = _counts(
        ("WK1", "2026-11", "*", 1, 0),
        ("WK1", "2026-06", "*", 2, 0),
        ("WK2", "2026-10", "*", 2, 0),
        ("WK2", "2026-04", "*", 9, 0),  # outside the 6-month window
        ("WK3", "2026-10", "*", 4, 0),
        ("WK3", "2026-05", "*", 1, 0),
        ("WK4", "2026-10", "*", 3, 0),
        ("WK4", "2026-07", "*", 3, 0),
        ("WK4", "2026-05", "*", 3, 0),
        ("WK4", "2026-03", "*", 3, 0),
    )
    rows = {r.code: r for r in classify(wijken, counts, M, CONFIG)}
    assert {c: r.klass for c, r in rows.items()} == {
        "WK1": "known_signalled",
        "WK2": "under_the_radar",
        "WK3": "emerging",
        "WK4": "quiet",
    }
    assert summary(rows.values()) == {
        "known_signalled": 1,
        "under_the_radar": 1,
        "emerging": 1,
        "quiet": 1,
    }
    # WK4: 3 recent against 9 in the 9 before: 1.0/month is not 1.5 x 1.0/month
    assert not rows["WK4"].rising and rows["WK3"].rising


def test_windows_and_disclosure() -> None:
    counts = _counts(
        *(("WK1", f"2026-{m:02d}", "*", 2, 0) for m in range(1, 12)),
        ("WK1", "2025-12", "*", 2, 0),
        ("WK1", "2025-11", "*", 50, 0),  # 13 months back: outside every window
    )
    t = trend(counts, "WK1", "*", M, CONFIG)
    assert t.windows == {3: 6, 6: 12, 12: 24}
    (row,) = classify({"WK1": _wijk("WK1", 0)}, counts, M, CONFIG)
    assert row.windows == {3: None, 6: 10, 12: 25}  # 6 hidden, 12 and 24 rounded


def test_rising_by_the_partners_own_direction() -> None:
    # a new partner: no baseline, but most say "more than usual"
    counts = _counts(("WK1", "2026-11", "*", 3, 2))
    (row,) = classify({"WK1": _wijk("WK1", 0)}, counts, M, CONFIG)
    assert row.klass == "emerging"
    few = _counts(("WK1", "2026-11", "*", 2, 2))  # below min_recent
    (row,) = classify({"WK1": _wijk("WK1", 0)}, few, M, CONFIG)
    assert row.klass == "quiet"


def test_per_characteristic_and_arrears() -> None:
    counts = _counts(
        ("WK1", "2026-11", "*", 12, 0),
        ("WK1", "2026-11", "financial_buffer", 12, 0),
        ("WK1", "2026-11", "age", 2, 0),
    )
    wijk = _wijk("WK1", 3, ("financial_buffer",))
    (row,) = classify({"WK1": wijk}, counts, M, CONFIG, ["financial_buffer", "age"], {"WK1": 25})
    assert row.characteristics["financial_buffer"] == (True, 10, True)
    assert row.characteristics["age"] == (False, None, False)
    assert row.arrears_per_1000 == 25.0 and row.arrears_high
    (few,) = classify({"WK1": wijk}, counts, M, CONFIG, (), {"WK1": 4})
    assert few.arrears_per_1000 is None  # 4 households are never shown as a rate


def test_the_radar_shows_each_wijk_as_part_of_its_gemeente_family() -> None:
    """The gemeente's count (on its public profile) is the sum of its wijken's: 38 = 12 + 17 + 9
    released one by one as 40, 10, 15 and hidden pins the third wijk to 9. On the radar the
    smallest shown wijk is hidden too, for one wijk's page as for the gemeente's."""
    counts = _counts(
        *(
            entry
            for w, n in (("WK1", 12), ("WK2", 17), ("WK3", 9))
            for entry in ((w, M, "*", n, 0), (w, M, "age", n, 0))
        )
    )
    wijken = {w: _wijk(w, 0) for w in ("WK1", "WK2", "WK3")}
    rows = {r.code: r for r in classify(wijken, counts, M, CONFIG, ["age"])}
    assert [r.windows[3] for r in rows.values()] == [None, 15, None]
    assert [r.characteristics["age"][1] for r in rows.values()] == [None, 15, None]
    (alone,) = classify({"WK1": wijken["WK1"]}, counts, M, CONFIG, ["age"])
    assert alone.windows == {3: None, 6: None, 12: None}
    assert rows["WK1"].signalled  # the class still comes from the counts themselves
