"""JSON API: responses validate against their models and carry the stored figures."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from sample_db import AREA, EXPECTED, SOURCE

from wijkradar.api import models


def test_build_lists_sources_and_demo_flag(client: TestClient) -> None:
    out = models.BuildOut.model_validate(client.get("/api/v1/build").json())
    assert out.demo is True
    assert out.method_version == "2026.1"
    assert [s.source_id for s in out.sources] == [SOURCE]
    assert "10" in out.disclosure


def test_region_lookup_and_children(client: TestClient) -> None:
    region = models.RegionOut.model_validate(client.get("/api/v1/regions/gm0001").json())
    assert (region.name, region.level) == ("Demodorp", "gemeente")
    kids = models.RegionList.model_validate(client.get("/api/v1/regions/GM0001/children").json())
    assert [r.code for r in kids.items] == ["WK000101", "WK000102"]
    assert len(kids.items) == EXPECTED["n_wijken_gm0001"]
    assert client.get("/api/v1/regions/GM9999").status_code == 404


def test_scores_carry_provenance(client: TestClient) -> None:
    out = models.ScoresOut.model_validate(client.get("/api/v1/scores/WK000101").json())
    assert out.stacking.value == AREA[("WK000101", 2023)][0]
    assert out.overall_index.value == AREA[("WK000101", 2023)][1]
    assert out.stacking.year == 2023 and out.stacking.method_version == "2026.1"
    assert out.stacking.source_ids == [SOURCE]
    assert out.toxic_mix is True
    assert [p.year for p in out.trend] == [2022, 2023]
    assert [p.stacking for p in out.trend] == [2, 3]


def test_suppressed_and_missing_stay_distinct(client: TestClient) -> None:
    out = models.ScoresOut.model_validate(client.get("/api/v1/scores/WK000102").json())
    status = {c.characteristic: (c.score.value, c.score.status) for c in out.characteristics}
    assert status["age"] == (None, "suppressed")
    assert status["low_education"] == (None, "missing")
    small = models.ScoresOut.model_validate(client.get("/api/v1/scores/BU00010201").json())
    assert small.status == "too_small" and small.stacking.value is None


def test_explanation_names_flagged_characteristics(client: TestClient) -> None:
    out = models.Explanation.model_validate(
        client.get("/api/v1/explanations/WK000101", params={"lang": "en"}).json()
    )
    assert {c.characteristic for c in out.flagged} == {"financial_buffer", "age", "low_education"}
    # labels from the methodology, not raw ids; all twelve risk characteristics counted
    assert "3 of 12 risk characteristics" in out.summary and "Small financial buffer" in out.summary
    buffer = next(c for c in out.flagged if c.characteristic == "financial_buffer")
    assert buffer.label == "Small financial buffer" and not buffer.protective
    (income,) = buffer.indicators
    assert income.indicator == "laag_inkomen" and income.figure.value == 14.2
    assert income.percentile == 95.0 and income.figure.unit == "%"
    assert (income.source.publisher, income.source.table_id, income.source.year) == (
        "CBS",
        "85618NED",
        2023,
    )


def test_protective_factors_apart_from_risk_characteristics(client: TestClient) -> None:
    out = models.ScoresOut.model_validate(client.get("/api/v1/scores/WK000101").json())
    assert len(out.characteristics) == 12 and not any(c.protective for c in out.characteristics)
    assert [c.characteristic for c in out.protective_factors] == [
        "nearby_care",
        "nearby_facilities",
    ]
    care = out.protective_factors[0]
    # stored S = 30 (little protection would be high S); it leaves as protection 100 - S, and
    # the headline protection is the mean of the factors shown
    assert care.label == "Zorg dichtbij" and care.score.value == 70.0
    factors = [c.score.value for c in out.protective_factors]
    if out.protective.value is not None and None not in factors:
        assert out.protective.value == pytest.approx(sum(factors) / len(factors))
    assert care.indicators[0].figure.unit == "km"


def test_ranking_orders_by_metric_and_filters(client: TestClient) -> None:
    out = models.RankingOut.model_validate(
        client.get("/api/v1/rankings", params={"level": "wijk"}).json()
    )
    assert out.rows[0].code == EXPECTED["top_wijk"]
    assert [r.rank for r in out.rows] == [1, 2, 3]
    within = models.RankingOut.model_validate(
        client.get("/api/v1/rankings", params={"level": "buurt", "within": "GM0001"}).json()
    )
    assert [r.code for r in within.rows] == ["BU00010101", "BU00010102", "BU00010201"]
    assert within.rows[-1].rank is None and within.rows[-1].figure.status == "too_small"
    by_index = client.get("/api/v1/rankings", params={"level": "wijk", "metric": "index"})
    assert by_index.json()["rows"][0]["figure"]["value"] == 81.25


def test_ranking_by_protection_characteristic_and_ties(client: TestClient) -> None:
    def codes(metric: str, level: str = "wijk") -> list[str]:
        params = {"level": level, "metric": metric}
        response = client.get("/api/v1/rankings", params=params)
        assert response.status_code == 200, response.text
        return [r["code"] for r in response.json()["rows"]]

    # protective: the least protected first (WK000101 30, WK000201 50, WK000102 70).
    assert codes("protective") == ["WK000101", "WK000201", "WK000102"]
    # char:age: the highest score first; WK000102's age is suppressed, so last and unranked.
    assert codes("char:age") == ["WK000201", "WK000101", "WK000102"]
    out = models.RankingOut.model_validate(
        client.get("/api/v1/rankings", params={"level": "wijk", "metric": "char:age"}).json()
    )
    assert out.rows[-1].rank is None and out.rows[0].figure.value == 93.0
    # Every row names its gemeente and carries the index beside the stacking.
    buurten = models.RankingOut.model_validate(
        client.get("/api/v1/rankings", params={"level": "buurt"}).json()
    )
    first = buurten.rows[0]
    assert (first.code, first.gemeente_name, first.stacking, first.overall_index) == (
        "BU00010101",
        "Demodorp",
        3,
        90.0,
    )
    assert {r.gemeente_code for r in buurten.rows} == {"GM0001", "GM0002"}


def test_values_and_indicators(client: TestClient) -> None:
    out = models.ValuesOut.model_validate(client.get("/api/v1/values/WK000102").json())
    assert {v.indicator: v.figure.status for v in out.values} == {
        "ouderen": "suppressed",
        "opleiding_laag": "missing",
        "laag_inkomen": "ok",
    }
    metas = [
        models.IndicatorMeta.model_validate(m) for m in client.get("/api/v1/indicators").json()
    ]
    assert {m.indicator for m in metas} == {
        "ouderen",
        "opleiding_laag",
        "laag_inkomen",
        "afstand_huisarts",
    }


def test_exports_csv_and_geojson(client: TestClient) -> None:
    response = client.get("/api/v1/exports/wijk.csv", params={"within": "GM0001"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["code"] for r in rows] == ["WK000101", "WK000102"]
    assert rows[0]["stacking"] == "3" and rows[1]["char_age"] == ""
    geo = json.loads(client.get("/api/v1/exports/gemeente.geojson").content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert geo["features"][0]["geometry"]["type"] == "Polygon"
    assert geo["metadata"]["method_version"] == "2026.1"


def test_bad_parameters_are_rejected(client: TestClient) -> None:
    assert client.get("/api/v1/rankings", params={"level": "provincie"}).status_code == 422
    assert client.get("/api/v1/rankings", params={"level": "wijk", "year": 1999}).status_code == 404
    assert client.get("/api/v1/rankings", params={"metric": "nonsense"}).status_code == 422
    bad_char = client.get("/api/v1/rankings", params={"metric": "char:no_such_thing"})
    # well-formed (the schema's pattern) but not in this build: not found, like a framework
    assert bad_char.status_code == 404 and "no_such_thing" in bad_char.json()["detail"]
    assert client.get("/api/v1/exports/wijk.pdf").status_code == 404


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/regions/{code}",
        "/api/v1/scores/{code}",
        "/api/v1/rankings",
        "/api/v1/explanations/{code}",
        "/api/v1/exports/{level}.{fmt}",
    ):
        assert path in paths
