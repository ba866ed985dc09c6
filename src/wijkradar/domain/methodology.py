"""The methodology as frozen objects: indicators, characteristics, frameworks and thresholds.

Loaded from the YAML under methodology/<version>/ by wijkradar.methodology; nothing here reads
files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Polarity(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class Labels:
    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Derivation:
    """How an indicator is obtained from source variables from `from_year` up to `to_year`.

    value = scale * numerator / sum(denominator)   (no denominator: value = numerator)
    """

    source: str
    from_year: int
    numerator: str
    denominator: tuple[str, ...] = ()
    scale: float = 1.0
    to_year: int | None = None

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)

    @property
    def variables(self) -> tuple[str, ...]:
        return (self.numerator, *self.denominator)

    def formula(self) -> str:
        if not self.denominator:
            return self.numerator
        den = " + ".join(self.denominator)
        den = f"({den})" if len(self.denominator) > 1 else den
        scale = f" × {self.scale:g}" if self.scale != 1 else ""
        return f"{self.numerator} / {den}{scale}"


@dataclass(frozen=True)
class Indicator:
    id: str
    labels: Labels
    definition: str
    unit: str
    polarity: Polarity
    measure: str  # direct | proxy
    serves: str  # a risk characteristic or protective factor id
    levels: tuple[str, ...]
    derivations: tuple[Derivation, ...]
    proxy_reason: str = ""

    def derivation_for(self, year: int) -> tuple[Derivation, ...]:
        """The derivations valid in `year`, in catalogue order (the first with data wins)."""
        return tuple(d for d in self.derivations if d.covers(year))


@dataclass(frozen=True)
class Characteristic:
    id: str
    labels: Labels
    protective: bool
    number: int | None = None
    gap: str = ""


@dataclass(frozen=True)
class Weight:
    characteristic: str
    theme: str
    weight: int  # 0 barely .. 3 strong
    why: str


@dataclass(frozen=True)
class Theme:
    id: str
    labels: Labels


@dataclass(frozen=True)
class Framework:
    id: str
    labels: Labels
    themes: tuple[Theme, ...]
    weights: tuple[Weight, ...]

    def weight(self, characteristic: str, theme: str) -> int:
        for w in self.weights:
            if w.characteristic == characteristic and w.theme == theme:
                return w.weight
        return 0


@dataclass(frozen=True)
class Settings:
    population_variable: str
    min_population: int
    flag_top_share: float
    toxic_mix_threshold: int
    min_characteristics: int
    min_theme_weight_share: float
    index_transform: str  # none | imd_exponential
    min_population_reason: str = ""
    flag_reason: str = ""


@dataclass(frozen=True)
class Methodology:
    version: str
    title: Labels
    settings: Settings
    indicators: tuple[Indicator, ...]
    characteristics: tuple[Characteristic, ...]
    frameworks: tuple[Framework, ...]
    checksum: str  # sha256 over the version's files, in path order

    @property
    def risk_characteristics(self) -> tuple[Characteristic, ...]:
        return tuple(c for c in self.characteristics if not c.protective)

    @property
    def protective_factors(self) -> tuple[Characteristic, ...]:
        return tuple(c for c in self.characteristics if c.protective)

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def characteristic(self, characteristic_id: str) -> Characteristic:
        for c in self.characteristics:
            if c.id == characteristic_id:
                return c
        raise KeyError(characteristic_id)

    def framework(self, framework_id: str) -> Framework:
        for f in self.frameworks:
            if f.id == framework_id:
                return f
        raise KeyError(framework_id)

    def indicators_for(self, characteristic_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.serves == characteristic_id)
