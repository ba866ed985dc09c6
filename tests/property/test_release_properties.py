"""Generative checks of the one exit for a figure (reports.outgoing.release): whatever the
source kind, the indicator's unit, the unit the input declared and the level, a count from a
local or operational source leaves every channel (API figure, CLI line, page label) suppressed
or rounded; and differencing a released parent against its released children never pins down a
hidden child's count."""

from __future__ import annotations

import functools
import math
import operator
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wijkradar.api import views
from wijkradar.cli.scores import _indicator_value
from wijkradar.compute import disclosure
from wijkradar.ops.arrears.reach import ALL, Counts, SignalFigures, released_signals
from wijkradar.reports.numbers import number
from wijkradar.reports.outgoing import release
from wijkradar.store.profiles import IndicatorDetail

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reader import consistent, tree_values

GEMEENTE_KEY = ("gemeente",)

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


Released = dict[tuple[str, ...], int | None]


def _signal_data(
    cells: dict[tuple[str, str], dict[str, int]],
) -> dict[tuple[str, str, str], Counts]:
    data: dict[tuple[str, str, str], Counts] = {}
    for (wijk, month), per_kind in cells.items():
        data[(wijk, month, ALL)] = Counts(signals=sum(per_kind.values()))
        for kind, n in per_kind.items():
            data[(wijk, month, kind)] = Counts(signals=n)
    return data


def _signal_figures(
    cells: dict[tuple[str, str], dict[str, int]], out: SignalFigures
) -> tuple[dict[tuple[str, ...], list[tuple[str, ...]]], dict[tuple[str, ...], int], Released]:
    """The sums of the reach figures as a tree (gemeente over wijken over months over every
    kind of the gemeente), the true counts and what released_signals showed of them."""
    kinds = sorted({k for per in cells.values() for k in per})
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {GEMEENTE_KEY: []}
    raw: dict[tuple[str, ...], int] = {GEMEENTE_KEY: 0}
    released: Released = {GEMEENTE_KEY: out.gemeente}
    for (wijk, month), per_kind in sorted(cells.items()):
        w, m = ("wijk", wijk), ("month", wijk, month)
        if w not in children:
            children[GEMEENTE_KEY].append(w)
            children[w], raw[w], released[w] = [], 0, out.totals[wijk]
        children[w].append(m)
        children[m] = [("kind", wijk, month, k) for k in kinds]
        raw[m], released[m] = sum(per_kind.values()), out.cells[(wijk, month)]
        raw[w] += raw[m]
        raw[GEMEENTE_KEY] += raw[m]
        for k in kinds:
            raw[("kind", wijk, month, k)] = per_kind.get(k, 0)
            released[("kind", wijk, month, k)] = out.by_kind[(wijk, month)][k]
    return children, raw, released


def _joint_reader(
    children: dict[tuple[str, ...], list[tuple[str, ...]]],
    raw: dict[tuple[str, ...], int],
    released: Released,
    columns: bool = False,
) -> dict[tuple[str, ...], set[int]]:
    """What a reader of every released signal count infers of each, through all the sums at
    once (reader.tree_values); a wijk or month row is known to hold at least one signal.
    `columns`: a kind is known to have signals in the month (true where a gemeente has one
    month: the page has a column per kind of the gemeente)."""
    rows = ("wijk", "month", "kind") if columns else ("wijk", "month")
    positive = [key for key, v in raw.items() if key[0] in rows and v]
    check = consistent(released, raw, (), positive)
    return tree_values(children, GEMEENTE_KEY, check, raw[GEMEENTE_KEY] + 10)


def test_a_gemeente_total_beside_its_hidden_months_no_longer_pins_them() -> None:
    """One wijk with 1, 1 and 10 signals in three months. Released family by family, the months'
    family hid all three and then the wijk's total, but the gemeente's family showed its total
    of 12 as 10: a reader who knows the wijk's rows exist puts the two small months at 1 each
    and the third at 10. Released as one set of sums, the gemeente's total goes too."""
    cells = {("WK1", "2026-01"): {"huur": 1}, ("WK1", "2026-02"): {"huur": 1}}
    cells[("WK1", "2026-03")] = {"huur": 10}
    families = SignalFigures(
        cells={cell: None for cell in cells},
        by_kind={cell: {"huur": None} for cell in cells},
        totals={"WK1": None},
        gemeente=10,
    )
    seen = _joint_reader(*_signal_figures(cells, families))
    assert seen[("month", "WK1", "2026-01")] == {1}
    assert seen[("month", "WK1", "2026-03")] == {10}
    out = released_signals(_signal_data(cells))
    assert out.gemeente is None and out.totals == {"WK1": None}
    children, raw, released = _signal_figures(cells, out)
    seen = _joint_reader(children, raw, released)
    assert all(len(seen[key]) >= 2 for key, v in released.items() if v is None)


def test_a_partner_kind_known_to_exist_is_not_pinned() -> None:
    """One month: 10 signals of a landlord, 1 of an energy supplier and 1 of a care
    provider, and no other month. Family by family, the month's 12 and the landlord's 10 both
    showed as 10, the other two as hidden 0-9. But the page has a column per partner kind of
    the gemeente, so each of the two has at least one signal: 12 at least, so exactly 10, 1
    and 1. The kinds' totals over the gemeente are now figures of their own, never shown."""
    cells = {("WK1", "2026-01"): {"huur": 10, "energie": 1, "zorg": 1}}
    kinds = {"energie": None, "huur": 10, "zorg": None}
    families = SignalFigures({("WK1", "2026-01"): 10}, {("WK1", "2026-01"): kinds}, {"WK1": 10}, 10)
    seen = _joint_reader(*_signal_figures(cells, families), columns=True)
    assert seen[("kind", "WK1", "2026-01", "energie")] == {1}
    out = released_signals(_signal_data(cells))
    children, raw, released = _signal_figures(cells, out)
    seen = _joint_reader(children, raw, released, columns=True)
    assert all(len(seen[key]) >= 2 for key, v in released.items() if v is None)


# released family by family: WK2's 19 as 20 and WK3's 23 as 25 under the gemeente's 42 as 40
# put WK2 at 18-19, so its January's 18 (shown 20) left February's single signal at exactly 1
WIJK_BRACKETED = {
    ("WK2", "2026-01"): {"zorg": 18},
    ("WK2", "2026-02"): {"huur": 1},
    ("WK3", "2026-03"): {"energie": 23},
}


@settings(max_examples=300, deadline=None)
@example(cells=WIJK_BRACKETED)
@given(cells=CELLS)
def test_the_reach_figures_pin_nothing_down_jointly(
    cells: dict[tuple[str, str], dict[str, int]],
) -> None:
    """Random signals per wijk, month and partner kind (arrears/reach.released_signals): a shown
    count is the rounded true count and at least the threshold, a hidden figure hides what adds
    up to it, and every hidden count keeps at least two values open to a reader who combines
    all the sums (gemeente over wijken, wijk over months, month over kinds) at once - unless
    the rows alone pin it: nine months of one signal under a total below 10 are each 1 even
    with every count hidden."""
    out = released_signals(_signal_data(cells))
    children, raw, released = _signal_figures(cells, out)
    for key, shown in released.items():
        assert shown is None or shown == disclosure.disclose_count(raw[key]), (key, shown)
        assert _is_safe_count(shown) and (shown is None or shown >= disclosure.SUPPRESS_BELOW)
        if shown is None:
            assert all(released[c] is None for c in children.get(key, ())), key
    seen = _joint_reader(children, raw, released)
    blind = _joint_reader(children, raw, dict.fromkeys(released))
    for key, values in seen.items():
        assert raw[key] in values
        if released[key] is None and len(blind[key]) >= 2:
            assert len(values) >= 2, (key, values, cells, released)


@example(per_kind={"huur": 10, "energie": 1, "zorg": 1})
@given(
    per_kind=st.dictionaries(
        st.sampled_from(["huur", "energie", "zorg", "water", "zvw"]),
        st.one_of(st.integers(1, 9), st.integers(10, 30)),
        min_size=1,
    )
)
def test_partner_kinds_of_a_single_month_pin_nothing_down(per_kind: dict[str, int]) -> None:
    """A gemeente with signals in one month of one wijk: the page has a column for each partner
    kind it has, so the reader knows every kind's count there is not zero (the kinds' totals
    over the gemeente are that month's counts, and the tree reader is exact with them)."""
    cells = {("WK1", "2026-01"): per_kind}
    out = released_signals(_signal_data(cells))
    children, raw, released = _signal_figures(cells, out)
    seen = _joint_reader(children, raw, released, columns=True)
    blind = _joint_reader(children, raw, dict.fromkeys(released), columns=True)
    for key, values in seen.items():
        assert raw[key] in values
        if released[key] is None and len(blind[key]) >= 2:
            assert len(values) >= 2, (key, values, per_kind, released)
