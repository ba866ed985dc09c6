"""Settings of the analyses on top of the scores (issue 12): uncertainty, hotspots, peer groups.

Loaded from methodology/<version>/uncertainty.yml by wijkradar.methodology.analysis; a version
without that file has no uncertainty step (released versions 2026.1 and 2026.2).
"""

from __future__ import annotations

from dataclasses import dataclass

# Certainty classes of a flag, from most to least sure. Their order is used by comparisons
# ("never more certain"): a lower index is more certain.
CERTAINTY_CLASSES = ("certain", "likely", "uncertain")


@dataclass(frozen=True)
class PeerVariable:
    variable: str
    transform: str  # none | log


@dataclass(frozen=True)
class AnalysisSettings:
    version: str
    confidence: float  # two-sided level of every interval, e.g. 0.95
    draws: int
    seed: int
    references: tuple[str, ...]  # reference families simulated: national | provincie | gemeente
    periods: str  # years simulated: all | latest (the latest of each level)
    lower_suffix: str  # GGD margins: <key><lower_suffix>, <key><upper_suffix>
    upper_suffix: str
    binomial_units: tuple[tuple[str, float], ...]  # (unit, scale of a proportion in that unit)
    binomial_exclude: tuple[str, ...]
    certain: float  # agreement share for class "certain"
    likely: float  # agreement share for class "likely"
    hotspot_alpha: float
    hotspot_correction: str  # fdr_bh | bonferroni | none
    neighbour_tolerance_m: float
    peer_size: int
    peer_variables: tuple[PeerVariable, ...]

    def binomial_scale(self, indicator_id: str, unit: str) -> float | None:
        """The scale of a share in this unit (100 for %), or None: no binomial model."""
        if indicator_id in self.binomial_exclude:
            return None
        for known, scale in self.binomial_units:
            if known == unit:
                return scale
        return None
