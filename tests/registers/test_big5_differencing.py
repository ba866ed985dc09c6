"""Differencing the youth-transition Big 5 (issue 7), over a real store (SQLite and PostgreSQL):
a domain's share beside the youths turning 18, and the national sum against the gemeenten's.
A brute-force reader (tests/property/reader.py) tries every set of true counts that agrees with
what /werk/big5 shows."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from wijkradar.compute import disclosure
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import transaction
from wijkradar.registers import professional

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "property"))
from reader import consistent, possible_values

ADMIN = Principal("admin", "admin", None)
REST = {"zorg": 20, "inkomen": 20, "school_werk": 20, "support": 20}


def test_a_share_of_the_exact_counts_gave_them_back(ops_factory: sessionmaker[Session]) -> None:
    """30 of 38 with housing in order: 38 shows as 40, but the share of the exact counts
    (78.9 %) fits no other pair near 40, so the reader had 38 and 30 and the 8 without."""
    before = {
        (t, d)
        for t in range(30, 50)
        for d in range(t + 1)
        if disclosure.disclose_count(t) == 40 and round(100 * d / t, 1) == round(100 * 30 / 38, 1)
    }
    assert before == {(38, 30)}
    with transaction(ops_factory) as session:
        professional.enter_big5(session, ADMIN, "GM0014", "2026Q1", 38, wonen=30, **REST)
    with transaction(ops_factory) as session:
        (row,) = professional.big5_trend(session, "GM0014")
    # the 8 without are below the threshold: no share for housing at all; a share shown is of
    # the released counts (20 of 40)
    assert row.turning_18 == 40 and row.shares["wonen"] is None
    assert row.shares["zorg"] == 50.0
    after = {
        (t, d)
        for t in range(30, 50)
        for d in range(t + 1)
        if disclosure.disclose_count(t) == 40 and disclosure.disclose_count(d) == 20
    }
    assert len({t - d for t, d in after}) >= 2


HOUSING = {"GM0014": 9, "GM0034": 12, "GM0363": 17}


def test_the_national_sum_no_longer_pins_a_gemeente(ops_factory: sessionmaker[Session]) -> None:
    """Housing in order for 9, 12 and 17 of 40 youths in three gemeenten: their pages show
    "–", 25 % (10 of 40) and 37.5 % (15 of 40). The national 38 of 120 (released as 40 at
    best, before even as an exact share) minus 10 and 15 pinned the first to 9."""
    with transaction(ops_factory) as session:
        for code, n in HOUSING.items():
            professional.enter_big5(session, ADMIN, code, "2026Q1", 40, wonen=n, **REST)
    raw = {("wonen", c): n for c, n in HOUSING.items()} | {("wonen", "NL"): sum(HOUSING.values())}

    def reader(national: int | None) -> dict[object, set[int]]:
        shown = {("wonen", c): disclosure.disclose_count(n) for c, n in HOUSING.items()}
        return possible_values(
            [[(v,) for v in range(41)] for _ in HOUSING],
            lambda i, leaves: {("wonen", list(HOUSING)[i]): leaves[0]},
            lambda summed: {("wonen", "NL"): summed[0]},
            consistent(shown | {("wonen", "NL"): national}, raw, ()),
        )

    assert reader(disclosure.disclose_count(38))[("wonen", "GM0014")] == {9}
    with transaction(ops_factory) as session:
        pages = {c: professional.big5_trend(session, c)[0] for c in HOUSING}
        (national,) = professional.big5_national(session)
    assert [pages[c].shares["wonen"] for c in HOUSING] == [None, 25.0, 37.5]
    assert national.turning_18 == 120
    assert national.shares["wonen"] is None  # the national figure goes, not a gemeente's
    assert national.shares["zorg"] == 50.0
    assert len(reader(None)[("wonen", "GM0014")]) >= 2
