"""Response models of the JSON API (/api/v1). Every figure travels with its provenance."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


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


class CharacteristicOut(BaseModel):
    characteristic: str
    score: Figure
    flagged: bool | None
    n_indicators: int


class ThemeOut(BaseModel):
    theme: str
    score: Figure


class TrendPoint(BaseModel):
    year: int
    stacking: int | None
    overall_index: float | None
    status: str


class ScoresOut(BaseModel):
    region: RegionOut
    framework: str
    reference: str
    status: str
    status_reason: str
    stacking: Figure
    toxic_mix: bool | None
    overall_index: Figure
    protective: Figure
    characteristics: list[CharacteristicOut]
    themes: list[ThemeOut]
    trend: list[TrendPoint]


class Explanation(BaseModel):
    region: RegionOut
    reference: str
    summary: str
    flagged: list[CharacteristicOut]
    indicators: list[IndicatorValue]


class RankingRow(BaseModel):
    rank: int | None
    code: str
    name: str
    figure: Figure


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


class BuildOut(BaseModel):
    build_id: str
    created_at: datetime
    code_version: str
    method_version: str | None
    demo: bool
    disclosure: str
    sources: list[SourceOut]
