"""Fit-gap on the demo monitor (DuckDB) against the register (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from wijkradar.compute.disclosure import disclose_count
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import transaction
from wijkradar.ops.core.models import ReachAggregate
from wijkradar.registers import fitgap, groups, initiatives
from wijkradar.store.reader import open_read

EDITOR = Principal("ed", "editor", "GM9801")


def test_white_spots_follow_flags_and_initiatives(
    ops_factory: sessionmaker[Session], demo_monitor: Path
) -> None:
    with transaction(ops_factory) as session:
        groups.load_seed(session)
        initiatives.load_seed(session, EDITOR, "demo_initiatives.yml")
    con = open_read(demo_monitor)
    try:
        with transaction(ops_factory) as session:
            before = fitgap.area_gaps(con, session, "GM9801")
        assert before and all(g.level == "wijk" for g in before)
        flagged = [g for g in before if g.flagged]
        assert flagged, "the demo has flagged wijken"
        for gap in before:
            assert set(gap.white_spots) | set(gap.covered) == set(gap.flagged)
            assert not set(gap.white_spots) & set(gap.covered)
            if "financial_buffer" in gap.flagged:
                assert gap.covered["financial_buffer"] == ["DEMO Geldcafé Brakelmonde"]
        # a wijk's white spot closes once an initiative serves it in the gemeente
        target = next(g for g in flagged if g.white_spots)
        spot = target.white_spots[0]
        with transaction(ops_factory) as session:
            initiatives.add(
                session,
                EDITOR,
                initiatives.Initiative(
                    "DEMO nieuw", "DEMO", "local", gemeenten=["GM9801"], characteristics=[spot]
                ),
            )
            for kind in ("energie", "*"):  # purged aggregates: per partner kind and in total
                session.add(
                    ReachAggregate(
                        gemeente_code="GM9801",
                        wijk_code=target.code,
                        month="2026-01",
                        partner_kind=kind,
                        signals=12,
                        households=10,
                        reached=5,
                        accepted=2,
                    )
                )
        with transaction(ops_factory) as session:
            after = {g.code: g for g in fitgap.area_gaps(con, session, "GM9801")}
            assert spot not in after[target.code].white_spots
            # released as the reach page releases it (12 alone: rounded)
            assert after[target.code].signalled
            assert after[target.code].signals == disclose_count(12)
            # the buffer is served in GM9801 (DEMO Geldcafé): no unmet signals
            assert after[target.code].unmet_signals == 0
            # a national measure alone does not close a local white spot
            national = fitgap.national(con, session)
            per_gemeente = fitgap.white_spots_per_gemeente(con, session)
        # the national map's count for GM9801 is the sum of its wijken's white spots
        assert per_gemeente.get("GM9801", 0) == sum(len(g.white_spots) for g in after.values())
        shares = [c.share for c in national if c.share is not None]
        assert shares == sorted(shares)
        assert all(0 <= c.covered_areas <= c.flagged_areas for c in national)
    finally:
        con.close()
