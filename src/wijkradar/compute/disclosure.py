"""Small-number rules. Every number that leaves Wijkradar (API, pages, exports, CLI, logs) passes
through this module; nothing else decides what may be shown.

Rule (after OpenSAFELY's statistical disclosure control, "suppress small counts, round the rest",
https://docs.opensafely.org/outputs/sdc/ , made stricter in the spirit of CBS's output rules for
microdata, which require enough units behind every published cell):
- A count of persons or households below SUPPRESS_BELOW is not shown (None, with the reason).
- Other counts are rounded to the nearest multiple of ROUND_TO.
- A rate or percentage that Wijkradar computes itself from counts is not shown for an area
  below the methodology's minimum population: compute.indicators gives it status too_small
  (no value). The stored indicator values do not carry their denominator, so this module has
  no rate rule of its own at the boundary.

What it applies to:
- counts from local and operational sources (GGD files, partner signals, arrears, registers) and
  counts Wijkradar derives from them;
- counts of areas are not about persons and pass unchanged (e.g. "12 buurten flagged").
What it does not apply to:
- figures that CBS already published as open data, i.e. whose sources are all of a kind in
  PUBLISHED_KINDS (what the CBS readers record in Provenance.kind; never decided from a
  publisher name). CBS applied its own disclosure control: it rounds and hides cells, which
  arrive here as status 'suppressed'; re-rounding them would only make them disagree with
  StatLine. Percentages of published CBS figures, percentiles and scores
  (0-100, relative ranks) pass unchanged.
"""

from __future__ import annotations

import math
import sys
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

SUPPRESS_BELOW = 10
ROUND_TO = 5
COUNT_UNITS = frozenset({"aantal", "count", "personen", "huishoudens"})
#: Provenance.kind of the CBS open-data readers (cbs_kwb files/online); local files are "local".
PUBLISHED_KINDS = frozenset({"observations"})
SUPPRESSED_TEXT = {"nl": "< 10 (niet getoond)", "en": "< 10 (not shown)"}
K = TypeVar("K", bound=Hashable)


def disclose_count(count: float | None) -> int | None:
    """A count safe to show: None below SUPPRESS_BELOW, else rounded to the nearest ROUND_TO.

    Rounding half away from zero keeps 12.5 -> 15, and never rounds a count at or above the
    threshold down below it (10 -> 10, 12 -> 10).
    """
    if count is None or (isinstance(count, float) and math.isnan(count)):
        return None
    if count < SUPPRESS_BELOW:
        return None
    return math.floor(count / ROUND_TO + 0.5) * ROUND_TO


def is_count(unit: str, declared_units: Iterable[str] = ()) -> bool:
    """Whether a figure is a count of persons or households: its unit is a count unit, or the
    input it was taken from unchanged declared one (a local mapping saying `unit: aantal` makes
    a count, whatever unit the methodology's indicator names). Decided from units, never from a
    variable's or indicator's name."""
    units = (unit, *declared_units)
    return any(u.strip().lower() in COUNT_UNITS for u in units)


def disclose_value(
    value: float | None, unit: str, published: bool, declared_units: Iterable[str] = ()
) -> float | None:
    """The one entry point for a stored indicator value on its way out.

    published=True: a figure CBS already published (disclosure-controlled at source) - shown as
    is. Otherwise counts (is_count: the unit, or the unit the input declared) are
    suppressed/rounded; other units pass.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if published or not is_count(unit, declared_units):
        return value
    disclosed = disclose_count(value)
    return None if disclosed is None else float(disclosed)


def is_published(kinds: Iterable[str]) -> bool:
    """Whether a figure is open data CBS already published: every one of its sources (at least
    one) is of a kind in PUBLISHED_KINDS.

    Decided by the kind a source reader records (Provenance.kind, the sources table's `kind`),
    never by the publisher in the source id: a local file's mapping may name any publisher,
    "CBS" included, and would otherwise skip the small-number rules.
    """
    seen = False
    for kind in kinds:
        if kind not in PUBLISHED_KINDS:
            return False
        seen = True
    return seen


# Secondary suppression. disclose_count decides one figure at a time; a parent released beside
# its children (a gemeente total beside its wijken) lets a reader subtract: parent 40, children
# 10 and 15 and one hidden child leave that child in [38 - 2 - 17, 42 - 10 - 12] ∩ [0, 9] = {9}
# (true 38 = 12 + 17 + 9). So a family leaves together and hides one more sibling until no hidden
# count is pinned down.

#: the fewest values a hidden count must keep open to a reader who knows the whole family
MIN_FEASIBLE = 2


def _released_range(released: int) -> tuple[int, int]:
    """The true counts disclose_count turns into `released` (a multiple of ROUND_TO)."""
    low = max(math.ceil(released - ROUND_TO / 2), SUPPRESS_BELOW)
    return low, math.ceil(released + ROUND_TO / 2) - 1


def feasible_ranges(
    parent: int | None, children: Sequence[int | None], below: Sequence[bool]
) -> list[tuple[int, int] | None]:
    """For each hidden child (None among `children`), the range of its true count that a reader
    who knows the rules can infer from the released family; None for a shown child.

    The reader is assumed to know more than the page says: which hidden child is below
    SUPPRESS_BELOW (`below`: primary suppression, in [0, SUPPRESS_BELOW - 1]) and which was
    hidden only to protect a sibling (at least SUPPRESS_BELOW). The parent is the sum of its
    children. A hidden parent constrains nothing."""
    if parent is None:
        top = sys.maxsize // (len(children) + 1)
        parent_low, parent_high = 0, top
    else:
        parent_low, parent_high = _released_range(parent)
    bounds = []
    for shown, small in zip(children, below, strict=True):
        if shown is not None:
            bounds.append(_released_range(shown))
        elif small:
            bounds.append((0, SUPPRESS_BELOW - 1))
        else:
            bounds.append((SUPPRESS_BELOW, parent_high))
    all_low = sum(b[0] for b in bounds)
    all_high = sum(b[1] for b in bounds)
    out: list[tuple[int, int] | None] = []
    for shown, (low, high) in zip(children, bounds, strict=True):
        if shown is not None:
            out.append(None)
            continue
        others_low, others_high = all_low - low, all_high - high
        out.append((max(low, parent_low - others_high), min(high, parent_high - others_low)))
    return out


def family_is_safe(
    parent: int | None, children: Sequence[int | None], below: Sequence[bool]
) -> bool:
    """Whether every hidden child keeps at least MIN_FEASIBLE values open (feasible_ranges)."""
    return all(
        r is None or r[1] - r[0] + 1 >= MIN_FEASIBLE
        for r in feasible_ranges(parent, children, below)
    )


def release_family(
    parent_raw: float,
    children_raw: Sequence[float],
    withheld: Sequence[bool] = (),
    parent_withheld: bool = False,
) -> tuple[int | None, list[int | None]]:
    """A parent count and the counts it is the sum of, released together: disclose_count for
    each (primary suppression), then, while a hidden child could be pinned down from the rest
    (family_is_safe), the smallest shown child is hidden too (secondary suppression); with no
    child left to hide, the parent is hidden. A figure hidden here looks like any other hidden
    figure (None).

    `withheld` (per child) and `parent_withheld`: figures another family of the same table
    already hid (a month's count is a child of the wijk's total and the parent of its counts
    per partner kind); hiding more never narrows what a reader can infer of the rest. A parent
    withheld elsewhere hides all its children: shown, they would add up to it again."""
    if parent_withheld:
        return None, [None] * len(children_raw)
    parent = disclose_count(parent_raw)
    below = [disclose_count(c) is None for c in children_raw]
    children = [
        None if i < len(withheld) and withheld[i] else disclose_count(c)
        for i, c in enumerate(children_raw)
    ]
    if parent is None:
        return None, children
    while not family_is_safe(parent, children, below):
        shown = [i for i, c in enumerate(children) if c is not None]
        if not shown:
            return None, children
        smallest = min(shown, key=lambda i: (children_raw[i], i))
        children[smallest] = None
    return parent, children


# Linked families. release_family judges one family on its own, assuming a hidden figure is
# anywhere in [10, parent]. Where a figure sits in several sums, a reader combines them: the
# 6-month count of a wijk is a child of the gemeente's 6-month count and also lies between the
# same wijk's shown 3- and 12-month counts, so hidden there it may be bracketed to 10-12 and pin
# a sibling after all. release_linked judges every sum at once: each sum narrows the ranges of
# its members (interval propagation to a fixed point, as a reader would), and while any hidden
# or never-shown figure keeps fewer than MIN_FEASIBLE values, one more figure is hidden.


@dataclass(frozen=True)
class Linked(Generic[K]):
    """Released figures (None: hidden) and what a reader of all of them can infer of each."""

    values: dict[K, int | None]
    ranges: dict[K, tuple[int, int]]


def _narrow(ranges: dict[K, tuple[int, int]], parent: K, children: Sequence[K]) -> list[K]:
    """Apply parent = sum(children) to the ranges; the figures whose range changed."""
    low = sum(ranges[c][0] for c in children)
    high = sum(ranges[c][1] for c in children)
    changed = []
    p_low, p_high = ranges[parent]
    new = (max(p_low, low), min(p_high, high))
    if new != ranges[parent]:
        ranges[parent] = new
        changed.append(parent)
    p_low, p_high = new
    for c in children:
        c_low, c_high = ranges[c]
        tighter = (max(c_low, p_low - (high - c_high)), min(c_high, p_high - (low - c_low)))
        if tighter != ranges[c]:
            ranges[c] = tighter
            changed.append(c)
    return changed


def infer_ranges(
    start: dict[K, tuple[int, int]], sums: Sequence[tuple[K, Sequence[K]]]
) -> dict[K, tuple[int, int]]:
    """Every figure's range after applying each sum until none narrows anything (a worklist:
    only the sums of a figure that changed are applied again). Sound: the true counts stay in
    their ranges; not complete (a reader solving all sums jointly may know more, see docs)."""
    return _propagate(start, sums, _members(sums))


def _members(sums: Sequence[tuple[K, Sequence[K]]]) -> dict[K, list[int]]:
    """figure -> the indices of the sums it is in (as parent or child)."""
    member: dict[K, list[int]] = {}
    for i, (parent, children) in enumerate(sums):
        for cell in (parent, *children):
            member.setdefault(cell, []).append(i)
    return member


def _propagate(
    start: dict[K, tuple[int, int]],
    sums: Sequence[tuple[K, Sequence[K]]],
    member: Mapping[K, list[int]],
) -> dict[K, tuple[int, int]]:
    ranges = dict(start)
    queue = deque(range(len(sums)))
    queued = set(queue)
    while queue:
        i = queue.popleft()
        queued.discard(i)
        for cell in _narrow(ranges, *sums[i]):
            for j in member[cell]:
                if j not in queued:
                    queued.add(j)
                    queue.append(j)
    return ranges


def release_linked(
    raw: Mapping[K, int],
    sums: Sequence[tuple[K, Sequence[K]]],
    unreleased: Iterable[K] = (),
    known: Iterable[K] = (),
    withheld: Iterable[K] = (),
    bounds: Mapping[K, tuple[int, int]] | None = None,
    hide_first: Iterable[K] = (),
    hide_last: Iterable[K] = (),
    positive: Iterable[K] = (),
) -> Linked[K]:
    """Counts linked by sums (parent = sum of children, a figure may sit in several), released
    together.

    `unreleased`: figures never shown that a reader can still derive (months 4-6 as 6 minus 3
    months, households not reached), protected like hidden ones. `known`: figures the reader
    knows exactly and that need no protection (a window without any signal, said as such).
    `withheld`: hidden elsewhere. `bounds`: what a reader learnt of a figure elsewhere.
    `positive`: figures the reader knows are not zero (a row that exists only with signals, a
    window beside windows shown as empty): hidden below the threshold they are 1-9, not 0-9.
    Secondary suppression hides, of the figures around a pinned one (_candidates), the first
    that frees it on its own: a figure of `hide_first` (a national total, cheaper to lose than
    a gemeente's page) before the smallest shown child before a parent, `hide_last` last. The
    reader is assumed to know, as in feasible_ranges,
    which hidden figure is below SUPPRESS_BELOW. Pinned figures are freed in the order of
    `raw`, and that order breaks ties between candidates."""
    order = {cell: i for i, cell in enumerate(raw)}
    first, last, fixed = set(hide_first), set(hide_last), set(known)
    some = set(positive)
    never = set(unreleased)
    hidden = never | set(withheld)
    hidden |= {c for c, v in raw.items() if disclose_count(v) is None and c not in fixed}
    top = max(sum(raw.values()), SUPPRESS_BELOW)
    member = _members(sums)  # once: ranges_with runs for every candidate tried
    given = bounds or {}

    def ranges_with(hidden: set[K]) -> dict[K, tuple[int, int]]:
        start = {}
        for cell, value in raw.items():
            if cell in fixed:
                start[cell] = (value, value)
            elif cell not in hidden:
                start[cell] = _released_range(disclose_count(value) or 0)
            elif value < SUPPRESS_BELOW:
                start[cell] = (1 if cell in some else 0, SUPPRESS_BELOW - 1)
            else:
                start[cell] = (SUPPRESS_BELOW, top)
            if cell in given:
                low, high = given[cell]
                start[cell] = (max(start[cell][0], low), min(start[cell][1], high))
        return _propagate(start, sums, member)

    def is_pinned(ranges: Mapping[K, tuple[int, int]], cell: K) -> bool:
        return ranges[cell][1] - ranges[cell][0] + 1 < MIN_FEASIBLE

    def pinned_in(ranges: Mapping[K, tuple[int, int]], hidden: set[K]) -> list[K]:
        return [
            c
            for c in raw
            if c in hidden and c not in fixed and c not in unfixable and is_pinned(ranges, c)
        ]

    unfixable: set[K] = set()
    while True:
        ranges = ranges_with(hidden)
        pinned = pinned_in(ranges, hidden)
        if not pinned:
            values = {c: None if c in hidden else disclose_count(v) for c, v in raw.items()}
            return Linked(values, ranges)
        # a hidden figure of the page before a never-shown difference: pinning the page's
        # figure is the leak, the difference is often pinned only through it
        pinned.sort(key=lambda c: (c in never, order[c]))
        candidates = _candidates(pinned[0], sums, member, hidden | fixed, raw, order, first, last)
        if not candidates:
            unfixable.add(pinned[0])
            continue
        # the first candidate that frees the pinned figure on its own, else the one that
        # leaves fewest figures pinned: a figure hidden to no effect is a figure lost
        pool = (
            [c for c in candidates if c in first]
            or [c for c in candidates if c not in last]
            or candidates
        )

        def cost(c: K, target: K) -> tuple[bool, int]:
            after = ranges_with(hidden | {c})
            return is_pinned(after, target), len(pinned_in(after, hidden | {c}))

        scored = [(cost(c, pinned[0]), i, c) for i, c in enumerate(pool[:TRIALS])]
        hidden.add(min(scored, key=lambda t: (t[0], t[1]))[2])


#: candidates tried for freeing a pinned figure before falling back to the first
TRIALS = 8


def _candidates(
    cell: K,
    sums: Sequence[tuple[K, Sequence[K]]],
    member: Mapping[K, list[int]],
    hidden: set[K],
    raw: Mapping[K, int],
    order: Mapping[K, int],
    first: set[K],
    last: set[K],
) -> list[K]:
    """Shown figures to hide for a pinned `cell`, best first. Searched in the sums that reach
    it through hidden figures (those are what bracket it: a hidden 3-month count pinned by its
    own 6 months), nearest first, and only where none is shown outwards through shown ones.
    Order: `first`, then children before parents, nearer before farther, smaller before larger;
    `last` (a gemeente's counts, worth more than one wijk's) only when nothing else is left."""
    seen_sums: set[int] = set()
    seen_cells = {cell}
    frontier = [cell]
    keys: dict[K, tuple[bool, bool, bool, int, int, int]] = {}
    distance = 0
    while frontier:
        reached: list[K] = []
        for c in frontier:
            for i in member.get(c, []):
                if i in seen_sums:
                    continue
                seen_sums.add(i)
                parent, children = sums[i]
                for m, is_parent in ((parent, True), *((ch, False) for ch in children)):
                    if m not in hidden:
                        key = (m not in first, m in last, is_parent, distance, raw[m], order[m])
                        keys[m] = min(keys.get(m, key), key)
                    elif m not in seen_cells:
                        seen_cells.add(m)
                        reached.append(m)
        distance += 1
        frontier = reached
        if not frontier and not keys:
            # nothing shown around the hidden ones: go on through the shown figures
            frontier = [m for i in seen_sums for m in (sums[i][0], *sums[i][1])]
            frontier = [m for m in frontier if m not in seen_cells]
            seen_cells.update(frontier)
    return sorted(keys, key=lambda m: keys[m])
