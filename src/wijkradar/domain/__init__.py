"""Frozen domain objects shared by every layer. No I/O here."""

from wijkradar.domain.errors import InputError, WijkradarError
from wijkradar.domain.observation import OBSERVATION_SCHEMA, Level, Status, Variable
from wijkradar.domain.provenance import Provenance
from wijkradar.domain.region import Boundary, Region, RegionChange

__all__ = [
    "OBSERVATION_SCHEMA",
    "Boundary",
    "InputError",
    "Level",
    "Provenance",
    "Region",
    "RegionChange",
    "Status",
    "Variable",
    "WijkradarError",
]
