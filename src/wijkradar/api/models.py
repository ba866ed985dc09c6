"""Response models of the JSON API (/api/v1). Every figure travels with its provenance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field, field_validator


class Figure(BaseModel):
    """One number with where it came from. value is null unless status is 'ok'."""

    value: float | None
    status: str = Field(description="ok | suppressed | missing | too_small | insufficient_data")
    unit: str
    year: int
    source_ids: list[str] = Field(default_factory=list)
    method_version: str | None = None
    disclosure: str = Field(description="the small-number rules applied to this figure")


class RegionOut(BaseModel):
    code: str
    name: str
    level: str
    year: int
    parent_code: str | None = None
    gemeente_code: str | None = None
    links: dict[str, str] = Field(default_factory=dict)


class RegionList(BaseModel):
    year: int
    items: list[RegionOut]


class IndicatorMeta(BaseModel):
    indicator: str
    unit: str
    levels: list[str]
    years: list[int]
    n_values: int


class IndicatorValue(BaseModel):
    indicator: str
    figure: Figure
    percentile: float | None = Field(None, description="0-100, higher = more vulnerable")


class ValuesOut(BaseModel):
    region: RegionOut
    reference: str
    values: list[IndicatorValue]


class SourceRef(BaseModel):
    """Where an indicator value came from: publisher, table and the table's year."""

    publisher: str | None
    table_id: str | None
    year: int | None


class IndicatorDetail(BaseModel):
    """One indicator behind a characteristic, labelled from the methodology."""

    indicator: str
    label: str
    measure: str = Field(description="direct | proxy")
    figure: Figure
    percentile: float | None = Field(None, description="0-100, higher = more vulnerable")
    source: SourceRef


class CharacteristicOut(BaseModel):
    characteristic: str
    label: str = Field(description="the methodology's label in the requested language")
    protective: bool
    score: Figure
    flagged: bool | None
    n_indicators: int
    indicators: list[IndicatorDetail] = Field(default_factory=list)
    spread: Spread | None = Field(
        default=None, description="the level's spread of this score (national reference only)"
    )
    change: float | None = Field(
        default=None,
        description="score change since the previous year; null without a score or across a "
        "series break",
    )


class ThemeOut(BaseModel):
    theme: str
    label: str
    score: Figure


class SeriesBreak(BaseModel):
    """The area changed between two years while its code stayed: not one series."""

    year_from: int
    year_to: int
    note: str = Field(description="what changed, as the source of the region changes says it")


class TrendPoint(BaseModel):
    year: int
    stacking: int | None
    overall_index: float | None
    status: str
    #: the area's code that year when it has been renumbered since; null = its own code
    code: str | None = None
    series_break: SeriesBreak | None = Field(
        default=None,
        description="set on the first point after a series break: do not connect this point "
        "to the one before it",
    )


class Spread(BaseModel):
    """Characteristic scores of all areas of the level and year (national reference)."""

    low: float
    q1: float
    median: float
    q3: float
    high: float
    n: int


class Comparison(BaseModel):
    """The average area of the same level and year within the gemeente or the country."""

    code: str
    name: str
    level: str
    stacking: int | None
    overall_index: float | None


class ScoresOut(BaseModel):
    region: RegionOut
    year: int
    framework: str
    reference: str
    method_version: str
    status: str
    status_reason: str = Field(description="why there is no score, in the asked language")
    status_reason_code: str = Field(
        "", description="the reason as a stable code (compute.reasons); empty when scored"
    )
    stacking: Figure
    toxic_mix: bool | None
    toxic_mix_threshold: int
    overall_index: Figure
    protective: Figure
    characteristics: list[CharacteristicOut] = Field(description="the twelve risk characteristics")
    protective_factors: list[CharacteristicOut]
    themes: list[ThemeOut]
    trend: list[TrendPoint]
    comparison: list[Comparison] = Field(description="average gemeente area, average country area")


class Explanation(BaseModel):
    region: RegionOut
    year: int
    reference: str
    summary: str
    flagged: list[CharacteristicOut] = Field(
        description="flagged risk characteristics, each with the indicators behind it"
    )


class RankingRow(BaseModel):
    rank: int | None = Field(description="null for areas without a score (listed last)")
    code: str
    name: str
    gemeente_code: str | None = Field(None, description="the area's gemeente (names repeat)")
    gemeente_name: str | None = None
    figure: Figure
    stacking: int | None
    overall_index: float | None = Field(None, description="orders areas of equal stacking")
    toxic_mix: bool | None


class RankingOut(BaseModel):
    level: str
    by: str
    framework: str
    reference: str
    within: str | None
    rows: list[RankingRow]


class SourceOut(BaseModel):
    source_id: str
    publisher: str
    table_id: str
    title: str
    year: int | None
    retrieved_at: str
    licence: str
    checksum: str
    url: str | None
    n_observations: int
    n_suppressed: int
    n_missing: int


class ErrorOut(BaseModel):
    """Every error body: a message, or FastAPI's list of parameter problems (422)."""

    detail: str | list[dict[str, Any]]


class BuildOut(BaseModel):
    build_id: str
    created_at: AwareDatetime  # stored as UTC without zone; given its zone on the way out

    @field_validator("created_at", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    code_version: str
    method_version: str | None
    demo: bool
    disclosure: str
    sources: list[SourceOut]
