"""Thresholds of the "under the radar" triangulation: methodology/<version>/triangulation.yml,
validated by schemas/triangulation.schema.json. The newest version folder that holds the file
is used unless a version is named."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from wijkradar.domain import WijkradarError
from wijkradar.methodology.loader import default_root, validate_file

_VERSION = re.compile(r"^\d{4}\.\d+$")
FILE = "triangulation.yml"


@dataclass(frozen=True)
class Group:
    id: str
    number: int
    nl: str
    en: str


@dataclass(frozen=True)
class Triangulation:
    version: str
    high_stacking: int
    windows: tuple[int, ...]
    signalled_months: int
    min_signals: int
    recent_months: int
    baseline_months: int
    ratio: float
    min_recent: int
    more_share: float
    arrears_months: int
    arrears_high_per_1000: float
    groups: tuple[Group, ...]


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in name.split("."))


def find(root: Path, version: str | None = None) -> Path:
    if version is not None:
        path = root / version / FILE
        if not path.is_file():
            raise WijkradarError(f"methodology {version} has no {FILE}")
        return path
    found = sorted(
        (p.parent.name for p in root.glob(f"*/{FILE}") if _VERSION.match(p.parent.name)),
        key=_version_key,
    )
    if not found:
        raise WijkradarError(f"no methodology version under {root} has {FILE}")
    return root / found[-1] / FILE


def load(version: str | None = None, root: Path | None = None) -> Triangulation:
    root = root or default_root()
    path = find(root, version)
    raw = validate_file(root, path, "triangulation")
    signalled, rising, arrears = raw["signalled"], raw["rising"], raw["arrears"]
    return Triangulation(
        version=raw["version"],
        high_stacking=raw["high_stacking"],
        windows=tuple(sorted(raw["windows"])),
        signalled_months=signalled["months"],
        min_signals=signalled["min_signals"],
        recent_months=rising["recent_months"],
        baseline_months=rising["baseline_months"],
        ratio=float(rising["ratio"]),
        min_recent=rising["min_recent"],
        more_share=float(rising["more_share"]),
        arrears_months=arrears["window_months"],
        arrears_high_per_1000=float(arrears["high_per_1000_households"]),
        groups=tuple(
            Group(g["id"], g["number"], g["labels"]["nl"], g["labels"]["en"]) for g in raw["groups"]
        ),
    )


@functools.cache
def load_cached() -> Triangulation:
    return load()
