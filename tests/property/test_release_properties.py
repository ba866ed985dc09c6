"""Generative checks of the one exit for a figure (reports.outgoing.release): whatever the
source kind, the indicator's unit, the unit the input declared and the level, a count from a
local or operational source leaves every channel (API figure, CLI line, page label) suppressed
or rounded; and differencing a released parent against its released children never pins down a
hidden child's count."""

from __future__ import annotations

import functools
import math
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkradar.api import views
from wijkradar.cli.scores import _indicator_value
from wijkradar.compute import disclosure
from wijkradar.reports.numbers import number
from wijkradar.reports.outgoing import release
from wijkradar.store.profiles import IndicatorDetail

KINDS = st.sampled_from(["observations", "local", "ops", "signals", "changes", ""])
UNITS = st.sampled_from(["%", "aantal", "per 1 000 inwoners", "km", "personen", "x 1 000 euro"])
DECLARED = st.lists(st.sampled_from(["aantal", "%", "huishoudens", "count", "km"]), max_size=2)
LEVELS = st.sampled_from(["gemeente", "wijk", "buurt"])
VALUES = st.one_of(
    st.integers(min_value=0, max_value=5000).map(float),
    st.floats(min_value=0, max_value=5000, allow_nan=False),
)


def _is_safe_count(value: float | None) -> bool:
    return value is None or (
        value >= disclosure.SUPPRESS_BELOW and value % disclosure.ROUND_TO == 0
    )


@given(
    value=VALUES,
    unit=UNITS,
    declared=DECLARED,
    kinds=st.lists(KINDS, min_size=1, max_size=3),
    level=LEVELS,
)
def test_counts_of_unpublished_sources_leave_every_channel_safe(
    value: float, unit: str, declared: list[str], kinds: list[str], level: str
) -> None:
    source_ids = [f"{kind or 'x'}/{level}/{i}@abc" for i, kind in enumerate(kinds)]
    kind_of = dict(zip(source_ids, kinds, strict=True))
    published = disclosure.is_published(kinds)
    count = disclosure.is_count(unit, declared)
    # the release itself
    out = release(value, unit, "ok", source_ids, kind_of, declared)
    if count and not published:
        assert _is_safe_count(out.value)
        assert (out.value is None) == (out.status == "suppressed")
    else:
        assert out.value == value
    # the API's figure (pages show its value)
    api = views.figure(value, "ok", unit, 2023, source_ids, "2026.2", kind_of, declared)
    assert api.value == out.value and api.status == out.status
    # the terminal
    detail = IndicatorDetail(
        "x",
        "X",
        unit,
        value,
        "ok",
        None,
        "direct",
        tuple(source_ids),
        None,
        None,
        None,
        published=published,
        declared_units=tuple(declared),
    )
    line = _indicator_value(detail, "nl")
    if out.value is None:
        assert line == disclosure.SUPPRESSED_TEXT["nl"]
    else:
        assert line.startswith(number(out.value, "nl", 1))


def test_a_declared_count_is_a_count_whatever_the_indicator_unit() -> None:
    local = {"gemeente/local@1": "local"}
    shown = release(7.0, "%", "ok", list(local), local, ["aantal"])
    assert shown.value is None and shown.status == "suppressed"
    assert release(12.0, "%", "ok", list(local), local, ["aantal"]).value == 10.0
    assert release(7.0, "%", "ok", list(local), local, []).value == 7.0  # a share passes
    cbs = {"CBS/85618NED/2023@x": "observations"}
    assert release(7.0, "aantal", "ok", list(cbs), cbs, ["aantal"]).value == 7.0


@given(
    children=st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=8),
    hidden=st.integers(min_value=0, max_value=9),
)
def test_differencing_a_parent_against_its_children_pins_nothing_down(
    children: list[int], hidden: int
) -> None:
    """The parent is the sum of its children (a local count per buurt and per gemeente). From
    the released figures alone, the children a reader cannot see (suppressed) are never
    determined to one value: every released count is a multiple of ROUND_TO, so the difference
    is one too, and rounding leaves at least ROUND_TO values consistent with it."""
    local = {"local/x@1": "local"}

    def out(count: int) -> float | None:
        return release(float(count), "aantal", "ok", list(local), local).value

    counts = [hidden, *children]
    parent = out(sum(counts))
    shown = [out(c) for c in counts]
    assert _is_safe_count(parent) and all(_is_safe_count(s) for s in shown)
    if parent is None or all(s is not None for s in shown):
        return
    difference = parent - sum(s for s in shown if s is not None)
    assert difference % disclosure.ROUND_TO == 0
    # every true value within rounding of each released figure is consistent with what was
    # released; the hidden total ranges over at least ROUND_TO integers
    slack = disclosure.ROUND_TO / 2 * (1 + sum(1 for s in shown if s is not None))
    low, high = math.ceil(difference - slack), math.floor(difference + slack)
    hidden_total = sum(c for c, s in zip(counts, shown, strict=True) if s is None)
    assert low <= hidden_total <= high and high - low + 1 >= disclosure.ROUND_TO


def _consistent_hidden(parent: float, shown: list[float]) -> set[int]:
    """Every value of one hidden child (0..SUPPRESS_BELOW-1) that some true counts consistent
    with the released parent and released siblings allow (what a reader can infer)."""

    def true_values(released: float) -> range:
        # disclose_count: a released r came from [r - ROUND_TO/2, r + ROUND_TO/2), at least
        # SUPPRESS_BELOW
        low = max(math.ceil(released - disclosure.ROUND_TO / 2), disclosure.SUPPRESS_BELOW)
        return range(low, math.ceil(released + disclosure.ROUND_TO / 2))

    siblings_low = sum(true_values(s)[0] for s in shown)
    siblings_high = sum(true_values(s)[-1] for s in shown)
    parent_values = true_values(parent)
    return {
        h
        for h in range(disclosure.SUPPRESS_BELOW)
        if parent_values[0] - siblings_high <= h <= parent_values[-1] - siblings_low
    }


def _possible_sums(sets: list[set[int]]) -> int:
    """Every sum of one value from each set, as a bit mask (bit n set: n is a possible sum)."""
    sums = 1
    for values in sets:
        sums = functools.reduce(operator.or_, (sums << v for v in values), 0)
    return sums


def _reader_sets(
    parent: float | None, shown: list[int | None], small: list[bool], ceiling: int
) -> list[set[int]]:
    """What a reader who knows the rules (and even which hidden child is below the threshold)
    can infer of every child's true count from the released family, by enumeration up to
    `ceiling`: the values whose release matches, whose sum some released parent allows."""

    def preimage(released: int | None) -> set[int]:
        return {v for v in range(ceiling) if disclosure.disclose_count(v) == released}

    own = [
        preimage(s) if s is not None else preimage(None) if low else set(range(10, ceiling))
        for s, low in zip(shown, small, strict=True)
    ]
    totals = set(range(ceiling * len(shown))) if parent is None else preimage(int(parent))
    out = []
    for i, values in enumerate(own):
        others = _possible_sums(own[:i] + own[i + 1 :])
        out.append({v for v in values if any(others >> (t - v) & 1 for t in totals if t >= v)})
    return out


@pytest.mark.parametrize(
    ("hidden", "siblings"),
    [(9, [12, 17]), (0, [13, 13, 13, 13])],
)
def test_differencing_never_pins_a_hidden_child_to_one_value(
    hidden: int, siblings: list[int]
) -> None:
    """Parent 38 = 12 + 17 + 9 released as 40 with children 10, 15 and one hidden pinned the
    hidden child to 9 when each figure was released alone; 52 = 4 x 13 + 0 released as 50 with
    four children of 15 pinned it to 0. Released as a family, a sibling is hidden too."""
    children = [hidden, *siblings]
    ceiling = sum(children) + 10
    alone = [disclosure.disclose_count(c) for c in children]
    before = _reader_sets(
        disclosure.disclose_count(sum(children)), alone, [True, *[False] * len(siblings)], ceiling
    )
    assert before[0] == {hidden}  # the leak the family release closes
    parent, shown = disclosure.release_family(sum(children), children)
    assert shown[0] is None and sum(s is None for s in shown) >= 2
    small = [c < disclosure.SUPPRESS_BELOW for c in children]
    sets = _reader_sets(parent, shown, small, ceiling)
    assert hidden in sets[0] and len(sets[0]) >= 2


@given(children=st.lists(st.one_of(st.integers(0, 9), st.integers(10, 45)), min_size=1, max_size=5))
def test_a_released_family_never_pins_a_hidden_count(children: list[int]) -> None:
    """Random parents (the sum) and children: every released figure is safe, every child
    below the threshold is hidden, and every hidden child keeps at least two values open to a
    reader of the whole family - or the whole family is hidden."""
    parent, shown = disclosure.release_family(float(sum(children)), [float(c) for c in children])
    assert _is_safe_count(parent) and all(_is_safe_count(s) for s in shown)
    assert all(s is None for s, c in zip(shown, children, strict=True) if c < 10)
    if parent is None and sum(children) >= disclosure.SUPPRESS_BELOW:
        assert all(s is None for s in shown)  # the parent goes last
    small = [c < disclosure.SUPPRESS_BELOW for c in children]
    sets = _reader_sets(parent, shown, small, sum(children) + 10)
    for true, released, values in zip(children, shown, sets, strict=True):
        assert true in values
        if released is None:
            assert len(values) >= 2, (children, parent, shown, values)
        # the mechanism's own reckoning agrees with the enumeration
    ranges = disclosure.feasible_ranges(parent, shown, small)
    for released, values, reckoned in zip(shown, sets, ranges, strict=True):
        if released is None and reckoned is not None:
            assert min(values) >= reckoned[0] and max(values) <= reckoned[1]


@given(
    children=st.lists(st.one_of(st.integers(0, 9), st.integers(10, 45)), min_size=1, max_size=5),
    withheld=st.lists(st.booleans(), max_size=5),
    parent_withheld=st.booleans(),
)
def test_a_family_with_figures_hidden_elsewhere_stays_safe(
    children: list[int], withheld: list[bool], parent_withheld: bool
) -> None:
    """Figures another family hid stay hidden, a parent hidden elsewhere hides its children
    (they would add up to it), and the rest is as safe as a family on its own."""
    parent, shown = disclosure.release_family(
        float(sum(children)), [float(c) for c in children], withheld, parent_withheld
    )
    if parent_withheld:
        assert parent is None and all(s is None for s in shown)
        return
    assert all(s is None for s, w in zip(shown, withheld, strict=False) if w)
    small = [c < disclosure.SUPPRESS_BELOW for c in children]
    for released, values in zip(
        shown, _reader_sets(parent, shown, small, sum(children) + 10), strict=True
    ):
        assert released is not None or len(values) >= 2


CELLS = st.dictionaries(
    st.tuples(
        st.sampled_from(["WK1", "WK2", "WK3"]), st.sampled_from(["2026-01", "2026-02", "2026-03"])
    ),
    st.dictionaries(
        st.sampled_from(["huur", "energie", "zorg"]),
        st.one_of(st.integers(1, 9), st.integers(10, 30)),
        min_size=1,
    ),
    min_size=1,
    max_size=9,
)


@given(cells=CELLS)
def test_the_reach_families_pin_nothing_down(
    cells: dict[tuple[str, str], dict[str, int]],
) -> None:
    """Random signals per wijk, month and partner kind (arrears/reach.released_signals): in each of
    the linked families (gemeente over wijken, wijk over months, month over kinds) every hidden
    figure keeps at least two values open to a reader who sees all of them."""
    from wijkradar.ops.arrears.reach import ALL, Counts, released_signals

    data: dict[tuple[str, str, str], Counts] = {}
    for (wijk, month), per_kind in cells.items():
        data[(wijk, month, ALL)] = Counts(signals=sum(per_kind.values()))
        for kind, n in per_kind.items():
            data[(wijk, month, kind)] = Counts(signals=n)
    out = released_signals(data)
    wijken = sorted(out.totals)
    raw_total = {w: sum(sum(k.values()) for (x, _m), k in cells.items() if x == w) for w in wijken}
    families = [(out.gemeente, [out.totals[w] for w in wijken], [raw_total[w] for w in wijken])]
    for w in wijken:
        own = sorted(m for (x, m) in cells if x == w)
        families.append(
            (
                out.totals[w],
                [out.cells[(w, m)] for m in own],
                [sum(cells[(w, m)].values()) for m in own],
            )
        )
        for m in own:
            kinds = sorted(out.by_kind[(w, m)])
            families.append(
                (
                    out.cells[(w, m)],
                    [out.by_kind[(w, m)][k] for k in kinds],
                    [cells[(w, m)].get(k, 0) for k in kinds],
                )
            )
    for parent, shown, raw in families:
        assert _is_safe_count(parent) and all(_is_safe_count(s) for s in shown)
        # a hidden figure is never given back by its shown children adding up to it
        assert parent is not None or all(s is None for s in shown)
        small = [r < disclosure.SUPPRESS_BELOW for r in raw]
        for true, released, values in zip(
            raw, shown, _reader_sets(parent, shown, small, sum(raw) + 10), strict=True
        ):
            assert true in values
            assert released is not None or len(values) >= 2, (parent, shown, raw)
