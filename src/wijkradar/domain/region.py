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


# Region identities: the one home for the country's code, the parents a CBS code implies and the
# level it belongs to (Level.from_code). Everything else asks here instead of spelling them.

#: The country as a reference population and region: NL01 in most sources; CBS KWB writes NL00.
NATIONAL_CODE = "NL01"
NATIONAL_CODES = frozenset({"NL00", "NL01"})
NATIONAL_NAME = "Nederland"


def is_national(code: str) -> bool:
    """Whether `code` names the whole country (NL00, NL01, any NL code)."""
    return code.strip().upper().startswith("NL")


def gemeente_of(code: str) -> str | None:
    """GM + the four gemeente digits of a gemeente/wijk/buurt code (BU03630000 -> GM0363)."""
    level = Level.from_code(code)
    if level in (Level.GEMEENTE, Level.WIJK, Level.BUURT):
        return "GM" + code[2:6]
    return None


def parent_from_code(code: str) -> str | None:
    """The parent a code implies by itself: buurt -> wijk, wijk -> gemeente; else unknown
    (a gemeente's provincie is not in its code)."""
    level = Level.from_code(code)
    if level is Level.BUURT:
        return "WK" + code[2:8]
    if level is Level.WIJK:
        return "GM" + code[2:6]
    return None


def code_prefix_within(within: str, level: str) -> str | None:
    """The code prefix of `level`'s areas inside gemeente `within` (GM0363 holds WK0363…,
    BU0363…), for a LIKE filter; None when the codes do not tell (a provincie, or a level
    above wijk)."""
    if within.startswith("GM") and level in ("wijk", "buurt"):
        return ("WK" if level == "wijk" else "BU") + within[2:]
    return None
