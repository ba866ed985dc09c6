"""The demo's invented map: gemeenten, wijken and buurten, and how their codes change.

Every buurt has a stable internal id (`uid`) for all years; its CBS code per year follows from
where it sits that year. Two events make the years differ, as real ones do:

- a merger: the last two gemeenten merge into a new code from MERGER_YEAR; their wijken and
  buurten are renumbered under the new code (IndelingswijzigingWijkenEnBuurten "2");
- a boundary change: from CHANGE_YEAR one buurt of the first gemeente moves to the neighbouring
  wijk; both wijken keep their codes but change shape ("3"), the buurt gets a new code ("2").

The flag values follow our reading of CBS's code list: 1 unchanged, 2 code changed only,
3 boundary changed; gemeenten and the country carry ".".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from wijkradar.domain import Level, RegionChange
from wijkradar.sources.geo import random_points_in, voronoi_tiles

MERGER_YEAR = 2022
CHANGE_YEAR = 2021
LAND_CODE = "NL00"


@dataclass(frozen=True)
class Scale:
    gemeenten: int
    wijken: tuple[int, int]  # inclusive range per gemeente
    buurten: tuple[int, int]  # inclusive range per wijk
    code_base: int  # first gemeente number (fictional: real codes stay below 2000)
    tiny_share: float  # share of buurten with fewer than 50 inhabitants


SCALES = {
    "small": Scale(4, (3, 8), (2, 8), 9801, 0.08),
    "national": Scale(350, (5, 13), (2, 7), 9000, 0.04),
}

# Small scale: hand-picked invented names (no real places). The merged gemeente joins the last two.
SMALL_NAMES = ("Brakelmonde", "Veenhaverdam", "Lindewolde", "Hazekerk aan de Laak")
SMALL_MERGED_NAME = "Lindehaze"

_PREFIXES = ("Ooster", "Wester", "Noorder", "Zuider", "Nieuw-", "Oud-", "Groot-", "Klein-", "")
_ROOTS = (
    "brakel",
    "haver",
    "linde",
    "haze",
    "klaver",
    "reiger",
    "wilgen",
    "eiken",
    "mossel",
    "turf",
    "vlinder",
    "kraai",
    "bever",
    "otter",
    "riet",
    "heide",
    "lijster",
    "merel",
    "egel",
    "distel",
)
_SUFFIXES = ("monde", "dam", "wolde", "kerk", "horst", "dijk", "broek", "hoven", "zijl", "loo")
_WIJK_NAMES = (
    "Centrum",
    "Oost",
    "West",
    "Noord",
    "Zuid",
    "De Akkers",
    "Molenwijk",
    "Buitengebied",
    "Havenkwartier",
    "Het Veld",
    "Kloosterwijk",
    "De Gaarden",
    "Parkwijk",
)
_BUURT_NAMES = (
    "Kerkbuurt",
    "Stationsbuurt",
    "De Weide",
    "Vogelbuurt",
    "Bloemenbuurt",
    "Schildersbuurt",
    "Het Hof",
    "Dorpsstraat",
    "De Kamp",
    "Bomenbuurt",
    "Watertoren",
    "Sluiskwartier",
)


@dataclass
class Wijk:
    slot: int  # number within its original gemeente, 1-based
    name: str
    buurten: list[int]  # buurt uids in original order


@dataclass
class Gemeente:
    index: int
    number: int  # the 4 digits of the GM code
    name: str
    outline: BaseGeometry  # RD New
    wijken: list[Wijk] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"GM{self.number:04d}"


@dataclass(frozen=True)
class Unit:
    """A region as it exists in one year, with the buurten (uids) it consists of."""

    code: str
    name: str
    level: Level
    parent: str | None
    gemeente_code: str
    gemeente_name: str
    flag: str  # IndelingswijzigingWijkenEnBuurten
    uids: tuple[int, ...]


@dataclass(frozen=True)
class YearLayout:
    year: int
    land: Unit
    gemeenten: tuple[Unit, ...]
    wijken: tuple[Unit, ...]
    buurten: tuple[Unit, ...]

    def units(self) -> tuple[Unit, ...]:
        return (self.land, *self.gemeenten, *self.wijken, *self.buurten)


@dataclass
class Geography:
    scale: Scale
    gemeenten: list[Gemeente]
    merged_number: int
    merged_name: str
    buurt_names: list[str]
    buurt_gemeente: NDArray[np.int64]  # uid -> gemeente index
    seeds: NDArray[np.float64]  # uid -> RD New point of the buurt's Voronoi cell
    tiny: NDArray[np.bool_]  # uid -> fewer than 50 inhabitants
    moved_uid: int  # the buurt that changes wijk in CHANGE_YEAR
    donor_slot: int
    receiver_slot: int

    @property
    def buurt_count(self) -> int:
        return len(self.buurt_names)

    @property
    def merging(self) -> tuple[Gemeente, Gemeente]:
        return self.gemeenten[-2], self.gemeenten[-1]

    def layout(self, year: int) -> YearLayout:
        """Which gemeenten, wijken and buurten exist in `year`, with their codes and flags."""
        merged = year >= MERGER_YEAR
        moved = year >= CHANGE_YEAR
        gm_units: list[Unit] = []
        wk_units: list[Unit] = []
        bu_units: list[Unit] = []
        groups: list[tuple[int, str, list[Wijk], bool]] = []
        for gemeente in self.gemeenten[:-2] if merged else self.gemeenten:
            groups.append((gemeente.number, gemeente.name, gemeente.wijken, False))
        if merged:
            a, b = self.merging
            groups.append((self.merged_number, self.merged_name, [*a.wijken, *b.wijken], True))
        for number, gm_name, wijken, recoded in groups:
            gm_code = f"GM{number:04d}"
            gm_uids: list[int] = []
            for position, wijk in enumerate(wijken, start=1):
                slot = position if recoded else wijk.slot
                wk_code = f"WK{number:04d}{slot:02d}"
                members = [(uid, i) for i, uid in enumerate(wijk.buurten, start=1)]
                wk_flag = "2" if recoded and year == MERGER_YEAR else "1"
                if moved and number == self.gemeenten[0].number:
                    if wijk.slot == self.donor_slot:
                        members = [(u, i) for u, i in members if u != self.moved_uid]
                    if wijk.slot == self.receiver_slot:
                        members.append((self.moved_uid, len(wijk.buurten) + 1))
                    if year == CHANGE_YEAR and wijk.slot in (self.donor_slot, self.receiver_slot):
                        wk_flag = "3"
                uids = tuple(uid for uid, _ in members)
                gm_uids.extend(uids)
                wk_units.append(
                    Unit(
                        wk_code,
                        f"Wijk {slot:02d} {wijk.name}",
                        Level.WIJK,
                        gm_code,
                        gm_code,
                        gm_name,
                        wk_flag,
                        uids,
                    )
                )
                for uid, bslot in members:
                    flag = "2" if recoded and year == MERGER_YEAR else "1"
                    if uid == self.moved_uid and year == CHANGE_YEAR:
                        flag = "2"
                    bu_units.append(
                        Unit(
                            f"BU{number:04d}{slot:02d}{bslot:02d}",
                            self.buurt_names[uid],
                            Level.BUURT,
                            wk_code,
                            gm_code,
                            gm_name,
                            flag,
                            (uid,),
                        )
                    )
            gm_units.append(
                Unit(
                    gm_code,
                    gm_name,
                    Level.GEMEENTE,
                    LAND_CODE,
                    gm_code,
                    gm_name,
                    ".",
                    tuple(gm_uids),
                )
            )
        land = Unit(
            LAND_CODE,
            "Nederland",
            Level.LAND,
            None,
            "",
            "Nederland",
            ".",
            tuple(range(self.buurt_count)),
        )
        return YearLayout(year, land, tuple(gm_units), tuple(wk_units), tuple(bu_units))

    def changes(self, years: list[int], weights: NDArray[np.float64]) -> list[RegionChange]:
        """RegionChange records between consecutive demo years for the merger and the move.

        `weights` (per uid, e.g. inhabitants) give the share of the donor wijk that moved.
        """
        out: list[RegionChange] = []
        ordered = sorted(years)
        for before_year, after_year in pairwise(ordered):
            before = self.layout(before_year)
            after = self.layout(after_year)
            if before_year < MERGER_YEAR <= after_year:
                out.extend(self._merger_changes(before, after))
            if before_year < CHANGE_YEAR <= after_year:
                out.extend(self._move_changes(before, after, weights))
        return out

    def _merger_changes(self, before: YearLayout, after: YearLayout) -> list[RegionChange]:
        out: list[RegionChange] = []
        merged_code = f"GM{self.merged_number:04d}"
        note = f"samenvoeging tot {self.merged_name} (synthetisch)"
        for gemeente in self.merging:
            out.append(
                RegionChange(
                    Level.GEMEENTE,
                    before.year,
                    gemeente.code,
                    after.year,
                    merged_code,
                    "merged",
                    1.0,
                    note,
                )
            )
        old_codes = {g.code for g in self.merging}
        for level, old_units, new_units in (
            (Level.WIJK, before.wijken, after.wijken),
            (Level.BUURT, before.buurten, after.buurten),
        ):
            by_uids = {u.uids: u.code for u in new_units if u.gemeente_code == merged_code}
            for unit in old_units:
                if unit.gemeente_code in old_codes and unit.uids in by_uids:
                    out.append(
                        RegionChange(
                            level,
                            before.year,
                            unit.code,
                            after.year,
                            by_uids[unit.uids],
                            "recoded",
                            1.0,
                            note,
                        )
                    )
        return out

    def _move_changes(
        self, before: YearLayout, after: YearLayout, weights: NDArray[np.float64]
    ) -> list[RegionChange]:
        first = self.gemeenten[0]
        donor = f"WK{first.number:04d}{self.donor_slot:02d}"
        receiver = f"WK{first.number:04d}{self.receiver_slot:02d}"
        donor_before = next(u for u in before.wijken if u.code == donor)
        share = float(weights[self.moved_uid] / max(weights[list(donor_before.uids)].sum(), 1e-9))
        note = "buurt verplaatst naar andere wijk (synthetisch)"
        old_bu = next(u.code for u in before.buurten if u.uids == (self.moved_uid,))
        new_bu = next(u.code for u in after.buurten if u.uids == (self.moved_uid,))
        return [
            RegionChange(Level.WIJK, before.year, donor, after.year, donor, "changed",
                         1.0 - share, note),
            RegionChange(Level.WIJK, before.year, donor, after.year, receiver, "changed",
                         share, note),
            RegionChange(Level.WIJK, before.year, receiver, after.year, receiver, "changed",
                         1.0, note),
            RegionChange(Level.BUURT, before.year, old_bu, after.year, new_bu, "recoded",
                         1.0, note),
        ]  # fmt: skip


def build_geography(scale_name: str, seed: int) -> Geography:
    """Invent the demo's map for a scale, deterministically for a seed."""
    try:
        scale = SCALES[scale_name]
    except KeyError:
        raise ValueError(f"unknown demo scale {scale_name!r}; known: {sorted(SCALES)}") from None
    rng = np.random.default_rng([seed, 1])
    outlines = _gemeente_outlines(scale, rng)
    names = _gemeente_names(scale, rng)
    gemeenten: list[Gemeente] = []
    buurt_names: list[str] = []
    buurt_gemeente: list[int] = []
    seeds: list[NDArray[np.float64]] = []
    for index, (outline, name) in enumerate(zip(outlines, names, strict=True)):
        gemeente = Gemeente(index, scale.code_base + index, name, outline)
        n_wijken = int(rng.integers(scale.wijken[0], scale.wijken[1] + 1))
        if index == 0:
            n_wijken = max(n_wijken, 3)
        centres = random_points_in(outline, n_wijken, rng)
        spread = 0.35 * np.sqrt(outline.area / n_wijken)
        wijk_names = rng.permutation(len(_WIJK_NAMES))
        for w in range(n_wijken):
            n_buurten = int(rng.integers(scale.buurten[0], scale.buurten[1] + 1))
            if index == 0 and w == 0:
                n_buurten = max(n_buurten, 3)  # the donor wijk keeps at least two
            points = _points_near(outline, centres[w], spread, n_buurten, rng)
            wijk_name = _WIJK_NAMES[wijk_names[w % len(_WIJK_NAMES)]]
            uids = list(range(len(buurt_names), len(buurt_names) + n_buurten))
            for b in range(n_buurten):
                buurt_names.append(f"{_BUURT_NAMES[(w * 5 + b) % len(_BUURT_NAMES)]} {wijk_name}")
                buurt_gemeente.append(index)
            seeds.append(points)
            gemeente.wijken.append(Wijk(w + 1, wijk_name, uids))
        gemeenten.append(gemeente)
    seed_array = np.concatenate(seeds)
    tiny = rng.random(len(buurt_names)) < scale.tiny_share
    tiny[gemeenten[1].wijken[-1].buurten[-1]] = True  # at least two tiny buurten at any seed
    tiny[gemeenten[-1].wijken[0].buurten[-1]] = True
    for uid in np.flatnonzero(tiny):
        buurt_names[uid] = "Verspreide huizen " + buurt_names[uid].split(" ", 1)[1]
    moved, donor, receiver = _pick_move(gemeenten[0], seed_array)
    tiny[moved] = False
    merged_number = scale.code_base + scale.gemeenten
    merged_name = SMALL_MERGED_NAME if scale_name == "small" else f"{names[-2]}-{names[-1]}"
    return Geography(
        scale=scale,
        gemeenten=gemeenten,
        merged_number=merged_number,
        merged_name=merged_name,
        buurt_names=buurt_names,
        buurt_gemeente=np.asarray(buurt_gemeente, dtype=np.int64),
        seeds=seed_array,
        tiny=tiny,
        moved_uid=moved,
        donor_slot=donor,
        receiver_slot=receiver,
    )


def buurt_cells(geography: Geography) -> list[BaseGeometry]:
    """Each buurt's polygon (RD New), by uid: Voronoi cells of the seeds inside each gemeente."""
    cells: list[BaseGeometry] = [shapely.Polygon()] * geography.buurt_count
    for gemeente in geography.gemeenten:
        uids = [uid for wijk in gemeente.wijken for uid in wijk.buurten]
        for uid, cell in zip(
            uids, voronoi_tiles(geography.seeds[uids], gemeente.outline), strict=True
        ):
            cells[uid] = cell
    return cells


def _pick_move(gemeente: Gemeente, seeds: NDArray[np.float64]) -> tuple[int, int, int]:
    """The donor wijk's buurt closest to another wijk's buurt, and that wijk.

    A closest pair of seeds are each other's nearest neighbours, so their Voronoi cells share an
    edge: the moved buurt touches its new wijk.
    """
    donor = gemeente.wijken[0]
    best: tuple[float, int, int] | None = None
    for other in gemeente.wijken[1:]:
        a = seeds[donor.buurten][:, None, :]
        b = seeds[other.buurten][None, :, :]
        distance = np.sqrt(((a - b) ** 2).sum(axis=2))
        i, _ = np.unravel_index(int(distance.argmin()), distance.shape)
        if best is None or distance.min() < best[0]:
            best = (float(distance.min()), donor.buurten[int(i)], other.slot)
    assert best is not None
    return best[1], donor.slot, best[2]


def _points_near(
    outline: BaseGeometry,
    centre: NDArray[np.float64],
    spread: float,
    count: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    found: list[NDArray[np.float64]] = []
    have = 0
    while have < count:
        xy = centre + rng.normal(0.0, spread, size=(2 * count, 2))
        inside = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        found.append(inside)
        have += len(inside)
        spread *= 0.8  # a centre near the edge: pull the cloud in until enough fall inside
    return np.concatenate(found)[:count]


# A rough outline of the Netherlands in RD New (metres), for placing the national-scale demo.
_NL_OUTLINE = (
    (20000, 370000),
    (55000, 420000),
    (80000, 465000),
    (100000, 510000),
    (112000, 555000),
    (125000, 585000),
    (165000, 605000),
    (215000, 608000),
    (262000, 602000),
    (276000, 580000),
    (268000, 535000),
    (255000, 480000),
    (215000, 445000),
    (205000, 400000),
    (200000, 335000),
    (190000, 310000),
    (176000, 318000),
    (175000, 365000),
    (140000, 380000),
    (90000, 372000),
    (55000, 360000),
)


def _gemeente_outlines(scale: Scale, rng: np.random.Generator) -> list[BaseGeometry]:
    if scale.gemeenten <= 4:
        # A lumpy disc of ~13 km radius near the middle of the country, split in a 2x2 pattern so
        # that the last two gemeenten (which merge) are neighbours.
        centre = np.array([152000.0, 452000.0])
        angles = np.linspace(0, 2 * np.pi, 28, endpoint=False)
        radius = 13000.0 * (1 + 0.12 * rng.standard_normal(len(angles)))
        ring = centre + np.column_stack([np.cos(angles), np.sin(angles)]) * radius[:, None]
        region = shapely.Polygon(ring)
        grid = np.array([[-1, 1], [1, 1], [-1, -1], [1, -1]], dtype=float)[: scale.gemeenten]
        points = centre + grid * 6000.0 + rng.normal(0, 1200, size=grid.shape)
    else:
        region = shapely.Polygon(_NL_OUTLINE)
        points = random_points_in(region, scale.gemeenten, rng)
        # Order west to east in bands so that consecutive gemeenten (the merging pair) are close.
        points = points[np.lexsort((points[:, 0], np.round(points[:, 1] / 40000)))]
    return voronoi_tiles(points, region)


def _gemeente_names(scale: Scale, rng: np.random.Generator) -> list[str]:
    if scale.gemeenten <= len(SMALL_NAMES):
        return list(SMALL_NAMES[: scale.gemeenten])
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < scale.gemeenten:
        prefix = _PREFIXES[int(rng.integers(len(_PREFIXES)))]
        root = _ROOTS[int(rng.integers(len(_ROOTS)))]
        suffix = _SUFFIXES[int(rng.integers(len(_SUFFIXES)))]
        name = prefix + root + suffix
        name = name[0].upper() + name[1:]
        if "-" in name:
            head, tail = name.split("-", 1)
            name = f"{head}-{tail[0].upper()}{tail[1:]}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
