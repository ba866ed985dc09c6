"""The region hierarchy of one year: NL -> (provincie) -> gemeente -> wijk -> buurt.

CBS codes carry their parents: BU03630000 lies in wijk WK036300 (gemeente digits + wijk digits),
which lies in gemeente GM0363. Provinces are not in the codes; they come from a source region
(a gemeente Region with provincie_code) or from a gemeente -> provincie mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from wijkradar.domain import Level, Region
from wijkradar.domain.region import (
    NATIONAL_CODE,
    NATIONAL_NAME,
    gemeente_of,
    parent_from_code,
)

LAND_CODE = NATIONAL_CODE
LAND_NAME = NATIONAL_NAME


def complete_year(
    year: int,
    regions: Iterable[Region],
    codes: Iterable[str] = (),
    provinces: Mapping[str, str] | None = None,
) -> dict[str, Region]:
    """All regions of one year with parents filled in.

    `regions` are what sources described; `codes` are region codes seen in observations (a code
    without a description gets its code as name). Parents: buurt -> wijk -> gemeente from the
    code; gemeente -> provincie when known (source or `provinces`), else -> the land region;
    provincie -> land. When no land region is present, NL01 "Nederland" is added on top.
    """
    by_code: dict[str, Region] = {}
    for region in regions:
        if region.year != year:
            raise ValueError(f"region {region.code} is for {region.year}, not {year}")
        by_code[region.code] = region
    for code in codes:
        if code not in by_code:
            by_code[code] = Region(code=code, name=code, level=Level.from_code(code), year=year)

    lands = sorted(code for code, region in by_code.items() if region.level is Level.LAND)
    if not lands:
        by_code[LAND_CODE] = Region(code=LAND_CODE, name=LAND_NAME, level=Level.LAND, year=year)
        lands = [LAND_CODE]
    # NL01 is CBS's usual land code, KWB tables use NL00; either one tops the tree.
    top = LAND_CODE if LAND_CODE in lands else lands[0]

    provinces = dict(provinces or {})
    for region in by_code.values():
        if region.level is Level.GEMEENTE and region.provincie_code:
            provinces.setdefault(region.code, region.provincie_code)

    completed: dict[str, Region] = {}
    for code, region in by_code.items():
        completed[code] = _with_parents(region, top, provinces)
    return completed


def _with_parents(region: Region, top: str, provinces: Mapping[str, str]) -> Region:
    level = region.level
    if level is Level.LAND:
        return replace(region, parent_code=None)
    if level is Level.PROVINCIE:
        return replace(region, parent_code=region.parent_code or top, provincie_code=region.code)
    gemeente = gemeente_of(region.code)
    provincie = region.provincie_code or (provinces.get(gemeente) if gemeente else None)
    parent: str | None
    if level is Level.GEMEENTE:
        parent = region.parent_code or provincie or top
    else:
        parent = region.parent_code or parent_from_code(region.code)
    if (parent, gemeente, provincie) == (
        region.parent_code,
        region.gemeente_code,
        region.provincie_code,
    ):
        return region  # complete already (most are): no copy
    return replace(region, parent_code=parent, gemeente_code=gemeente, provincie_code=provincie)


def children_count(regions: Mapping[str, Region]) -> dict[str, int]:
    """Number of direct children per code within one year."""
    counts: dict[str, int] = {}
    for region in regions.values():
        if region.parent_code:
            counts[region.parent_code] = counts.get(region.parent_code, 0) + 1
    return counts
