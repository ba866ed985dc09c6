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


def _mask_sum(a: int, b: int) -> int:
    """Every sum of a value in `a` and one in `b` (bit n set: n is possible)."""
    out, v = 0, 0
    while a:
        if a & 1:
            out |= b << v
        a >>= 1
        v += 1
    return out


def _bits(mask: int) -> set[int]:
    return {i for i in range(mask.bit_length()) if mask >> i & 1}


def tree_values(
    children: Mapping[Hashable, Sequence[Hashable]],
    root: Hashable,
    check: Callable[[Hashable, int], bool],
    ceiling: int,
) -> dict[Hashable, set[int]]:
    """Every value each figure of a tree of sums (each figure the sum of its `children`, a
    figure the child of at most one) can take in some assignment of leaves up to `ceiling`
    that agrees with everything released, all sums at once. Exact, not a bound: in a tree the
    figures below a node depend on the rest only through the node's value, so what a subtree
    allows (upwards) and what the rest allows a node (downwards) combine without loss."""
    inside: dict[Hashable, int] = {}

    def up(node: Hashable) -> int:
        below = children.get(node, ())
        if below:
            reach = 1
            for child in below:
                reach = _mask_sum(reach, up(child))
        else:
            reach = (1 << (ceiling + 1)) - 1
        inside[node] = sum(1 << v for v in _bits(reach) if check(node, v))
        return inside[node]

    up(root)
    out: dict[Hashable, set[int]] = {}

    def down(node: Hashable, allowed: int) -> None:
        out[node] = _bits(allowed)
        below = list(children.get(node, ()))
        # prefix and suffix sums: what the siblings of each child can add up to
        before = [1]
        for child in below:
            before.append(_mask_sum(before[-1], inside[child]))
        after = [1]
        for child in reversed(below):
            after.append(_mask_sum(after[-1], inside[child]))
        after.reverse()
        for i, child in enumerate(below):
            others = _mask_sum(before[i], after[i + 1])
            own = sum(1 << v for v in _bits(inside[child]) if (others << v) & allowed)
            down(child, own)

    down(root, inside[root])
    return out
