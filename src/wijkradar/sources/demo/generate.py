"""generate(): write the whole synthetic demo (KWB dumps, boundaries, local CSV, changes).

Load → Process → Save per year: invent the map once, draw latent factors once, then per year
compute buurt figures, aggregate them to wijk/gemeente/land, and write the files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from shapely.geometry.base import BaseGeometry

from wijkradar.domain import Level, RegionChange
from wijkradar.sources.demo import gebieden, ggd, maps, odata
from wijkradar.sources.demo.figures import TINY_LIMIT, aggregate, buurt_values, draw_latent
from wijkradar.sources.demo.geography import build_geography, buurt_cells

DEFAULT_SEED = 20211129


@dataclass(frozen=True)
class DemoFiles:
    """What generate() wrote."""

    kwb_dir: Path  # one OData dump folder per year below it: DEMO2019/, DEMO2020/, ...
    gebieden_dir: Path  # "Gebieden in Nederland" dumps: DEMOGEB2019/, ... (gemeente -> provincie)
    boundaries_dir: Path  # gemeenten_<year>.geojson, wijken_<year>.geojson, buurten_<year>.geojson
    local_csv: Path
    local_mapping: Path
    changes: Path  # region_changes.json: the merger and the changed wijk as RegionChange records
    years: tuple[int, ...]
    scale: str


def generate(
    out_dir: Path,
    *,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    years: Sequence[int] = range(2019, 2024),
    boundaries: bool = True,
) -> DemoFiles:
    """Write the demo below `out_dir`; the same seed gives byte-identical files."""
    year_list = sorted({int(y) for y in years})
    if not year_list:
        raise ValueError("generate() needs at least one year")
    out_dir = Path(out_dir)
    files = DemoFiles(
        kwb_dir=out_dir / "kwb",
        gebieden_dir=out_dir / "gebieden",
        boundaries_dir=out_dir / "boundaries",
        local_csv=out_dir / "local" / "ggd_monitor_wijken.csv",
        local_mapping=out_dir / "local" / "ggd_monitor_wijken.yml",
        changes=out_dir / "region_changes.json",
        years=tuple(year_list),
        scale=scale,
    )
    geography = build_geography(scale, seed)
    cells = buurt_cells(geography)
    area_ha = np.array([cell.area for cell in cells]) / 10_000.0
    latent = draw_latent(geography, area_ha, seed)

    layouts = {year: geography.layout(year) for year in year_list}
    union_cache: dict[tuple[int, ...], BaseGeometry] = {}
    for year, layout in layouts.items():
        values = buurt_values(latent, geography, year, seed)
        figures = {
            Level.LAND: aggregate(values, (layout.land,)),
            Level.GEMEENTE: aggregate(values, layout.gemeenten),
            Level.WIJK: aggregate(values, layout.wijken),
            Level.BUURT: aggregate(values, layout.buurten),
        }
        people = figures[Level.BUURT]["AantalInwoners"]
        tiny = {u.code for u, n in zip(layout.buurten, people, strict=True) if n < TINY_LIMIT}
        odata.write_year(files.kwb_dir / odata.table_id(year), layout, figures, tiny, seed)
        gebieden.write_year(files.gebieden_dir / gebieden.table_id(year), layout, geography)
        if boundaries:
            maps.write_year(files.boundaries_dir, geography, layout, cells, union_cache)
    files.boundaries_dir.mkdir(parents=True, exist_ok=True)

    files.local_csv.parent.mkdir(parents=True, exist_ok=True)
    ggd.write(files.local_csv, files.local_mapping, layouts, latent, seed)
    changes = geography.changes(year_list, latent.population)
    write_changes(files.changes, changes)
    return files


def write_changes(path: Path, changes: list[RegionChange]) -> None:
    records = [{**asdict(c), "level": str(c.level)} for c in changes]
    path.write_text(
        json.dumps({"changes": records}, indent=1, ensure_ascii=False), encoding="utf-8"
    )


def read_changes(path: Path) -> list[RegionChange]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [RegionChange(**{**r, "level": Level(r["level"])}) for r in data["changes"]]
