"""Tidy observations: one value of one variable for one region in one period.

Sources hand observations over in columns (a pyarrow Table with OBSERVATION_SCHEMA) rather than
one object per value: a national buurt table for ten years is tens of millions of values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa


class Level(StrEnum):
    LAND = "land"
    PROVINCIE = "provincie"
    GEMEENTE = "gemeente"
    WIJK = "wijk"
    BUURT = "buurt"

    @classmethod
    def from_code(cls, code: str) -> Level:
        """The level a CBS region code belongs to: NL01, PV27, GM0363, WK036300, BU03630000."""
        prefix = code.strip()[:2].upper()
        try:
            return _PREFIXES[prefix]
        except KeyError:
            raise ValueError(f"not a CBS region code: {code!r}") from None


_PREFIXES = {
    "NL": Level.LAND,
    "PV": Level.PROVINCIE,
    "GM": Level.GEMEENTE,
    "WK": Level.WIJK,
    "BU": Level.BUURT,
}


class Status(StrEnum):
    """Why a value is (not) there. A value that is not OK is NULL, never 0."""

    OK = "ok"
    SUPPRESSED = "suppressed"  # publisher hid it (CBS '.', 'x', negative placeholders)
    MISSING = "missing"  # not collected / empty cell / '-' where it means 'not available'


OBSERVATION_SCHEMA = pa.schema(
    [
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("level", pa.string(), nullable=False),
        pa.field("period", pa.int32(), nullable=False),
        pa.field("variable", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=True),
        pa.field("status", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True)
class Variable:
    """A source variable as the publisher defines it (not a methodology indicator).

    `key` is stable across years: the CBS OData key without its numeric suffix
    ("AantalInwoners_5" -> "AantalInwoners").
    """

    key: str
    title: str
    unit: str  # "aantal", "%", "km", "x 1 000 euro", ...
    source_id: str
    description: str = ""
