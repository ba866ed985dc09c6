"""A small, hand-written monitor database for web/API/export tests.

Filled through the real store.writer.open_build into a real DuckDB file: one country, two
gemeenten, three wijken, four buurten, two years, square boundaries, scores for a handful of
characteristics. Values are chosen so tests can check them by hand (see EXPECTED).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from wijkradar.store.writer import open_build

YEARS = (2022, 2023)
SOURCE = "CBS/85618NED/2023@0123456789ab"
CHARS = ("financial_buffer", "age", "low_education")

REGIONS = [
    # code, level, name, parent, gemeente
    ("NL01", "land", "Nederland", None, None),
    ("GM0001", "gemeente", "Demodorp", "NL01", "GM0001"),
    ("GM0002", "gemeente", "Voorbeeldstad", "NL01", "GM0002"),
    ("WK000101", "wijk", "Centrum", "GM0001", "GM0001"),
    ("WK000102", "wijk", "Noord", "GM0001", "GM0001"),
    ("WK000201", "wijk", "Haven", "GM0002", "GM0002"),
    ("BU00010101", "buurt", "Kerkbuurt", "WK000101", "GM0001"),
    ("BU00010102", "buurt", "Marktbuurt", "WK000101", "GM0001"),
    ("BU00010201", "buurt", "Polderbuurt", "WK000102", "GM0001"),
    ("BU00020101", "buurt", "Kadebuurt", "WK000201", "GM0002"),
]

# Square boxes in lon/lat: gemeenten side by side, wijken and buurten inside them.
BOXES = {
    "GM0001": (5.0, 52.0, 5.2, 52.2),
    "GM0002": (5.2, 52.0, 5.4, 52.2),
    "WK000101": (5.0, 52.0, 5.1, 52.2),
    "WK000102": (5.1, 52.0, 5.2, 52.2),
    "WK000201": (5.2, 52.0, 5.4, 52.2),
    "BU00010101": (5.0, 52.0, 5.1, 52.1),
    "BU00010102": (5.0, 52.1, 5.1, 52.2),
    "BU00010201": (5.1, 52.0, 5.2, 52.2),
    "BU00020101": (5.2, 52.0, 5.4, 52.2),
}

# (region, year) -> (stacking, overall_index, protective, status, reason)
AREA = {
    ("GM0001", 2023): (2, 61.5, 40.0, "ok", ""),
    ("GM0002", 2023): (1, 45.0, 55.0, "ok", ""),
    ("GM0001", 2022): (1, 55.0, 42.0, "ok", ""),
    ("GM0002", 2022): (1, 47.0, 50.0, "ok", ""),
    ("WK000101", 2023): (3, 81.25, 30.0, "ok", ""),
    ("WK000102", 2023): (0, 20.0, 70.0, "ok", ""),
    ("WK000201", 2023): (1, 50.0, 50.0, "ok", ""),
    ("WK000101", 2022): (2, 75.0, 35.0, "ok", ""),
    ("WK000102", 2022): (0, 25.0, 65.0, "ok", ""),
    ("WK000201", 2022): (1, 52.0, 48.0, "ok", ""),
    ("BU00010101", 2023): (3, 90.0, 20.0, "ok", ""),
    ("BU00010102", 2023): (1, 40.0, 60.0, "ok", ""),
    ("BU00010201", 2023): (None, None, None, "too_small", "fewer than 50 inhabitants"),
    ("BU00020101", 2023): (0, 10.0, 80.0, "ok", ""),
}

# (region, year, characteristic) -> (score, flagged, status)
CHAR_SCORES = {
    ("WK000101", 2023, "financial_buffer"): (95.0, True, "ok"),
    ("WK000101", 2023, "age"): (92.5, True, "ok"),
    ("WK000101", 2023, "low_education"): (91.0, True, "ok"),
    ("WK000101", 2023, "nearby_care"): (30.0, False, "ok"),
    ("WK000102", 2023, "financial_buffer"): (10.0, False, "ok"),
    ("WK000102", 2023, "age"): (None, None, "suppressed"),
    ("WK000102", 2023, "low_education"): (None, None, "missing"),
    ("WK000201", 2023, "financial_buffer"): (50.0, False, "ok"),
    ("WK000201", 2023, "age"): (93.0, True, "ok"),
    ("WK000201", 2023, "low_education"): (30.0, False, "ok"),
}

# (region, year, indicator) -> (value, status, unit, percentile)
INDICATORS = {
    ("WK000101", 2023, "laag_inkomen"): (14.2, "ok", "%", 95.0),
    ("WK000101", 2023, "ouderen"): (31.0, "ok", "%", 92.5),
    ("WK000101", 2023, "opleiding_laag"): (44.0, "ok", "%", 91.0),
    ("WK000101", 2023, "afstand_huisarts"): (0.8, "ok", "km", 30.0),
    ("WK000102", 2023, "laag_inkomen"): (4.0, "ok", "%", 10.0),
    ("WK000102", 2023, "ouderen"): (None, "suppressed", "%", None),
    ("WK000102", 2023, "opleiding_laag"): (None, "missing", "%", None),
}
INDICATOR_CHAR = {
    "laag_inkomen": "financial_buffer",
    "afstand_huisarts": "nearby_care",
    "ouderen": "age",
    "opleiding_laag": "low_education",
}

EXPECTED = {"top_wijk": "WK000101", "top_wijk_stacking": 3, "n_wijken_gm0001": 2}


def _box(code: str) -> str:
    x0, y0, x1, y1 = BOXES[code]
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def build_sample(path: Path, *, demo: bool = True) -> Path:
    """Write the sample monitor database to `path` through the real atomic writer."""
    with open_build(path) as writer:
        con = writer.con
        con.execute(
            "INSERT INTO build VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                "abcdef0123456789",
                datetime(2024, 5, 1, 12, 0),
                "0.1.0",
                "2026.1",
                "sha256:" + "0" * 64,
                json.dumps({"years": list(YEARS)}),
                demo,
            ],
        )
        con.execute(
            "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, "
            "licence, checksum, url, kind, n_observations, n_suppressed, n_missing) "
            "VALUES (?, 'CBS', '85618NED', 'Kerncijfers wijken en buurten 2023', 2023, "
            "'2024-05-01T12:00:00Z', 'CC BY 4.0', ?, 'https://opendata.cbs.nl/', 'observations', "
            "20, 1, 1)",
            [SOURCE, "sha256:0123456789ab" + "0" * 52],
        )
        con.execute(
            "INSERT INTO variables VALUES ('AantalInwoners', ?, 'Aantal inwoners', 'aantal', '')",
            [SOURCE],
        )
        for year in YEARS:
            for code, level, name, parent, gemeente in REGIONS:
                con.execute(
                    "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [code, year, level, name, parent, gemeente],
                )
                if code in BOXES:
                    con.execute(
                        "INSERT INTO boundaries VALUES (?, ?, ?, ?, ?)",
                        [code, year, level, _box(code), SOURCE],
                    )
                con.execute(
                    "INSERT INTO observations VALUES (?, ?, ?, 'AantalInwoners', ?, ?, ?)",
                    [
                        code,
                        level,
                        year,
                        None if code == "BU00010201" else 1000.0,
                        "suppressed" if code == "BU00010201" else "ok",
                        SOURCE,
                    ],
                )
        level_of = {code: level for code, level, *_ in REGIONS}
        for (code, year), (stack, index, prot, status, reason) in AREA.items():
            con.execute(
                "INSERT INTO area_scores VALUES ('tno', 'NL01', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    code,
                    level_of[code],
                    year,
                    stack,
                    None if stack is None else stack >= 3,
                    index,
                    prot,
                    status,
                    reason,
                ],
            )
            con.execute(
                "INSERT INTO theme_scores VALUES ('tno', 'NL01', ?, ?, ?, 'work_income', ?, ?)",
                [code, level_of[code], year, index, status],
            )
        for (code, year, char), (score, flagged, status) in CHAR_SCORES.items():
            con.execute(
                "INSERT INTO characteristic_scores VALUES ('NL01', ?, ?, ?, ?, ?, ?, 1, ?)",
                [code, level_of[code], year, char, score, flagged, status],
            )
        for (code, year, ind), (value, status, unit, pct) in INDICATORS.items():
            con.execute(
                "INSERT INTO indicator_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [code, level_of[code], year, ind, value, status, unit, [SOURCE]],
            )
            con.execute(
                "INSERT INTO indicator_ranks VALUES ('NL01', ?, ?, ?, ?, ?, ?)",
                [code, level_of[code], year, ind, pct, status],
            )
    return path
