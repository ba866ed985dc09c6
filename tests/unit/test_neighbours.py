"""Neighbour pairs kept from year to year (pipeline.analysis.Neighbours) equal the pairs of
each layer computed from scratch, whatever outlines changed, appeared or went."""

from __future__ import annotations

import json

import numpy as np

from wijkradar.compute.hotspots import queen_pairs
from wijkradar.pipeline.analysis import Neighbours
from wijkradar.sources.geo import rd_shapes_from_geojson

STEP = 0.01  # degrees: squares of about 700 by 1100 m around Utrecht


def square(col: int, row: int, shrink: float = 0.0) -> str:
    x0, y0 = 5.0 + col * STEP + shrink, 52.0 + row * STEP + shrink
    x1, y1 = x0 + STEP - 2 * shrink, y0 + STEP - 2 * shrink
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def grid(size: int) -> dict[str, str]:
    return {
        f"BU{col:02d}{row:02d}0000": square(col, row) for col in range(size) for row in range(size)
    }


def from_scratch(layer: dict[str, str], tolerance: float) -> list[tuple[int, int]]:
    shapes = sorted(layer.items())
    pairs = queen_pairs(rd_shapes_from_geojson([g for _, g in shapes]), tolerance)
    return [tuple(p) for p in pairs.tolist()]


def test_pairs_follow_changed_new_and_removed_outlines() -> None:
    tolerance = 1.0
    first = grid(5)
    second = dict(first)
    second["BU02020000"] = square(2, 2, shrink=STEP / 4)  # the middle one shrinks: no neighbours
    del second["BU00000000"]  # a corner goes
    second["BU05050000"] = square(5, 5)  # a new one touches BU04040000 at a corner
    third = dict(second)  # unchanged: everything kept
    neighbours = Neighbours(tolerance)
    for layer in (first, second, third, first):
        got = neighbours.pairs("buurt", sorted(layer.items()))
        assert [tuple(p) for p in got.tolist()] == from_scratch(layer, tolerance)
    middle = sorted(second).index("BU02020000")
    got = neighbours.pairs("buurt", sorted(second.items()))
    assert not np.isin(middle, got).any()  # shrunk away from all of its neighbours


def test_levels_are_kept_apart() -> None:
    neighbours = Neighbours(1.0)
    small, large = grid(2), grid(3)
    assert neighbours.pairs("wijk", sorted(small.items())).tolist() == [
        list(p) for p in from_scratch(small, 1.0)
    ]
    assert neighbours.pairs("buurt", sorted(large.items())).tolist() == [
        list(p) for p in from_scratch(large, 1.0)
    ]
