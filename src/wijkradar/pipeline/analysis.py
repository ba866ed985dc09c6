"""Build step after scoring: uncertainty per level and year, peer groups, then hotspots.

Runs only when the methodology version has an uncertainty.yml (methodology.analysis). Each part
reads what scoring read (the LevelYear) or stored (scores, boundaries) and writes the analysis
tables of store.analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from wijkradar.compute import hotspots as gi
from wijkradar.compute.indicators import IndicatorMatrix, indicator_matrix
from wijkradar.compute.inputs import OK, LevelYear
from wijkradar.compute.peers import peer_groups, standardise
from wijkradar.compute.scoring import NATIONAL
from wijkradar.compute.uncertainty import (
    MODEL_NAMES,
    Design,
    Spread,
    agreement,
    certainty_class,
    indicator_spread,
    seed_for,
    simulate,
)
from wijkradar.domain.analysis import CERTAINTY_CLASSES, AnalysisSettings
from wijkradar.domain.methodology import Methodology
from wijkradar.sources.geo import rd_shapes_from_geojson
from wijkradar.store import analysis


def extra_variables(methodology: Methodology, settings: AnalysisSettings) -> set[str]:
    """Variables scoring does not read but this step needs: margins and peer variables."""
    out = {v.variable for v in settings.peer_variables}
    for ind in methodology.indicators:
        for d in ind.derivations:
            if not d.denominator:
                out |= {d.numerator + settings.lower_suffix, d.numerator + settings.upper_suffix}
    return out


def uncertainty_parts(
    data: LevelYear, methodology: Methodology, settings: AnalysisSettings
) -> Iterator[tuple[str, pa.Table]]:
    """indicator_intervals rows, then flag_certainty and stacking_uncertainty per family: all of
    a level-year's uncertainty at once (the build splits it: interval_rows where a year is
    scored, simulation_parts per family on the simulation thread)."""
    matrix = indicator_matrix(data, methodology)
    spread = indicator_spread(data, matrix, methodology, settings)
    yield "indicator_intervals", interval_rows(data, matrix, spread)
    for family in simulated_families(data, settings):
        yield from simulation_parts(data, methodology, settings, family, matrix, spread)


def simulated_families(data: LevelYear, settings: AnalysisSettings) -> list[str]:
    """The reference families of `data` the settings simulate (none for the land level)."""
    return [family for family, _ in _families(data, settings.references)]


def interval_rows(data: LevelYear, matrix: IndicatorMatrix, spread: Spread) -> pa.Table:
    """indicator_intervals rows of a level-year: every indicator value with its interval
    (`spread`: compute.uncertainty.indicator_spread of the same matrix)."""
    codes = np.asarray(data.codes, dtype=object)
    rows, cols = np.nonzero(~np.isnan(matrix.values))
    return pa.table(
        {
            "region_code": pa.array(codes[rows], pa.string()),
            "level": pa.array([data.level] * rows.size, pa.string()),
            "period": pa.array(np.full(rows.size, data.period, dtype=np.int32)),
            "indicator": pa.array(np.asarray(matrix.ids, dtype=object)[cols], pa.string()),
            "lower": spread.lower[rows, cols],
            "upper": spread.upper[rows, cols],
            "model": pa.array(
                np.asarray(MODEL_NAMES, dtype=object)[spread.model[rows, cols]], pa.string()
            ),
        }
    )


def simulation_parts(
    data: LevelYear,
    methodology: Methodology,
    settings: AnalysisSettings,
    family: str,
    matrix: IndicatorMatrix,
    spread: Spread,
) -> Iterator[tuple[str, pa.Table]]:
    """flag_certainty, then stacking_uncertainty rows of one reference family of a level-year
    (its own seed, so families can be simulated apart and in any order); `spread` as for
    interval_rows, computed once for the level-year."""
    reference = dict(_families(data, settings.references))[family]
    codes = np.asarray(data.codes, dtype=object)
    design = Design.from_methodology(methodology, matrix.ids)
    chars = np.asarray([c.id for c in methodology.characteristics], dtype=object)
    m = methodology.settings
    groups, labels = _groups(reference)
    sim = simulate(
        matrix.values,
        spread,
        groups,
        matrix.too_small,
        design,
        draws=settings.draws,
        seed=seed_for(settings.seed, data.level, data.period, family),
        confidence=settings.confidence,
    )
    in_ref = groups >= 0
    n_scored = (~np.isnan(sim.observed_flag[:, design.risk])).sum(axis=1)
    # The areas compute.scoring gives a score (status ok): known population, not too small,
    # enough scored risk characteristics.
    scored_area = (
        in_ref & (n_scored >= m.min_characteristics) & ~matrix.too_small & matrix.population_known
    )
    refs = np.asarray(labels, dtype=object)[np.maximum(groups, 0)]
    # flag_certainty: every scored characteristic of an area in a reference
    r, c = np.nonzero(in_ref[:, None] & ~np.isnan(sim.observed_flag))
    agree = agreement(sim.observed_flag[r, c], sim.p_flag[r, c])
    klass = certainty_class(agree, settings.certain, settings.likely)
    yield (
        "flag_certainty",
        pa.table(
            {
                "reference": pa.array(refs[r], pa.string()),
                "region_code": pa.array(codes[r], pa.string()),
                "level": pa.array([data.level] * r.size, pa.string()),
                "period": pa.array(np.full(r.size, data.period, dtype=np.int32)),
                "characteristic": pa.array(chars[c], pa.string()),
                "flagged": sim.observed_flag[r, c] > 0.5,
                "p_flag": sim.p_flag[r, c],
                "certainty": pa.array(
                    np.asarray(CERTAINTY_CLASSES, dtype=object)[klass], pa.string()
                ),
            }
        ),
    )
    a = np.flatnonzero(scored_area)
    toxic = min(m.toxic_mix_threshold, sim.p_stacking_ge.shape[1] - 1)
    yield (
        "stacking_uncertainty",
        pa.table(
            {
                "reference": pa.array(refs[a], pa.string()),
                "region_code": pa.array(codes[a], pa.string()),
                "level": pa.array([data.level] * a.size, pa.string()),
                "period": pa.array(np.full(a.size, data.period, dtype=np.int32)),
                "stacking": pa.array(sim.observed_stacking[a], pa.int32()),
                "stacking_lower": pa.array(sim.stacking_lower[a], pa.int32()),
                "stacking_upper": pa.array(sim.stacking_upper[a], pa.int32()),
                "p_toxic_mix": sim.p_stacking_ge[a, toxic],
                "p_stacking_ge": pa.array(
                    [list(row) for row in sim.p_stacking_ge[a]], pa.list_(pa.float64())
                ),
                "index_lower": pa.array(sim.index_lower[a], from_pandas=True),
                "index_upper": pa.array(sim.index_upper[a], from_pandas=True),
                "rank_lower": pa.array(sim.rank_lower[a], pa.float64(), from_pandas=True).cast(
                    pa.int32()
                ),
                "rank_upper": pa.array(sim.rank_upper[a], pa.float64(), from_pandas=True).cast(
                    pa.int32()
                ),
                "draws": pa.array(np.full(a.size, sim.draws, dtype=np.int32)),
            }
        ),
    )


def peer_rows(data: LevelYear, settings: AnalysisSettings) -> pa.Table:
    """peer_groups rows of the gemeenten of one year."""
    columns = []
    for var in settings.peer_variables:
        v, s, _ = data.variable(var.variable)
        columns.append(np.where(s == OK, v, np.nan))
    u = standardise(columns, [v.transform for v in settings.peer_variables])
    rows = peer_groups([str(c) for c in data.codes], u, settings.peer_size)
    return pa.table(
        {
            "gemeente_code": pa.array([r[0] for r in rows], pa.string()),
            "period": pa.array([data.period] * len(rows), pa.int32()),
            "peer_code": pa.array([r[1] for r in rows], pa.string()),
            "rank": pa.array([r[2] for r in rows], pa.int32()),
            "distance": pa.array([r[3] for r in rows], pa.float64()),
        }
    )


def hotspot_rows(
    con: duckdb.DuckDBPyConnection,
    level: str,
    period: int,
    settings: AnalysisSettings,
    neighbours: Neighbours | None = None,
) -> pa.Table | None:
    """Gi* of stacking and every characteristic score of a level and year; None without
    boundaries. Pass one `neighbours` for every year of a level, so unchanged outlines are not
    parsed and intersected again."""
    shapes = analysis.boundaries(con, level, period)
    if len(shapes) < 3:
        return None
    codes = pa.array([code for code, _ in shapes], pa.string())
    neighbours = neighbours or Neighbours(settings.neighbour_tolerance_m)
    pairs = neighbours.pairs(level, shapes)
    measures, values = _measure_matrix(analysis.hotspot_measures(con, level, period), codes)
    parts = []
    for m, measure in enumerate(measures):
        z = gi.gi_star(values[m], pairs)
        p = gi.p_two_sided(z)
        q = gi.adjust(p, settings.hotspot_correction)
        cluster = gi.classify(z, q, settings.hotspot_alpha)
        idx = np.flatnonzero(~np.isnan(values[m]))
        parts.append(
            pa.table(
                {
                    "level": pa.array([level] * idx.size, pa.string()),
                    "period": pa.array(np.full(idx.size, period, dtype=np.int32)),
                    "measure": pa.array([measure] * idx.size, pa.string()),
                    "region_code": codes.take(idx),
                    "value": values[m][idx],
                    "gi_z": pa.array(z[idx], from_pandas=True),
                    "p_value": pa.array(p[idx], from_pandas=True),
                    "q_value": pa.array(q[idx], from_pandas=True),
                    "cluster": pa.array(
                        np.asarray(gi.CLUSTERS, dtype=object)[cluster[idx]], pa.string()
                    ),
                    "correction": pa.array([settings.hotspot_correction] * idx.size, pa.string()),
                    "alpha": np.full(idx.size, settings.hotspot_alpha),
                }
            )
        )
    return pa.concat_tables(parts) if parts else None


class Neighbours:
    """Queen pairs of a level's boundary layers, year after year. A layer parses and
    intersects only the outlines that are new or changed since the level's previous layer
    (CBS redraws a few areas a year): two unchanged outlines touch as they did."""

    def __init__(self, tolerance: float) -> None:
        self._tolerance = tolerance
        # level -> (outline text per code, parsed outline per code, pairs of codes a < b)
        self._last: dict[str, tuple[dict[str, str], dict[str, Any], set[tuple[str, str]]]] = {}

    def pairs(self, level: str, shapes: list[tuple[str, str]]) -> npt.NDArray[np.int64]:
        """(m, 2) sorted index pairs i < j into `shapes` (sorted by code) of touching areas."""
        texts = dict(shapes)
        codes = [code for code, _ in shapes]
        last_texts, last_geoms, last_pairs = self._last.get(level, ({}, {}, set()))
        same = {code for code in codes if last_texts.get(code) == texts[code]}
        changed = [code for code in codes if code not in same]
        geoms = {code: last_geoms[code] for code in same}
        geoms.update(zip(changed, rd_shapes_from_geojson([texts[c] for c in changed]), strict=True))
        found = {(a, b) for a, b in last_pairs if a in same and b in same}
        left, right = gi.touching(
            [geoms[c] for c in changed], [geoms[c] for c in codes], self._tolerance
        )
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            a, b = changed[i], codes[j]
            if a != b:
                found.add((a, b) if a < b else (b, a))
        self._last[level] = (texts, geoms, found)
        position = {code: i for i, code in enumerate(codes)}
        pairs = sorted((position[a], position[b]) for a, b in found)
        return np.asarray(pairs, dtype=np.int64).reshape(-1, 2)


def _measure_matrix(rows: pa.Table, codes: pa.Array) -> tuple[list[str], npt.NDArray[np.float64]]:
    """(measures, values (measures, areas)) from (measure, region_code, value) rows; NaN where an
    area has no value (or a code has no outline)."""
    encoded = pc.dictionary_encode(rows.column("measure").combine_chunks())
    measures = [str(m) for m in encoded.dictionary.to_pylist()]
    values = np.full((len(measures), len(codes)), np.nan)
    position = pc.index_in(rows.column("region_code"), value_set=codes)
    known = pc.is_valid(position).to_numpy(zero_copy_only=False)
    row_of = encoded.indices.to_numpy(zero_copy_only=False)[known]
    col_of = position.to_numpy(zero_copy_only=False)[known].astype(np.int64)
    values[row_of, col_of] = rows.column("value").to_numpy()[known]
    return measures, values


def _families(
    data: LevelYear, wanted: tuple[str, ...]
) -> list[tuple[str, npt.NDArray[np.object_]]]:
    """(family, reference code per area) for the reference families the settings simulate, as
    compute.scoring.reference_families builds them."""
    out: list[tuple[str, npt.NDArray[np.object_]]] = []
    if data.level == "land":
        return out
    if "national" in wanted:
        out.append(("national", np.full(data.n, NATIONAL, dtype=object)))
    below = data.level in ("gemeente", "wijk", "buurt")
    if "provincie" in wanted and below and any(p for p in data.provincie):
        out.append(("provincie", data.provincie))
    if "gemeente" in wanted and data.level in ("wijk", "buurt") and any(g for g in data.gemeente):
        out.append(("gemeente", data.gemeente))
    return out


def _groups(reference: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Group number per area (-1: in no reference) and the reference code of each group."""
    present = sorted({str(r) for r in reference if r})
    index = {code: i for i, code in enumerate(present)}
    groups = np.array([index.get(str(r), -1) if r else -1 for r in reference], dtype=np.int64)
    return groups, present
