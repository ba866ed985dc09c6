"""What a reader who knows the disclosure rules can infer from released figures, by brute force:
every assignment of true counts consistent with what was released is enumerated, group by
group (a wijk, a month, a gemeente), and combined where totals link the groups.

The reader is as strong as compute.disclosure assumes: for a hidden or never-shown figure it
even knows whether it is below SUPPRESS_BELOW. Independent of the mechanism: no interval
arithmetic, only disclose_count and sums."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

from wijkradar.compute import disclosure

Cells = dict[Hashable, int]


def consistent(
    released: Mapping[Hashable, int | None],
    raw: Mapping[Hashable, int],
    known: Iterable[Hashable],
    positive: Iterable[Hashable] = (),
) -> Callable[[Hashable, int], bool]:
    """Whether a true value `v` of figure `name` agrees with what the reader saw; `known`: the
    reader knows the figure exactly, `positive`: knows it is not zero."""
    exact, some = set(known), set(positive)

    def check(name: Hashable, v: int) -> bool:
        if v < 0 or (v == 0 and name in some):
            return False
        shown = released.get(name)
        if shown is not None:
            return disclosure.disclose_count(v) == shown
        if name in exact:
            return v == raw[name]
        return (v < disclosure.SUPPRESS_BELOW) == (raw[name] < disclosure.SUPPRESS_BELOW)

    return check


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _sums(groups: Sequence[Sequence[tuple[int, ...]]], width: int) -> set[tuple[int, ...]]:
    out = {(0,) * width}
    for candidates in groups:
        out = {_add(s, c) for s in out for c in candidates}
    return out


def possible_values(
    groups: Sequence[Iterable[tuple[int, ...]]],
    local: Callable[[int, tuple[int, ...]], Cells],
    total: Callable[[tuple[int, ...]], Cells],
    check: Callable[[Hashable, int], bool],
) -> dict[Hashable, set[int]]:
    """Every value each figure can take over all consistent assignments. `groups`: candidate
    leaf tuples per group; `local`: the figures of one group from its leaves; `total`: the
    figures that sum over groups, from the groups' leaves summed."""
    survivors: list[list[tuple[int, ...]]] = []
    for index, candidates in enumerate(groups):
        survivors.append(
            [
                leaves
                for leaves in candidates
                if all(check(n, v) for n, v in local(index, leaves).items())
            ]
        )
    width = len(next((c[0] for c in survivors if c), ()))
    if not width:
        return {}
    everything = _sums(survivors, width)
    valid = {s for s in everything if all(check(n, v) for n, v in total(s).items())}
    out: dict[Hashable, set[int]] = defaultdict(set)
    for s in valid:
        for name, v in total(s).items():
            out[name].add(v)
    for index, candidates in enumerate(survivors):
        others = _sums(survivors[:index] + survivors[index + 1 :], width)
        for leaves in candidates:
            if any(tuple(v - x for v, x in zip(s, leaves, strict=True)) in others for s in valid):
                for name, v in local(index, leaves).items():
                    out[name].add(v)
    return out
