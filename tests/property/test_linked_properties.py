"""Random early-signal figures released by ops/arrears/reach (households with their reached and
accepted parts, national totals over gemeenten) against a brute-force reader (reader.py): every
hidden or never-shown figure keeps at least two values open."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkradar.ops.arrears.reach import ALL, Counts, released_gemeenten, released_households

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reader import consistent, possible_values

SMALL_OR_NOT = st.one_of(st.integers(0, 9), st.integers(10, 14))
# per cell: reached, not reached, accepted (at most the households)
CELL = st.tuples(SMALL_OR_NOT, SMALL_OR_NOT, SMALL_OR_NOT).filter(lambda t: t[2] <= t[0] + t[1])


def _figures(wijk: str, leaves: tuple[int, ...]) -> dict[object, int]:
    reached, unreached, accepted = leaves
    households = reached + unreached
    return {
        ("households", wijk, "2026-01"): households,
        ("reached", wijk, "2026-01"): reached,
        ("unreached", wijk, "2026-01"): unreached,
        ("accepted", wijk, "2026-01"): accepted,
        ("not_accepted", wijk, "2026-01"): households - accepted,
    }


def _gemeente(leaves: tuple[int, ...]) -> dict[object, int]:
    return {(f, "*", "*"): v for (f, _w, _m), v in _figures("*", leaves).items()}


@settings(max_examples=30, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=2))
def test_households_and_their_parts_pin_nothing(cells: list[tuple[int, int, int]]) -> None:
    wijken = [f"WK00010{i}" for i in range(len(cells))]
    data = {}
    for wijk, (r, u, a) in zip(wijken, cells, strict=True):
        data[(wijk, "2026-01", ALL)] = Counts(r + u, r + u, r, a)
    out = released_households(data)
    raw: dict[object, int] = {}
    for wijk, leaves in zip(wijken, cells, strict=True):
        raw.update(_figures(wijk, leaves))
    raw.update(_gemeente(tuple(map(sum, zip(*cells, strict=True)))))
    assert all(v is None or (v >= 10 and v % 5 == 0) for v in out.values.values())
    grid = [t for t in itertools.product(range(20), repeat=3) if t[2] <= t[0] + t[1]]
    seen = possible_values(
        [grid] * len(cells),
        lambda i, leaves: _figures(wijken[i], leaves),
        _gemeente,
        consistent(
            dict(out.values), raw, (), [k for k, v in raw.items() if k[0] == "households" and v]
        ),
    )
    for key, values in seen.items():
        assert raw[key] in values
        if out.values[key] is None:
            assert len(values) >= 2, (cells, key, values)


# per gemeente: signals, households reached, not reached
GEMEENTE = st.tuples(st.integers(1, 16), SMALL_OR_NOT, SMALL_OR_NOT).filter(lambda t: t[1] + t[2])


@settings(max_examples=30, deadline=None)
@given(gemeenten=st.lists(GEMEENTE, min_size=1, max_size=3))
def test_national_totals_pin_no_gemeente(gemeenten: list[tuple[int, int, int]]) -> None:
    """Each gemeente one wijk and month; its report shows signals, households and reached; the
    national overview their sums. No gemeente figure changes for the national ones."""
    codes = [f"GM980{i}" for i in range(len(gemeenten))]
    per = {
        code: {("WK", "2026-01", ALL): Counts(s, r + u, r, 0)}
        for code, (s, r, u) in zip(codes, gemeenten, strict=True)
    }
    national, own = released_gemeenten(per)
    assert national is not None
    released: dict[object, int | None] = {}
    raw: dict[object, int] = {}
    for code, (s, r, u) in zip(codes, gemeenten, strict=True):
        alone = released_gemeenten({code: per[code]})[1][code]
        assert own[code] == alone
        released |= {("signals", code): alone.signals, ("households", code): alone.households}
        released[("reached", code)] = alone.reached
        raw |= _gemeente_cells(code, (s, r, u))
    released |= {
        ("signals", "NL"): national.signals,
        ("households", "NL"): national.households,
        ("reached", "NL"): national.reached,
    }
    raw |= _gemeente_cells("NL", tuple(map(sum, zip(*gemeenten, strict=True))))
    seen = possible_values(
        [list(itertools.product(range(1, 20), range(20), range(20)))] * len(codes),
        lambda i, leaves: _gemeente_cells(codes[i], leaves),
        lambda summed: _gemeente_cells("NL", summed),
        consistent(released, raw, ()),
    )
    for key, values in seen.items():
        assert raw[key] in values
        if released.get(key) is None:
            assert len(values) >= 2, (gemeenten, key, values, released)


def _gemeente_cells(code: str, leaves: tuple[int, ...]) -> dict[object, int]:
    signals, reached, unreached = leaves
    return {
        ("signals", code): signals,
        ("households", code): reached + unreached,
        ("reached", code): reached,
        ("unreached", code): unreached,
    }
