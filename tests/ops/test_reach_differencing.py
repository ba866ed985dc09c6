"""Differencing the early-signal figures (issue 7), over a real store (SQLite and PostgreSQL):
the reach page's households beside their reached share, the registers report's gemeente totals,
and the national overview's totals against the gemeenten's. A brute-force reader
(tests/property/reader.py) tries every set of true counts that agrees with what was shown."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from ops_helpers import COORD_A, GM_A
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.compute import disclosure
from wijkradar.ops.arrears import reach
from wijkradar.ops.core.models import ReachAggregate
from wijkradar.registers import report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "property"))
from reader import consistent, possible_values

# wijk, month, households, reached, accepted
CELLS = (("WK980101", "2026-02", 14, 12, 0), ("WK980102", "2026-02", 17, 17, 0))


def _aggregate(gemeente: str, wijk: str, month: str, n: int, reached: int, accepted: int) -> list:
    return [
        ReachAggregate(
            gemeente_code=gemeente,
            wijk_code=wijk,
            month=month,
            partner_kind=kind,
            signals=n,
            households=n,
            reached=reached,
            accepted=accepted,
        )
        for kind in ("huur", "*")
    ]


def _seed(factory: sessionmaker[Session], rows: list) -> None:
    with factory() as session, session.begin():
        session.add_all(rows)


def _page_reader(
    households: dict[str, int | None], pcts: dict[str, int | None]
) -> dict[str, set[tuple[int, int]]]:
    """(households, reached) per wijk that agree with a page showing the rounded households
    and the reached share computed from the exact counts (the rule before)."""
    out = {}
    for wijk, shown in households.items():
        out[wijk] = {
            (h, r)
            for h in range(40)
            for r in range(h + 1)
            if disclosure.disclose_count(h) == shown and round(100 * r / h) == pcts[wijk]
        }
    return out


def test_a_reached_share_beside_households_gave_the_unreached_away(
    ops_factory: sessionmaker[Session],
) -> None:
    """Before: 14 households shown as 15 beside 86 % reached, a share of the exact 12 of 14.
    No other pair near 15 gives 86 %, so the reader had 2 households not reached, exactly."""
    before = _page_reader({"WK980101": 15}, {"WK980101": round(100 * 12 / 14)})
    assert {h - r for h, r in before["WK980101"]} == {2}
    _seed(ops_factory, [a for c in CELLS for a in _aggregate(GM_A, *c)])
    with ops_factory() as session:
        rows = {r.wijk: r for r in reach.report(session, COORD_A, GM_A, {})}
        released = reach.released_households(reach.counts(session, GM_A))
        gemeente = report._reach(session, GM_A)
    figures = released.values
    # now the share is of the released counts: it says no more than they do
    for wijk, month, *_ in CELLS:
        h, r = figures[("households", wijk, month)], figures[("reached", wijk, month)]
        assert rows[wijk].households == h
        assert rows[wijk].reached_pct == (None if h is None or r is None else round(100 * r / h))
    assert gemeente is not None
    assert gemeente["households"] == figures[("households", "*", "*")]
    assert gemeente["reached"] == figures[("reached", "*", "*")]
    _assert_reader_pins_nothing(figures)


def _assert_reader_pins_nothing(figures: dict[tuple[str, ...], int | None]) -> None:
    """A reader of the reach page (households, reached and accepted per wijk and month) and the
    gemeente report (households, reached) keeps at least two values for every hidden figure,
    the unreached and not accepted included."""
    raw: dict[tuple[str, ...], int] = {}
    totals = [0] * 3
    for wijk, month, h, r, a in CELLS:
        raw.update(_cell(wijk, month, (r, h - r, a)))
        totals = [x + y for x, y in zip(totals, (r, h - r, a), strict=True)]
    raw.update(_cell("*", "*", tuple(totals)))
    check = consistent(figures, raw, ())
    ceiling = 25
    seen = possible_values(
        [
            [t for t in itertools.product(range(ceiling), repeat=3) if t[2] <= t[0] + t[1]]
            for _ in CELLS
        ],
        lambda i, leaves: _cell(CELLS[i][0], CELLS[i][1], leaves),
        lambda summed: _cell("*", "*", summed),
        check,
    )
    for key, values in seen.items():
        assert raw[key] in values
        if figures.get(key) is None:
            assert len(values) >= 2, (key, values)


def _cell(wijk: str, month: str, leaves: tuple[int, ...]) -> dict[tuple[str, ...], int]:
    reached, unreached, accepted = leaves
    households = reached + unreached
    return {
        ("households", wijk, month): households,
        ("reached", wijk, month): reached,
        ("unreached", wijk, month): unreached,
        ("accepted", wijk, month): accepted,
        ("not_accepted", wijk, month): households - accepted,
    }


GEMEENTEN = {"GM9801": 12, "GM9802": 17, "GM9803": 9}


def test_the_national_total_no_longer_pins_a_gemeente(
    ops_factory: sessionmaker[Session],
) -> None:
    """Signals 12, 17 and 9 in three gemeenten: their reports show 10, 15 and "< 10"; the
    national overview's 40 (38, released alone before) pinned the third to 9. Released
    together, the national figure is hidden (a gemeente's would hide its whole reach page),
    the gemeenten's stay as their own pages show them."""
    rows = [
        a
        for code, n in GEMEENTEN.items()
        for a in _aggregate(code, f"WK{code[2:]}01", "2026-03", n, 0, 0)
    ]
    _seed(ops_factory, rows)
    shown = {code: disclosure.disclose_count(n) for code, n in GEMEENTEN.items()}
    before = disclosure.disclose_count(sum(GEMEENTEN.values()))
    raw = {("signals", code): n for code, n in GEMEENTEN.items()}
    raw[("signals", "NL")] = sum(GEMEENTEN.values())

    def pinned(national: int | None) -> dict[object, set[int]]:
        released = {("signals", c): v for c, v in shown.items()} | {("signals", "NL"): national}
        return possible_values(
            [[(v,) for v in range(40)] for _ in GEMEENTEN],
            lambda i, leaves: {("signals", list(GEMEENTEN)[i]): leaves[0]},
            lambda summed: {("signals", "NL"): summed[0]},
            consistent(released, raw, ()),
        )

    assert pinned(before)[("signals", "GM9803")] == {9}
    with ops_factory() as session:
        national = report._reach(session, None)
        per = {code: report._reach(session, code) for code in GEMEENTEN}
    assert national is not None and national["signals"] is None
    assert {code: (r or {}).get("signals") for code, r in per.items()} == shown
    assert len(pinned(national["signals"])[("signals", "GM9803")]) >= 2
    # households and reached: the same (households = signals here, none reached)
    assert national["households"] is None


MONTHS = {"2026-01": 12, "2026-02": 17, "2026-03": 9}
# the radar's arrears windows (12 months) over these months: up to Jan, up to Feb, up to Mar
# (to Dec), then without Jan, then Mar alone
WINDOWS = {
    "2026-01": ("2026-01",),
    "2026-02": ("2026-01", "2026-02"),
    "2026-03": tuple(MONTHS),
    "2027-01": ("2026-02", "2026-03"),
    "2027-02": ("2026-03",),
}


def _window_reader(
    months: dict[str, int | None], windows: dict[str, int | None]
) -> dict[object, set[int]]:
    """Households per month (reach page) and per 12-month window (radar), all months of one
    wijk: what a reader can infer of each month."""
    raw: dict[object, int] = {("m", m): n for m, n in MONTHS.items()}
    raw |= {("w", end): sum(MONTHS[m] for m in inside) for end, inside in WINDOWS.items()}
    released = {("m", m): v for m, v in months.items()} | {("w", e): v for e, v in windows.items()}
    ends = list(WINDOWS)

    def local(i: int, leaves: tuple[int, ...]) -> dict[object, int]:
        month = list(MONTHS)[i]
        return {("m", month): max(leaves)}

    def spread(month: str) -> list[tuple[int, ...]]:
        return [tuple(h if month in WINDOWS[e] else 0 for e in ends) for h in range(1, 30)]

    return possible_values(
        [spread(m) for m in MONTHS],
        local,
        lambda summed: {("w", e): v for e, v in zip(ends, summed, strict=True)},
        consistent(released, raw, ()),
    )


def test_the_radar_arrears_window_no_longer_pins_a_month(
    ops_factory: sessionmaker[Session],
) -> None:
    """Households 12, 17 and 9 in three months of one wijk: the reach page shows 10, 15 and
    "< 10", and the radar's arrears per 1,000 households for March came from the 12-month
    count 38, released alone as 40 - which pinned March to 9."""
    from wijkradar.ops.partners import web as partner_web

    before_months = {m: disclosure.disclose_count(n) for m, n in MONTHS.items()}
    before_windows = {
        e: disclosure.disclose_count(sum(MONTHS[m] for m in inside))
        for e, inside in WINDOWS.items()
    }
    assert _window_reader(before_months, before_windows)[("m", "2026-03")] == {9}
    _seed(
        ops_factory,
        [a for m, n in MONTHS.items() for a in _aggregate(GM_A, "WK980101", m, n, 0, 0)],
    )
    with ops_factory() as session:
        rows = {r.month: r for r in reach.report(session, COORD_A, GM_A, {})}
        windows = {e: partner_web._arrears(session, GM_A, e, 12).get("WK980101") for e in WINDOWS}
    months = {m: rows[m].households for m in MONTHS}
    assert months["2026-03"] is None
    seen = _window_reader(months, windows)
    for month in MONTHS:
        if months[month] is None:
            assert len(seen[("m", month)]) >= 2, (month, seen[("m", month)], months, windows)


def test_months_known_to_have_signals_are_not_pinned(ops_factory: sessionmaker[Session]) -> None:
    """A month has a row on the reach page only with signals, so a reader knows each hidden
    month holds 1-9, not 0-9. Months 1, 1 and 10 of a wijk released as a family that assumed
    0-9: the total's 10 beside the third month's 10 left the other two at 0-2 together, both
    1. Now the family knows the rows exist and hides the rest."""
    before_parent, before = disclosure.release_family(12, [1, 1, 10])
    assert (before_parent, before) == (10, [None, None, 10])
    pairs = {
        (a, b)
        for a in range(1, 10)
        for b in range(1, 10)
        for c in range(10, 13)
        if disclosure.disclose_count(a + b + c) == 10 and disclosure.disclose_count(c) == 10
    }
    assert pairs == {(1, 1)}
    _seed(
        ops_factory,
        [
            a
            for m, n in (("2026-01", 1), ("2026-02", 1), ("2026-03", 10))
            for a in _aggregate(GM_A, "WK980101", m, n, 0, 0)
        ],
    )
    with ops_factory() as session:
        rows = {r.month: r for r in reach.report(session, COORD_A, GM_A, {})}
        totals = reach.wijk_totals(session, COORD_A, GM_A)
    assert [rows[m].signals for m in ("2026-01", "2026-02", "2026-03")] == [None] * 3
    assert totals == {"WK980101": None}
