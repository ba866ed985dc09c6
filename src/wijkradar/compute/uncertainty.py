"""Uncertainty of indicators, flags and stacking: intervals and seeded, vectorised simulation.

Models (docs/uncertainty.md states them with their limits):

- **margin**: the source gives 95 % bounds (GGD health monitor: variables <key>__lo95 and
  <key>__hi95). Interval [lo, hi]; standard error sd = (hi − lo) / (2 z).
- **binomial**: an indicator that is a share of persons (unit % or per 100 / per 1 000
  inhabitants) is read as p̂ = value / scale of n = the area's population. Agresti–Coull:
  ñ = n + z², p̃ = (n p̂ + z²/2) / ñ, sd = √(p̃ (1 − p̃) / ñ), interval p̃ ± z sd clipped to
  [0, 1]; all times scale.
- **none**: no model (averages, shares of establishments): the value is taken as exact.

Simulation: draw d gives every indicator value x + sd · Z (Z standard normal, one per draw, area
and indicator; clipped to the unit's range), then scores exactly as compute.scoring does:
percentiles within the reference, characteristic score, top-decile flag, stacking, index. Over the
draws: P(flag) per characteristic, P(stacking ≥ k), and intervals of stacking, index and the
index's rank. The draws use common random numbers (the same Z whatever the widths), so one
area's flag on a one-indicator characteristic can only lose certainty when its interval widens.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from wijkradar.compute.indicators import IndicatorMatrix
from wijkradar.compute.inputs import OK, LevelYear
from wijkradar.compute.ranks import row_grouped_ranks, row_imd_exponential, row_percent_ranks
from wijkradar.domain.analysis import AnalysisSettings
from wijkradar.domain.methodology import Methodology, Polarity

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MODEL_NONE, MODEL_BINOMIAL, MODEL_MARGIN = 0, 1, 2
MODEL_NAMES = ("none", "binomial", "margin")
# Elements (draws × areas × indicators) simulated at once: bounds memory to ~100 MB.
BATCH_ELEMENTS = 2_000_000


def z_value(confidence: float) -> float:
    """Two-sided normal quantile: 1.959964 for 0.95."""
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def binomial_interval(
    value: FloatArray, n: FloatArray, scale: float, z: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(sd, lower, upper) of a share `value` (in units of `scale`, 100 for %) of n persons.

    Agresti–Coull, so an area with a share of 0 still has a width. NaN where value or n is
    missing or n ≤ 0.
    """
    value = np.asarray(value, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_hat = np.clip(value / scale, 0.0, 1.0)
        n_tilde = n + z * z
        p_tilde = (n * p_hat + z * z / 2.0) / n_tilde
        sd = np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
    bad = ~(np.isfinite(value) & np.isfinite(n) & (n > 0))
    lower = np.clip(p_tilde - z * sd, 0.0, 1.0) * scale
    upper = np.clip(p_tilde + z * sd, 0.0, 1.0) * scale
    sd = sd * scale
    return (
        np.where(bad, np.nan, sd),
        np.where(bad, np.nan, lower),
        np.where(bad, np.nan, upper),
    )


def margin_sd(lower: FloatArray, upper: FloatArray, z: float) -> FloatArray:
    """Standard error from published bounds: (upper − lower) / (2 z)."""
    return (np.asarray(upper, dtype=np.float64) - np.asarray(lower, dtype=np.float64)) / (2 * z)


@dataclass(frozen=True)
class Spread:
    """Per area and indicator: standard error, interval and model; per indicator the range."""

    sd: FloatArray  # (n, k); 0 where no model, NaN where the value is NaN
    lower: FloatArray  # (n, k)
    upper: FloatArray  # (n, k)
    model: npt.NDArray[np.int8]  # (n, k) MODEL_*
    floor: FloatArray  # (k,) smallest possible value (0 for shares, -inf otherwise)
    ceiling: FloatArray  # (k,) largest possible value (the scale for shares, +inf otherwise)


def indicator_spread(
    data: LevelYear, matrix: IndicatorMatrix, methodology: Methodology, settings: AnalysisSettings
) -> Spread:
    """The spread of every indicator value of one level and year (see the module docstring)."""
    n, k = matrix.values.shape
    z = z_value(settings.confidence)
    sd = np.where(np.isnan(matrix.values), np.nan, 0.0)
    lower = matrix.values.copy()
    upper = matrix.values.copy()
    model = np.zeros((n, k), dtype=np.int8)
    floor = np.full(k, -np.inf)
    ceiling = np.full(k, np.inf)
    pop, pop_s, _ = data.variable(methodology.settings.population_variable)
    pop = np.where(pop_s == OK, pop, np.nan)
    for j, ind_id in enumerate(matrix.ids):
        ind = methodology.indicator(ind_id)
        value = matrix.values[:, j]
        have = ~np.isnan(value)
        scale = settings.binomial_scale(ind.id, ind.unit)
        if scale is not None:
            b_sd, b_lo, b_hi = binomial_interval(value, pop, scale, z)
            use = have & ~np.isnan(b_sd)
            sd[:, j] = np.where(use, b_sd, sd[:, j])
            lower[:, j] = np.where(use, b_lo, lower[:, j])
            upper[:, j] = np.where(use, b_hi, upper[:, j])
            model[:, j] = np.where(use, MODEL_BINOMIAL, model[:, j])
            floor[j], ceiling[j] = 0.0, scale
        derivation = next(
            (d for d in ind.derivation_for(data.period) if d.numerator in data.values), None
        )
        if derivation is None or derivation.denominator:
            continue  # margins are given for a published estimate, not for a ratio we form
        lo_key = derivation.numerator + settings.lower_suffix
        hi_key = derivation.numerator + settings.upper_suffix
        if lo_key not in data.values or hi_key not in data.values:
            continue
        lo = data.values[lo_key] * derivation.scale
        hi = data.values[hi_key] * derivation.scale
        use = have & np.isfinite(lo) & np.isfinite(hi) & (hi >= lo)
        sd[:, j] = np.where(use, margin_sd(lo, hi, z), sd[:, j])
        lower[:, j] = np.where(use, lo, lower[:, j])
        upper[:, j] = np.where(use, hi, upper[:, j])
        model[:, j] = np.where(use, MODEL_MARGIN, model[:, j])
        if scale is None:
            floor[j] = 0.0
    return Spread(sd=sd, lower=lower, upper=upper, model=model, floor=floor, ceiling=ceiling)


@dataclass(frozen=True)
class Design:
    """How indicators make characteristics, flags, stacking and the index (compute.scoring)."""

    higher_is_better: npt.NDArray[np.bool_]  # (k,)
    char_of: IntArray  # (k,) characteristic index of each indicator
    risk: npt.NDArray[np.bool_]  # (c,) risk characteristic (else protective factor)
    top_share: float
    index_transform: str = "none"

    @classmethod
    def from_methodology(cls, methodology: Methodology, indicator_ids: tuple[str, ...]) -> Design:
        chars = [c.id for c in methodology.characteristics]
        inds = [methodology.indicator(i) for i in indicator_ids]
        return cls(
            higher_is_better=np.array(
                [i.polarity is Polarity.HIGHER_IS_BETTER for i in inds], dtype=bool
            ),
            char_of=np.array([chars.index(i.serves) for i in inds], dtype=np.int64),
            risk=np.array([not c.protective for c in methodology.characteristics], dtype=bool),
            top_share=methodology.settings.flag_top_share,
            index_transform=methodology.settings.index_transform,
        )

    @property
    def n_chars(self) -> int:
        return int(self.risk.size)


@dataclass(frozen=True)
class Simulation:
    """Results per area (rows as the input); NaN where the observed value is absent."""

    observed_flag: FloatArray  # (n, c) 1/0, NaN without a score
    p_flag: FloatArray  # (n, c) share of draws with the characteristic flagged
    observed_stacking: IntArray  # (n,)
    p_stacking_ge: FloatArray  # (n, R + 1): column k = P(stacking ≥ k), R = risk characteristics
    stacking_lower: IntArray  # (n,)
    stacking_upper: IntArray  # (n,)
    index_lower: FloatArray  # (n,)
    index_upper: FloatArray  # (n,)
    rank_lower: FloatArray  # (n,) best (smallest) plausible rank of the index, 1 = most vulnerable
    rank_upper: FloatArray  # (n,)
    draws: int


@dataclass(frozen=True)
class _State:
    flag: npt.NDArray[np.bool_]  # (B, n, c)
    has_score: npt.NDArray[np.bool_]  # (B, n, c)
    stacking: IntArray  # (B, n)
    index: FloatArray  # (B, n)
    rank: FloatArray  # (B, n)
    pct: list[FloatArray]  # k × (B, n) indicator percentiles
    p_score: list[FloatArray]  # c × (B, n) percentiles of the characteristic scores


@dataclass(frozen=True)
class _Fixed:
    """What no draw changes: indicators without spread in any area keep their observed
    percentiles, and characteristics made only of such indicators their observed score ranks.
    Skipping their sorts is most of the saving at national scale."""

    pct: list[FloatArray]  # k × (1, n) observed
    p_score: list[FloatArray]  # c × (1, n) observed
    moving: npt.NDArray[np.bool_]  # (k,) indicator with spread somewhere
    moving_char: npt.NDArray[np.bool_]  # (c,)
    # (c,) the one indicator whose percentiles are the characteristic's score percentiles, -1
    # if none: see _single_indicator.
    same_as: IntArray


def _state(
    b: int,
    columns: list[FloatArray | None],
    groups: IntArray,
    too_small: npt.NDArray[np.bool_],
    design: Design,
    fixed: _Fixed | None = None,
) -> _State:
    """Flags, stacking, index and index rank of b sets of indicator values: columns[j] is
    indicator j's values (b, n), None for an indicator that keeps its fixed percentiles.

    Each draw is ranked on its own (compute.ranks.row_*). Sums over indicators and
    characteristics are taken on blocks laid out as before, so they add in the same order and
    give the same bits.
    """
    n = groups.size
    k = len(columns)
    pct: list[FloatArray] = []
    for j in range(k):
        col = columns[j]
        if col is None:
            assert fixed is not None
            pct.append(np.broadcast_to(fixed.pct[j], (b, n)))
            continue
        oriented = -col if design.higher_is_better[j] else col
        pct.append(row_percent_ranks(oriented, groups))
    c_total = design.n_chars
    score = np.full((b, n, c_total), np.nan)
    for c in range(c_total):
        cols = np.flatnonzero(design.char_of == c)
        if cols.size == 0:
            continue
        # Laid out indicator by indicator, as numpy lays out pct[:, :, cols] of a (B, n, k)
        # array (compute.scoring): nansum then adds in the same order.
        block = np.stack([pct[j] for j in cols]).transpose(1, 2, 0)
        used = (~np.isnan(block)).sum(axis=2)
        with np.errstate(invalid="ignore"):
            score[:, :, c] = np.where(
                used > 0, np.nansum(block, axis=2) / np.maximum(used, 1), np.nan
            )
    score[:, too_small, :] = np.nan
    threshold = 100.0 * (1.0 - design.top_share) - 1e-9
    p_score: list[FloatArray] = []
    for c in range(c_total):
        if fixed is not None and not fixed.moving_char[c]:
            p_score.append(np.broadcast_to(fixed.p_score[c], (b, n)))
            continue
        if fixed is not None and fixed.same_as[c] >= 0:
            p_score.append(pct[int(fixed.same_as[c])])
            continue
        p_score.append(row_percent_ranks(score[:, :, c], groups))
    # NaN (no score) compares False: not flagged, as nan_to_num(-1) gave, without the copy.
    flag = np.stack(p_score, axis=2) >= threshold
    stacking = flag[:, :, design.risk].sum(axis=2).astype(np.int64)
    risk_score = score[:, :, design.risk]
    if design.index_transform == "imd_exponential":
        risk_score = np.stack(
            [row_imd_exponential(risk_score[:, :, c], groups) for c in range(risk_score.shape[2])],
            axis=2,
        )
    count = (~np.isnan(risk_score)).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(count > 0, np.nansum(risk_score, axis=2) / np.maximum(count, 1), np.nan)
    # Rank 1 = the highest index of the reference.
    rank, _ = row_grouped_ranks(-index, groups)
    return _State(
        flag=flag,
        has_score=~np.isnan(score),
        stacking=stacking,
        index=index,
        rank=rank,
        pct=pct,
        p_score=p_score,
    )


def simulate(
    values: FloatArray,
    spread: Spread,
    groups: IntArray,
    too_small: npt.NDArray[np.bool_],
    design: Design,
    *,
    draws: int,
    seed: int | tuple[int, ...],
    confidence: float = 0.95,
) -> Simulation:
    """Flag and stacking probabilities of every area from `draws` seeded draws.

    values (n, k) indicator values (NaN: none); groups (n,) reference population of each area
    (-1: in none); too_small (n,) areas without scores. The same seed gives the same result.
    """
    values = np.asarray(values, dtype=np.float64)
    n, k = values.shape
    groups = np.asarray(groups, dtype=np.int64)
    observed = _state(1, [values[None, :, j] for j in range(k)], groups, too_small, design)
    sd = np.nan_to_num(spread.sd, nan=0.0)
    moving: npt.NDArray[np.bool_] = np.asarray((sd > 0).any(axis=0), dtype=np.bool_)
    fixed = _Fixed(
        pct=observed.pct,
        p_score=observed.p_score,
        moving=moving,
        moving_char=np.asarray(
            [bool(moving[design.char_of == c].any()) for c in range(design.n_chars)],
            dtype=np.bool_,
        ),
        same_as=_single_indicator(values, too_small, design),
    )
    rng = np.random.default_rng(seed)
    # The normal draws fill (b, n, k) in C order batch after batch, so the numbers an area and
    # indicator get do not depend on the batch size; only moving indicators are used.
    batch = max(1, BATCH_ELEMENTS // max(n * k, 1))
    moving_cols = np.flatnonzero(moving)
    flag_count = np.zeros((n, design.n_chars), dtype=np.int64)
    n_risk = int(design.risk.sum())
    stack_count = np.zeros((n, n_risk + 2), dtype=np.int64)
    stack_draws = np.empty((draws, n), dtype=np.int16)
    index_draws = np.empty((draws, n), dtype=np.float32)
    rank_draws = np.empty((draws, n), dtype=np.float32)
    done = 0
    while done < draws:
        b = min(batch, draws - done)
        z = rng.standard_normal((b, n, k))
        columns: list[FloatArray | None] = [None] * k
        for j in moving_cols:
            columns[j] = np.clip(
                values[None, :, j] + sd[None, :, j] * z[:, :, j], spread.floor[j], spread.ceiling[j]
            )
        state = _state(b, columns, groups, too_small, design, fixed)
        flag_count += state.flag.sum(axis=0)
        # stack_count[:, s] counts draws with stacking exactly s; cumulated below.
        stack_count += np.bincount(
            (np.arange(n) * (n_risk + 2) + state.stacking).ravel(),
            minlength=n * (n_risk + 2),
        ).reshape(n, n_risk + 2)
        stack_draws[done : done + b] = state.stacking
        index_draws[done : done + b] = state.index
        rank_draws[done : done + b] = state.rank
        done += b
    at_least = np.cumsum(stack_count[:, : n_risk + 1][:, ::-1], axis=1)[:, ::-1] / draws
    has = observed.has_score[0]
    alpha = (1.0 - confidence) / 2.0
    with np.errstate(invalid="ignore"):
        index_lo, index_hi = _quantiles(index_draws, alpha)
        rank_lo, rank_hi = _quantiles(rank_draws, alpha)
    stack_lo, stack_hi = _quantiles(stack_draws.astype(np.float64), alpha)
    return Simulation(
        observed_flag=np.where(has, observed.flag[0].astype(np.float64), np.nan),
        p_flag=np.where(has, flag_count / draws, np.nan),
        observed_stacking=observed.stacking[0],
        p_stacking_ge=at_least,
        stacking_lower=np.floor(stack_lo).astype(np.int64),
        stacking_upper=np.ceil(stack_hi).astype(np.int64),
        index_lower=index_lo,
        index_upper=index_hi,
        rank_lower=np.floor(rank_lo),
        rank_upper=np.ceil(rank_hi),
        draws=draws,
    )


def _single_indicator(
    values: FloatArray, too_small: npt.NDArray[np.bool_], design: Design
) -> IntArray:
    """Per characteristic the indicator j whose percentiles its score percentiles equal in
    every draw, else -1.

    That holds when j is the only indicator of the characteristic with a value anywhere (the
    score is then j's percentile itself) and no too-small area has a value of j (the score
    then ranks the same areas as j): ranking percentiles that strictly rise with the rank gives
    back the same ranks and so the same percentiles. The draws skip that sort.
    """
    present = ~np.isnan(values).all(axis=0)
    out = np.full(design.n_chars, -1, dtype=np.int64)
    for c in range(design.n_chars):
        cols = np.flatnonzero((design.char_of == c) & present)
        if cols.size == 1 and not (too_small & ~np.isnan(values[:, cols[0]])).any():
            out[c] = cols[0]
    return out


def _quantiles(samples: npt.NDArray[np.floating], alpha: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper (alpha, 1 − alpha) quantiles over axis 0 (inverted CDF: the smallest
    value with at least that share of draws at or below it); NaN where a draw is NaN (an area
    without a value has none in every draw)."""
    data = np.sort(samples.astype(np.float64), axis=0)  # NaN sorts last
    d = data.shape[0]
    lo = data[max(int(np.ceil(alpha * d)) - 1, 0)]
    hi = data[min(int(np.ceil((1.0 - alpha) * d)) - 1, d - 1)]
    missing = np.isnan(data[-1])
    return np.where(missing, np.nan, lo), np.where(missing, np.nan, hi)


def agreement(observed_flag: FloatArray, p_flag: FloatArray) -> FloatArray:
    """Share of draws that agree with the observed state: P(flag) if flagged, else 1 − P."""
    return np.where(observed_flag > 0.5, p_flag, 1.0 - p_flag)


def certainty_class(agreement_share: FloatArray, certain: float, likely: float) -> IntArray:
    """0 certain (agreement ≥ certain), 1 likely (≥ likely), 2 uncertain; -1 where NaN.

    Indices into domain.analysis.CERTAINTY_CLASSES.
    """
    a = np.asarray(agreement_share, dtype=np.float64)
    out = np.where(a >= certain - 1e-12, 0, np.where(a >= likely - 1e-12, 1, 2))
    return np.where(np.isnan(a), -1, out).astype(np.int64)


def seed_for(seed: int, level: str, period: int, family: str) -> tuple[int, int, int, int]:
    """A seed per level, year and reference family that does not depend on build order or on
    which other families are simulated."""
    return (seed, zlib.crc32(level.encode()), period, zlib.crc32(family.encode()))
