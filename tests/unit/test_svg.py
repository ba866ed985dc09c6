"""SVG choropleth and sparkline: links, titles, legend, classes, text alternatives."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from wijkradar.reports import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _square(x0: float, y0: float, size: float = 0.1) -> str:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_choropleth_links_titles_and_fills() -> None:
    areas = [
        svg.Area("A", "Alfa", 0.0, "ok", "/a", "0"),
        svg.Area("B", "Bravo", 6.0, "ok", "/b", "6"),
        svg.Area("C", "Charlie", None, "suppressed", "/c", "onderdrukt"),
        svg.Area("D", "Delta", None, "missing", "/d", "ontbreekt"),
        svg.Area("E", "Echo", 1.0, "ok", "/e", "1"),  # no boundary: left off the map
    ]
    geoms = {
        "A": _square(5.0, 52.0),
        "B": _square(5.1, 52.0),
        "C": _square(5.0, 52.1),
        "D": _square(5.1, 52.1),
    }
    text = svg.choropleth(
        areas,
        geoms,
        title="Kaart",
        scale=svg.STACKING_SCALE,
        legend_title="Stapeling",
        status_labels={"suppressed": "onderdrukt", "missing": "ontbreekt"},
    )
    root = ET.fromstring(text)
    links = root.findall("s:g/s:a", NS)
    assert [a.get("href") for a in links] == ["/a", "/b", "/c", "/d"]
    classes = [a.find("s:path", NS).get("class") for a in links]  # type: ignore[union-attr]
    assert classes == ["c0", "c4", "cs", "cm"]
    style = root.find("s:style", NS).text or ""  # type: ignore[union-attr]
    for cls, fill in (("c0", svg.PALETTE[0]), ("cs", svg.SUPPRESSED_FILL)):
        assert f".{cls}{{fill:{fill}}}" in style
    assert "fill=" not in ET.tostring(root.find("s:g", NS)).decode()  # type: ignore[arg-type]
    titles = [a.find("s:title", NS).text for a in links]  # type: ignore[union-attr]
    assert titles == ["Alfa: 0", "Bravo: 6", "Charlie: onderdrukt", "Delta: ontbreekt"]
    legend = [t.text for t in root.findall(".//s:g/s:text", NS)]
    assert legend == ["Stapeling", "0", "1", "2", "3–4", "5+", "onderdrukt", "ontbreekt"]


def test_projection_keeps_aspect_ratio() -> None:
    # A square of 0.1° x 0.1° at 52°N is cos(52°) ≈ 0.616 as wide as high.
    text = svg.choropleth(
        [svg.Area("A", "A", 1.0, "ok", "/a", "1")],
        {"A": _square(5.0, 52.0)},
        title="t",
        scale=svg.PERCENTILE_SCALE,
        legend_title="l",
        status_labels={},
        width=100,
    )
    path = ET.fromstring(text).find("s:g/s:a/s:path", NS).get("d")  # type: ignore[union-attr]
    start, rest = path.strip("Mz").split("l")
    x, y = map(float, start.split(","))
    ys = [y]
    for delta in rest.split():
        dx, dy = map(float, delta.split(","))
        x, y = x + dx, y + dy
        ys.append(y)
    assert 160 < max(ys) - min(ys) < 164  # 100 / cos(52.05°) ≈ 162.6


def test_outlines_round_to_the_map_size_and_drop_invisible_points() -> None:
    # A 0.1° square with a point 1e-6° off a corner: invisible at whole-pixel precision.
    ring = [[5.0, 52.0], [5.000001, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]
    geometry = json.dumps({"type": "Polygon", "coordinates": [ring]})
    coarse = svg.outlines({"A": geometry}, width=200, decimals=0).paths["A"]
    assert coarse == "M0,325l200,0 0,-325 -200,0z"
    fine = svg.outlines({"A": geometry}, width=200, decimals=1).paths["A"]
    assert fine.count(" ") == 2 and "." in fine  # same four corners, tenths of a pixel


def test_percentile_scale_classes() -> None:
    scale = svg.PERCENTILE_SCALE
    assert [scale.colour(v) for v in (0, 19.9, 20, 79.9, 80, 100)] == [
        svg.PALETTE[0],
        svg.PALETTE[0],
        svg.PALETTE[1],
        svg.PALETTE[3],
        svg.PALETTE[4],
        svg.PALETTE[4],
    ]


def test_sparkline_text_alternative_and_gaps() -> None:
    text = svg.sparkline([(2019, 1.0), (2020, None), (2021, 3.0), (2022, 4.0)], label="Stapeling")
    root = ET.fromstring(text)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Stapeling: 2019 1, 2020 –, 2021 3, 2022 4"
    assert len(root.findall("s:circle", NS)) == 3
    assert len(root.findall("s:polyline", NS)) == 1  # 2019 stands alone across the gap
