"""Counts of a build withheld to protect a sibling (secondary suppression, issue 7).

A profile shows one area at a time, so `reports.outgoing.release` cannot see a count's parent
and siblings. A local count (a mapping's `unit: aantal`, not published by CBS) is shown for a
gemeente, its wijken and their buurten, and a reader can subtract them. So the families are
decided once per build, over every area, when the build's constants are loaded: gemeente over
its wijken, wijk over its buurten (compute.disclosure.release_family, linked families released
again with what the other hid until nothing changes). The result is the set of figures that
pass the small-number rules alone but are withheld here; every channel that shows an indicator
value of an area consults it (store.constants.BuildConstants.withheld).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import duckdb

from wijkradar.compute import disclosure
from wijkradar.domain.region import parent_from_code

#: (region code, indicator, period)
Key = tuple[str, str, int]


def withheld(
    con: duckdb.DuckDBPyConnection,
    source_kinds: Mapping[str, str],
    declared_units: Callable[[str, Sequence[str]], tuple[str, ...]],
) -> frozenset[Key]:
    """Every (area, indicator, year) count the families withhold beyond the rules alone."""
    series: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    # only figures with a source that is not published open data (a national CBS build reads
    # no rows here); the rules below decide per row
    local = sorted(s for s, kind in source_kinds.items() if kind not in disclosure.PUBLISHED_KINDS)
    for code, period, indicator, value, unit, source_ids in con.execute(
        "SELECT region_code, period, indicator, value, unit, source_ids FROM indicator_values "
        "WHERE status = 'ok' AND value IS NOT NULL AND level IN ('gemeente', 'wijk', 'buurt') "
        "AND (len(source_ids) = 0 OR list_has_any(source_ids, $local::VARCHAR[]))",
        {"local": local},
    ).fetchall():
        ids = tuple(source_ids or ())
        if disclosure.is_published(source_kinds.get(s, "") for s in ids):
            continue
        if not disclosure.is_count(str(unit), declared_units(str(indicator), ids)):
            continue
        series[(str(indicator), int(period))][str(code)] = float(value)
    out: set[Key] = set()
    for (indicator, period), values in series.items():
        out |= {(code, indicator, period) for code in _family_hidden(values)}
    return frozenset(out)


def _family_hidden(values: Mapping[str, float]) -> set[str]:
    """Codes whose count passes disclose_count alone but that the families hide."""
    children: dict[str, list[str]] = defaultdict(list)
    for code in sorted(values):
        parent = parent_from_code(code)
        if parent is not None and parent in values:
            children[parent].append(code)
    hidden = {c for c, v in values.items() if disclosure.disclose_count(v) is None}
    while True:
        before = len(hidden)
        for parent, own in children.items():
            shown_parent, shown = disclosure.release_family(
                values[parent],
                [values[c] for c in own],
                [c in hidden for c in own],
                parent_withheld=parent in hidden,
            )
            hidden |= {c for c, s in zip(own, shown, strict=True) if s is None}
            if shown_parent is None:
                hidden.add(parent)
        if len(hidden) == before:
            return {c for c in hidden if disclosure.disclose_count(values[c]) is not None}
