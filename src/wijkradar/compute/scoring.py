"""Scores for one level and year, against each reference population.

For each reference (NL01, a provincie or a gemeente: its areas of this level form the population):
1. indicator percentile  p_i = percent rank of the indicator, oriented so higher = more vulnerable
   (for higher_is_better indicators the value is negated before ranking); see compute.ranks.
2. characteristic score  S_c = mean of p_i over its indicators with a percentile; n_indicators
   records how many were used, so a missing indicator never lowers a score. No indicator: NULL.
3. flag                  F_c = percent rank of S_c among the population ≥ 100 × (1 − top_share).
4. stacking              = Σ_c F_c over the twelve risk characteristics (0..12); toxic mix when
   stacking ≥ toxic_mix_threshold.
5. theme score           T_t = Σ_c w_ct S_c / Σ_c w_ct over characteristics with a score; NULL when
   the available weight Σ w_ct is below min_theme_weight_share of the theme's total weight.
6. overall index         I = mean_c S_c (index_transform none) or mean_c X_c with X_c the IMD
   exponential transform of S_c's rank (imd_exponential); over the risk characteristics scored.
7. protection            P = 100 − mean over protective factors of S_f (their indicators are
   oriented so higher = less protection), so higher P = better protected.
An area below the minimum population gets status too_small; one with fewer than
min_characteristics scored risk characteristics gets insufficient_data; both with NULL scores and
a reason (compute.reasons: a code with parameters, plus its English wording in status_reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from wijkradar.compute import reasons
from wijkradar.compute.indicators import IndicatorMatrix, indicator_matrix
from wijkradar.compute.inputs import OK, STATUS_NAMES, UNRANKED, LevelYear, ObjArray
from wijkradar.compute.ranks import imd_exponential, percent_ranks
from wijkradar.domain.methodology import Methodology, Polarity
from wijkradar.domain.region import NATIONAL_CODE

NATIONAL = NATIONAL_CODE
STATUS_LABELS = [str(name) for name in STATUS_NAMES]  # indexed by the compute status codes
AREA_STATUS = ["ok", "too_small", "insufficient_data"]

REASON_SCHEMA = pa.schema(
    [
        ("reference", pa.string()),
        ("region_code", pa.string()),
        ("level", pa.string()),
        ("period", pa.int32()),
        ("reason_code", pa.string()),
        ("reason_params", pa.string()),
    ]
)


@dataclass(frozen=True)
class ScoreTables:
    """Rows for the score tables of the monitor database (column names as in schema.sql)."""

    indicator_values: pa.Table
    indicator_ranks: pa.Table
    characteristic_scores: pa.Table
    theme_scores: pa.Table
    area_scores: pa.Table
    area_status_reasons: pa.Table = field(default_factory=lambda: REASON_SCHEMA.empty_table())


def reference_families(data: LevelYear) -> list[ObjArray]:
    """Per family of references, the reference code of each area (None = not in one).

    NL01 for every level below land; each provincie for gemeenten, wijken and buurten when the
    hierarchy has provinces; each gemeente for its own wijken and buurten.
    """
    if data.level == "land":
        return []
    families = [np.full(data.n, NATIONAL, dtype=object)]
    if data.level in ("gemeente", "wijk", "buurt") and any(p for p in data.provincie):
        families.append(data.provincie)
    if data.level in ("wijk", "buurt") and any(g for g in data.gemeente):
        families.append(data.gemeente)
    return families


def _groups(reference: ObjArray) -> tuple[npt.NDArray[np.int64], pa.Array]:
    """Group number per area (-1: in no reference) and the reference code of each group."""
    encoded = pa.array(reference, pa.string()).dictionary_encode()
    labels = encoded.dictionary
    groups = np.asarray(
        pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    blank = [i for i, code in enumerate(labels.to_pylist()) if not code]
    if blank:
        groups[np.isin(groups, blank)] = -1
    return groups, labels


def _take(labels: pa.Array | list[str], index: npt.NDArray[np.integer[Any]]) -> pa.Array:
    """A string column from a few labels and a position per row: dictionary-encoded, so no
    string is copied per row (DuckDB stores it as the VARCHAR it is)."""
    array = labels if isinstance(labels, pa.Array) else pa.array(labels, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), array)


def _repeat(label: str, size: int) -> pa.Array:
    return _take([label], np.zeros(size, dtype=np.int32))


def score_parts(
    data: LevelYear, methodology: Methodology, matrix: IndicatorMatrix | None = None
) -> Iterator[tuple[str, pa.Table]]:
    """(score table name, rows) for one level and year: indicator_values, then per reference
    family its indicator_ranks, characteristic_scores, theme_scores and area_scores.

    A generator, so a caller can store each part before the next is computed and never hold a
    whole national buurt year of score rows at once.
    """
    if matrix is None:  # the caller may pass the one it also simulates with
        matrix = indicator_matrix(data, methodology)
    codes = pa.array(data.codes, pa.string())
    yield "indicator_values", _indicator_values_table(data, codes, matrix, methodology)
    for reference in reference_families(data):
        groups, labels = _groups(reference)
        ranks, chars, themes, areas, why = _score_reference(
            data, codes, matrix, methodology, labels, groups
        )
        yield "indicator_ranks", ranks
        yield "characteristic_scores", chars
        yield "theme_scores", themes
        yield "area_scores", areas
        yield "area_status_reasons", why


def score_level_year(data: LevelYear, methodology: Methodology) -> ScoreTables:
    """All score rows of one level and year, for every reference family."""
    parts: dict[str, list[pa.Table]] = {}
    for name, rows in score_parts(data, methodology):
        parts.setdefault(name, []).append(rows)
    return ScoreTables(
        indicator_values=_concat(parts.get("indicator_values", []), VALUE_SCHEMA),
        indicator_ranks=_concat(parts.get("indicator_ranks", []), RANK_SCHEMA),
        characteristic_scores=_concat(parts.get("characteristic_scores", []), CHAR_SCHEMA),
        theme_scores=_concat(parts.get("theme_scores", []), THEME_SCHEMA),
        area_scores=_concat(parts.get("area_scores", []), AREA_SCHEMA),
        area_status_reasons=_concat(parts.get("area_status_reasons", []), REASON_SCHEMA),
    )


def oriented_percentiles(
    matrix: IndicatorMatrix, methodology: Methodology, groups: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """(n, k) percentiles with higher = more vulnerable (or less protected)."""
    out = np.full(matrix.values.shape, np.nan)
    for j, ind_id in enumerate(matrix.ids):
        col = matrix.values[:, j]
        if methodology.indicator(ind_id).polarity is Polarity.HIGHER_IS_BETTER:
            col = -col
        out[:, j] = percent_ranks(col, groups)
    return out


def score_reference(
    data: LevelYear,
    codes: pa.Array,
    matrix: IndicatorMatrix,
    methodology: Methodology,
    labels: pa.Array,
    groups: npt.NDArray[np.int64],
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """Score rows for one family of references: `groups` numbers each area's reference
    population (-1: none), `labels` names the groups. Rows of indicator_ranks,
    characteristic_scores, theme_scores and area_scores."""
    return _score_reference(data, codes, matrix, methodology, labels, groups)[:4]


def _score_reference(
    data: LevelYear,
    codes: pa.Array,
    matrix: IndicatorMatrix,
    methodology: Methodology,
    labels: pa.Array,
    groups: npt.NDArray[np.int64],
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table, pa.Table]:
    """score_reference's tables, then the area_status_reasons rows (areas without a score)."""
    settings = methodology.settings
    n = data.n
    in_ref = groups >= 0
    pct = oriented_percentiles(matrix, methodology, groups)

    rank_status = np.where(np.isnan(pct), UNRANKED, OK)
    # Rank rows only where the value is there: a missing, suppressed or too-small value's rank
    # row would repeat the value's status once per reference family (46 % of the rows at
    # national scale); readers take the status of indicator_values where no rank row is.
    rows, cols = np.nonzero(in_ref[:, None] & (matrix.status == OK))
    ranks = pa.table(
        {
            "reference": _take(labels, groups[rows]),
            "region_code": _take(codes, rows),
            "level": _repeat(data.level, rows.size),
            "period": np.full(rows.size, data.period, dtype=np.int32),
            "indicator": _take(list(matrix.ids), cols),
            "percentile": pa.array(pct[rows, cols], from_pandas=True),
            "status": _take(STATUS_LABELS, rank_status[rows, cols]),
        },
        schema=RANK_SCHEMA,
    )

    chars = methodology.characteristics
    ids = np.asarray(matrix.ids, dtype=object)
    score = np.full((n, len(chars)), np.nan)
    used = np.zeros((n, len(chars)), dtype=np.int32)
    flag = np.full((n, len(chars)), np.nan)
    threshold = 100.0 * (1.0 - settings.flag_top_share)
    for c, char in enumerate(chars):
        cols_c = np.flatnonzero(np.isin(ids, [i.id for i in methodology.indicators_for(char.id)]))
        if cols_c.size == 0:
            continue
        block = pct[:, cols_c]
        used[:, c] = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            score[:, c] = np.where(
                used[:, c] > 0, np.nansum(block, axis=1) / np.maximum(used[:, c], 1), np.nan
            )
        score[matrix.too_small, c] = np.nan
        p_score = percent_ranks(score[:, c], groups)
        flag[:, c] = np.where(np.isnan(p_score), np.nan, p_score >= threshold - 1e-9)

    risk = np.array([not ch.protective for ch in chars])
    n_scored = (~np.isnan(score[:, risk])).sum(axis=1)
    pop_unknown = ~matrix.population_known
    # Area status 0 ok, 1 too_small, 2 insufficient_data; reason 0 "", 1 too small, 2 population
    # unknown, 3 + k: k risk characteristics scored (too few).
    too_few = n_scored < settings.min_characteristics
    area_code = np.where(matrix.too_small, 1, np.where(pop_unknown | too_few, 2, 0))
    reason_code = np.where(
        matrix.too_small, 1, np.where(pop_unknown, 2, np.where(too_few, 3 + n_scored, 0))
    )
    n_risk = int(risk.sum())
    why: list[tuple[str, dict[str, int]]] = [
        ("", {}),
        (reasons.TOO_SMALL, {"min_population": settings.min_population}),
        (reasons.POPULATION_UNKNOWN, {}),
        *(
            (
                reasons.INSUFFICIENT_CHARACTERISTICS,
                {"scored": k, "total": n_risk, "needed": settings.min_characteristics},
            )
            for k in range(n_risk + 1)
        ),
    ]
    reason_en = [reasons.text(code, params, "en") if code else "" for code, params in why]
    ok_area = area_code == 0
    char_code = np.where(matrix.too_small[:, None], 1, np.where(np.isnan(score), 2, 0))

    r_rows = np.repeat(np.flatnonzero(in_ref), len(chars))
    r_cols = np.tile(np.arange(len(chars)), int(in_ref.sum()))
    flag_vals = flag[r_rows, r_cols]
    char_table = pa.table(
        {
            "reference": _take(labels, groups[r_rows]),
            "region_code": _take(codes, r_rows),
            "level": _repeat(data.level, r_rows.size),
            "period": np.full(r_rows.size, data.period, dtype=np.int32),
            "characteristic": _take([c.id for c in chars], r_cols),
            "score": pa.array(score[r_rows, r_cols], from_pandas=True),
            "flagged": pa.array(flag_vals > 0.5, mask=np.isnan(flag_vals), type=pa.bool_()),
            "n_indicators": used[r_rows, r_cols],
            "status": _take(["ok", "too_small", "missing"], char_code[r_rows, r_cols]),
        },
        schema=CHAR_SCHEMA,
    )

    risk_score = score[:, risk]
    stacking = np.nansum(np.nan_to_num(flag[:, risk], nan=0.0), axis=1).astype(np.int64)
    if settings.index_transform == "imd_exponential":
        transformed = np.column_stack(
            [imd_exponential(risk_score[:, c], groups) for c in range(risk_score.shape[1])]
        )
        overall = _nanmean(transformed)
    else:
        overall = _nanmean(risk_score)
    protection = 100.0 - _nanmean(score[:, ~risk]) if (~risk).any() else np.full(n, np.nan)

    theme_tables = []
    area_tables = []
    sel = np.flatnonzero(in_ref)
    for framework in methodology.frameworks:
        risk_ids = [c.id for c in chars if not c.protective]
        weights = np.array(
            [[framework.weight(c, t.id) for t in framework.themes] for c in risk_ids], dtype=float
        )
        have = ~np.isnan(risk_score)
        num = np.where(have, risk_score, 0.0) @ weights
        den = have.astype(float) @ weights
        total = weights.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            theme = np.where(den > 0, num / den, np.nan)
        enough = den >= settings.min_theme_weight_share * total - 1e-9
        theme = np.where(enough & ok_area[:, None], theme, np.nan)
        t_code = np.where(ok_area[:, None], np.where(np.isnan(theme), 2, 0), area_code[:, None])
        t_rows = np.repeat(sel, len(framework.themes))
        t_cols = np.tile(np.arange(len(framework.themes)), sel.size)
        theme_tables.append(
            pa.table(
                {
                    "framework": _repeat(framework.id, t_rows.size),
                    "reference": _take(labels, groups[t_rows]),
                    "region_code": _take(codes, t_rows),
                    "level": _repeat(data.level, t_rows.size),
                    "period": np.full(t_rows.size, data.period, dtype=np.int32),
                    "theme": _take([t.id for t in framework.themes], t_cols),
                    "score": pa.array(theme[t_rows, t_cols], from_pandas=True),
                    "status": _take(AREA_STATUS, t_code[t_rows, t_cols]),
                },
                schema=THEME_SCHEMA,
            )
        )
        area_tables.append(
            pa.table(
                {
                    "framework": _repeat(framework.id, sel.size),
                    "reference": _take(labels, groups[sel]),
                    "region_code": _take(codes, sel),
                    "level": _repeat(data.level, sel.size),
                    "period": np.full(sel.size, data.period, dtype=np.int32),
                    "stacking": pa.array(stacking[sel], mask=~ok_area[sel], type=pa.int32()),
                    "toxic_mix": pa.array(
                        stacking[sel] >= settings.toxic_mix_threshold,
                        mask=~ok_area[sel],
                        type=pa.bool_(),
                    ),
                    "overall_index": pa.array(
                        np.where(ok_area[sel], overall[sel], np.nan), from_pandas=True
                    ),
                    "protective": pa.array(
                        np.where(ok_area[sel], protection[sel], np.nan), from_pandas=True
                    ),
                    "status": _take(AREA_STATUS, area_code[sel]),
                    "status_reason": _take(reason_en, reason_code[sel]),
                },
                schema=AREA_SCHEMA,
            )
        )
    no_score = sel[reason_code[sel] > 0]
    reason_table = pa.table(
        {
            "reference": _take(labels, groups[no_score]),
            "region_code": _take(codes, no_score),
            "level": _repeat(data.level, no_score.size),
            "period": np.full(no_score.size, data.period, dtype=np.int32),
            "reason_code": _take([code for code, _ in why], reason_code[no_score]),
            "reason_params": _take(
                [reasons.encode_params(params) for _, params in why], reason_code[no_score]
            ),
        },
        schema=REASON_SCHEMA,
    )
    return (
        ranks,
        char_table,
        _concat(theme_tables, THEME_SCHEMA),
        _concat(area_tables, AREA_SCHEMA),
        reason_table,
    )


def _nanmean(block: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    count = (~np.isnan(block)).sum(axis=1)
    total = np.nansum(block, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _indicator_values_table(
    data: LevelYear, codes: pa.Array, matrix: IndicatorMatrix, methodology: Methodology
) -> pa.Table:
    k = len(matrix.ids)
    rows = np.repeat(np.arange(data.n), k)
    cols = np.tile(np.arange(k), data.n)
    units = [methodology.indicator(i).unit for i in matrix.ids]
    source_sets = pa.array([list(s) for s in matrix.source_sets], type=pa.list_(pa.string()))
    return pa.table(
        {
            "region_code": _take(codes, rows),
            "level": _repeat(data.level, rows.size),
            "period": np.full(rows.size, data.period, dtype=np.int32),
            "indicator": _take(list(matrix.ids), cols),
            "value": pa.array(matrix.values[rows, cols], from_pandas=True),
            "status": _take(STATUS_LABELS, matrix.status[rows, cols]),
            "unit": _take(units, cols),
            "source_ids": pc.take(source_sets, pa.array(matrix.sources[rows, cols])),
        },
        schema=VALUE_SCHEMA,
    )


def _concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(tables) if tables else schema.empty_table()


# The string columns of the large score tables: each row an index into a few labels (or the
# level's region codes), as _take builds them; DuckDB stores them as plain VARCHAR.
LABEL = pa.dictionary(pa.int32(), pa.string())
VALUE_SCHEMA = pa.schema(
    [
        ("region_code", LABEL),
        ("level", LABEL),
        ("period", pa.int32()),
        ("indicator", LABEL),
        ("value", pa.float64()),
        ("status", LABEL),
        ("unit", LABEL),
        ("source_ids", pa.list_(pa.string())),
    ]
)
RANK_SCHEMA = pa.schema(
    [
        ("reference", LABEL),
        ("region_code", LABEL),
        ("level", LABEL),
        ("period", pa.int32()),
        ("indicator", LABEL),
        ("percentile", pa.float64()),
        ("status", LABEL),
    ]
)
CHAR_SCHEMA = pa.schema(
    [
        ("reference", LABEL),
        ("region_code", LABEL),
        ("level", LABEL),
        ("period", pa.int32()),
        ("characteristic", LABEL),
        ("score", pa.float64()),
        ("flagged", pa.bool_()),
        ("n_indicators", pa.int32()),
        ("status", LABEL),
    ]
)
THEME_SCHEMA = pa.schema(
    [
        ("framework", LABEL),
        ("reference", LABEL),
        ("region_code", LABEL),
        ("level", LABEL),
        ("period", pa.int32()),
        ("theme", LABEL),
        ("score", pa.float64()),
        ("status", LABEL),
    ]
)
AREA_SCHEMA = pa.schema(
    [
        ("framework", pa.string()),
        ("reference", pa.string()),
        ("region_code", pa.string()),
        ("level", pa.string()),
        ("period", pa.int32()),
        ("stacking", pa.int32()),
        ("toxic_mix", pa.bool_()),
        ("overall_index", pa.float64()),
        ("protective", pa.float64()),
        ("status", pa.string()),
        ("status_reason", pa.string()),
    ]
)
