"""Differencing windows of one area (issue 7): the profile's "Signalen van partners" panel, the
radar pages and /api/v1/partner-signals/{code} show a wijk's and its gemeente's signals in the
last 3, 6 and 12 months. A reader subtracts windows (6 minus 3 months is months 4-6) as well as
wijken from their gemeente; ops/partners/radar.released_windows releases them together."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkradar.compute import disclosure
from wijkradar.ops.partners.radar import released_windows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reader import consistent, possible_values

SPANS = (3, 6, 12)
BACK = [f"2026-{12 - i:02d}" for i in range(12)]


def _counts(plan: dict[str, tuple[int, int, int]]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Signals per wijk in months 1-3, 4-6 and 7-12 (each slice in its first month)."""
    out = {}
    for wijk, slices in plan.items():
        for start, n in zip((0, 3, 6), slices, strict=True):
            if n:
                out[(wijk, BACK[start], "*")] = (n, 0)
    return out


def _raw(plan: dict[str, tuple[int, int, int]]) -> dict[tuple[str, str, int], int]:
    raw: dict[tuple[str, str, int], int] = {}
    for area, slices in [*plan.items(), ("*", tuple(map(sum, zip(*plan.values(), strict=True))))]:
        for i, span in enumerate(SPANS):
            raw[(area, "window", span)] = sum(slices[: i + 1])
            if i:
                raw[(area, "slice", span)] = slices[i]
    return raw


def _reader(
    plan: dict[str, tuple[int, int, int]],
    released: dict[tuple[str, str, int], int | None],
    ceiling: int,
) -> dict[object, set[int]]:
    """What a reader of every window of the gemeente and its wijken can infer of each figure,
    the never-shown slices included. A window without signals is a known zero."""
    raw = _raw(plan)
    known = [c for c, v in raw.items() if c[1] == "window" and v == 0]
    known += [(a, "slice", s) for (a, _k, s) in known if (a, "slice", s) in raw]
    # zeros are known, so a window that is not one holds at least one signal
    positive = [c for c, v in raw.items() if c[1] == "window" and v]
    check = consistent(released, raw, known, positive)
    wijken = sorted(plan)

    def cells(area: str, slices: tuple[int, ...]) -> dict[object, int]:
        out: dict[object, int] = {}
        for i, span in enumerate(SPANS):
            out[(area, "window", span)] = sum(slices[: i + 1])
            if i:
                out[(area, "slice", span)] = slices[i]
        return out

    def total(summed: tuple[int, ...]) -> dict[object, int]:
        return cells("*", summed)

    grid = [range(ceiling)] * len(SPANS)
    return possible_values(
        [itertools.product(*grid) for _ in wijken],
        lambda i, slices: cells(wijken[i], slices),
        total,
        check,
    )


def _released(plan: dict[str, tuple[int, int, int]]) -> dict[tuple[str, str, int], int | None]:
    out = released_windows(_counts(plan), "*", BACK, SPANS)
    figures: dict[tuple[str, str, int], int | None] = {}
    for span, (parent, wijken) in out.items():
        figures[("*", "window", span)] = parent
        for wijk, shown in wijken.items():
            figures[(wijk, "window", span)] = shown
    return figures


def _each_window_alone(
    plan: dict[str, tuple[int, int, int]],
) -> dict[tuple[str, str, int], int | None]:
    """The rule before: each window its own family of the gemeente over its wijken."""
    figures: dict[tuple[str, str, int], int | None] = {}
    raw = _raw(plan)
    for span in SPANS:
        wijken = [w for w in sorted(plan) if raw[(w, "window", span)]]
        parent, shown = disclosure.release_family(
            raw[("*", "window", span)], [raw[(w, "window", span)] for w in wijken]
        )
        figures[("*", "window", span)] = parent
        figures.update({(w, "window", span): s for w, s in zip(wijken, shown, strict=True)})
    return figures


def _assert_nothing_pinned(plan: dict[str, tuple[int, int, int]], ceiling: int) -> None:
    released = _released(plan)
    assert all(v is None or (v >= 10 and v % 5 == 0) for v in released.values())
    raw = _raw(plan)
    empty = {(a, s) for (a, kind, s), v in raw.items() if kind == "window" and v == 0}
    for cell, values in _reader(plan, released, ceiling).items():
        assert raw[cell] in values
        if released.get(cell) is None and (cell[0], cell[2]) not in empty:
            assert len(values) >= 2, (plan, cell, values, released)


# wijk A: 5 signals in months 1-3, 4 in 4-6, 6 in 7-12 (6 months: 9, hidden); B: 12 and C: 17,
# all in months 1-3
PLAN = {"A": (5, 4, 6), "B": (12, 0, 0), "C": (17, 0, 0)}


def test_a_hidden_wijk_was_found_from_its_neighbours_windows() -> None:
    """Each window released as its own family: 6 months hides A (9) and B (12, to protect A),
    shows C 15 and the gemeente 40. But B's 3 and 12 months are both shown as 10, so B's 6
    months lie in 10-12, and 40 - 15 - (10..12) pins A's 6 months to 9."""
    before = _each_window_alone(PLAN)
    assert before[("A", "window", 6)] is None and before[("B", "window", 6)] is None
    assert before[("B", "window", 3)] == before[("B", "window", 12)] == 10
    seen = _reader(PLAN, before, 30)
    assert seen[("A", "window", 6)] == {9}


def test_released_together_no_window_or_difference_is_pinned() -> None:
    after = _released(PLAN)
    seen = _reader(PLAN, after, 30)
    assert len(seen[("A", "window", 6)]) >= 2
    _assert_nothing_pinned(PLAN, 30)


def test_the_profile_family_of_one_month_keeps_the_gemeente() -> None:
    """All signals in one month (the three windows equal): the wijk hidden to protect its
    sibling is hidden in every window, the gemeente's 40 stays, and no slice is pinned."""
    plan = {"C": (12, 0, 0), "N": (17, 0, 0), "T": (9, 0, 0)}
    released = _released(plan)
    assert [released[("*", "window", s)] for s in SPANS] == [40, 40, 40]
    assert [released[("C", "window", s)] for s in SPANS] == [None] * 3
    _assert_nothing_pinned(plan, 30)


SLICE = st.one_of(st.integers(0, 9), st.integers(10, 13))


@settings(max_examples=60, deadline=None)
@given(plan=st.lists(st.tuples(SLICE, SLICE, SLICE), min_size=1, max_size=3))
def test_random_windows_pin_nothing(plan: list[tuple[int, int, int]]) -> None:
    """Random slices for up to three wijken: every hidden window and every never-shown
    difference keeps at least two values open to a reader of all windows of the gemeente and
    its wijken."""
    if any(map(any, plan)):
        _assert_nothing_pinned({f"W{i}": p for i, p in enumerate(plan)}, 18)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(st.tuples(SLICE, SLICE, SLICE), min_size=1, max_size=3),
    served=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_the_white_spot_total_pins_no_row(
    rows: list[tuple[int, int, int]], served: list[bool]
) -> None:
    """One wijk, up to three characteristics with random slices: the signal panel's windows per
    characteristic (released_windows) and the white-spot panel's 12-month total and unmet part
    (released_gaps) together leave every hidden figure at least two values."""
    from wijkradar.ops.partners.radar import released_gaps

    keys = [f"k{i}" for i in range(len(rows))]
    counts: dict[tuple[str, str, str], tuple[int, int]] = {}
    for key, slices in zip(keys, rows, strict=True):
        for start, n in zip((0, 3, 6), slices, strict=True):
            if n:
                counts[("W", BACK[start], key)] = (n, 0)
    if not counts:
        return
    unserved = {k for k, s in zip(keys, served, strict=False) if not s}
    gaps = released_gaps(counts, BACK, SPANS, 12, unserved)
    released: dict[object, int | None] = {}
    raw: dict[object, int] = {}
    known: list[object] = []

    def cells(key: str, leaves: tuple[int, ...]) -> dict[object, int]:
        out: dict[object, int] = {}
        for area in ("*", "W"):
            for i, span in enumerate(SPANS):
                out[(key, area, span)] = sum(leaves[: i + 1])
        return out

    for key, slices in zip(keys, rows, strict=True):
        if not any(slices):
            continue
        for span, (parent, shown) in released_windows(counts, key, BACK, SPANS).items():
            released[(key, "*", span)] = parent
            released[(key, "W", span)] = shown.get("W")
        raw |= cells(key, slices)
        known += [c for c, v in cells(key, slices).items() if v == 0]
    present = [(k, s) for k, s in zip(keys, rows, strict=True) if any(s)]
    for area in ("*", "W"):
        released[("signals", area)] = gaps[("signals", area)]
        released[("unmet", area)] = gaps[("unmet", area)]
        raw[("signals", area)] = sum(sum(s) for _k, s in present)
        raw[("unmet", area)] = sum(sum(s) for k, s in present if k in unserved)
        if not any(k in unserved for k, _s in present):
            known.append(("unmet", area))  # no row without an initiative: none unmet, known

    def local(i: int, leaves: tuple[int, ...]) -> dict[object, int]:
        return cells(present[i][0], leaves[:3])

    def total(summed: tuple[int, ...]) -> dict[object, int]:
        return {(f, a): summed[3 + j] for j, f in enumerate(("signals", "unmet")) for a in "*W"}

    grid = list(itertools.product(range(18), repeat=3))
    seen = possible_values(
        [
            [(*g, sum(g), sum(g) if k in unserved else 0) for g in grid if any(g)]
            for k, _s in present
        ],
        local,
        total,
        consistent(released, raw, known, [c for c, v in raw.items() if v]),
    )
    for cell, values in seen.items():
        assert raw[cell] in values
        if released.get(cell) is None and cell not in known:
            assert len(values) >= 2, (rows, served, cell, values, released)
