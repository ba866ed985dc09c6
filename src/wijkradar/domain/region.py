"""Regions per year, the changes between years, and display boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wijkradar.domain.observation import Level


@dataclass(frozen=True)
class Region:
    """A region as it existed in one year. Codes are stripped of CBS's trailing spaces."""

    code: str
    name: str
    level: Level
    year: int
    parent_code: str | None = None  # buurt -> wijk -> gemeente -> provincie -> NL01
    gemeente_code: str | None = None
    provincie_code: str | None = None

    def __post_init__(self) -> None:
        if self.code != self.code.strip() or not self.code:
            raise ValueError(f"region code must be stripped and non-empty: {self.code!r}")
        if Level.from_code(self.code) is not self.level:
            raise ValueError(f"code {self.code} does not belong to level {self.level}")


@dataclass(frozen=True)
class RegionChange:
    """A code in `year_from` that maps to a code in `year_to`.

    kind: "same" (unchanged), "merged" (several old codes into one new), "split",
    "recoded" (same area, new code), "changed" (boundary changed; series break).
    `weight` is the share of the old region that went to the new one (1.0 for merges).
    """

    level: Level
    year_from: int
    code_from: str
    year_to: int
    code_to: str
    kind: str
    weight: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class Boundary:
    """A simplified display outline in WGS84 (lon/lat), as a GeoJSON geometry string."""

    code: str
    level: Level
    year: int
    geometry: str  # GeoJSON geometry (Polygon or MultiPolygon), WGS84
    source_id: str


# CBS region codes: land, provincie, gemeente (4 digits), wijk (+2), buurt (+2 more); CBS pads
# some with spaces, and hand-made files write them in lower case.
REGION_CODE = re.compile(r"^(NL\d{2}|PV\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
REGION_CODE_EXAMPLES = "a CBS region code such as NL00, PV27, GM0363, WK036301 or BU03630101"


def normalise_code(raw: object) -> str:
    """The one normal form of a region code in every source: stripped and upper-case."""
    return "" if raw is None else str(raw).strip().upper()


def is_region_code(code: str) -> bool:
    """Whether a normalised code has a CBS code's exact shape (a 7-digit gemeente has not)."""
    return REGION_CODE.match(code) is not None
