"""Initiatives and groups registers on SQLite and PostgreSQL: seed load with CBS codes,
add/edit/retire/verify with history, search filters, stale entries, HSDS round trip."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.ops.core.db import transaction
from wijkradar.registers import groups, hsds, initiatives

EDITOR = Principal("ed", "editor", "GM0014")
ANALYST = Principal("an", "analyst", "GM0014")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _seeded(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        groups.load_seed(session)
        initiatives.load_seed(session, EDITOR)


def test_seed_holds_the_seed_initiatives_with_real_cbs_codes(
    ops_factory: sessionmaker[Session],
) -> None:
    names_csv = SHARED / "other" / "cbs_wijk_2023_v0_codes_names.csv"
    if not names_csv.exists():
        pytest.skip(f"{names_csv} not present")
    with names_csv.open(encoding="utf-8") as handle:
        cbs = {row["gm_code"]: row["gm_naam"] for row in csv.DictReader(handle)}
    data = initiatives.seed_data()
    for entry in data["initiatives"]:
        if entry["kind"] == "local":
            assert cbs[entry["gemeente_code"]] == entry["place"], entry["name"]
    _seeded(ops_factory)
    with transaction(ops_factory) as session:
        everything = initiatives.search(session)
        assert len(everything) == len(data["initiatives"]) >= 150
        local = [i for i in everything if i.kind == "local"]
        assert len({code for i in local for code in i.gemeenten}) >= 30
        assert all(code in cbs for i in local for code in i.gemeenten)
        # the reviewed data loads as reviewed, with the organisation the seed names
        assert all(i.reviewed for i in everything)
        bakfiets = initiatives.search(session, text="bakfiets")[0]
        assert bakfiets.organisation.startswith("Stichting Inloophuis De Zwaan")
        assert bakfiets.url == "https://www.dezwaan-alkmaar.nl/"
        # loading twice adds nothing
        assert initiatives.load_seed(session, EDITOR) == 0
    assert data["unplaced"], "the entries that could not be placed are recorded"


def test_reload_retires_seed_entries_the_file_no_longer_holds(
    ops_factory: sessionmaker[Session],
) -> None:
    """A store that loaded the unreviewed draft (other names, other stable ids) does not keep
    both versions after loading the reviewed file; editors' own entries stay."""
    draft = initiatives.Initiative(
        name="De Inloop Extra Intelligent Open van organisatie Reakt",
        organisation="Gemeente Alkmaar",
        kind="local",
        gemeenten=["GM0361"],
        source="seed 002 section 3, line 1035",
    )
    own = initiatives.Initiative("Eigen initiatief", "Stichting X", "local", gemeenten=["GM0361"])
    with transaction(ops_factory) as session:
        groups.load_seed(session)
        draft_id = initiatives.add(session, EDITOR, draft)
        own_id = initiatives.add(session, EDITOR, own)
        initiatives.load_seed(session, EDITOR)
    with transaction(ops_factory) as session:
        assert initiatives.get(session, draft_id).status == "defunct"
        assert initiatives.get(session, own_id).status == "active"
        names = [i.name for i in initiatives.search(session, gemeente="GM0361", kind="local")]
        assert "De Inloop Extra Intelligent Open" in names
        assert draft.name not in names
        assert [c.action for c in initiatives.history(session, draft_id)] == ["add", "retire"]


def test_search_filters_and_national_measures_everywhere(
    ops_factory: sessionmaker[Session],
) -> None:
    _seeded(ops_factory)
    with transaction(ops_factory) as session:
        delft = initiatives.search(session, gemeente="GM0503")
        assert {i.kind for i in delft} == {"local", "national"}
        assert all(i.kind == "national" or "GM0503" in i.gemeenten for i in delft)
        only_local = initiatives.search(session, gemeente="GM0503", kind="local")
        assert only_local and all(i.gemeenten == ["GM0503"] for i in only_local)
        homeless = initiatives.search(session, group="dakloos")
        assert homeless and all("dakloos" in i.groups for i in homeless)
        money = initiatives.search(session, characteristic="financial_buffer")
        assert money and all("financial_buffer" in i.characteristics for i in money)
        assert initiatives.search(session, text="bakfiets")[0].gemeenten == ["GM0361"]
        assert initiatives.search(session, text="no such thing anywhere") == []


def test_add_edit_retire_verify_keep_history(
    ops_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    _seeded(ops_factory)
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 1))
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 1, 9, 0))
    item = initiatives.Initiative(
        name="Schuldhulp aan huis",
        organisation="Stichting Test",
        kind="local",
        gemeenten=["GM0014"],
        characteristics=["financial_buffer"],
        groups=["dakloos"],
    )
    with transaction(ops_factory) as session, pytest.raises(PermissionError):
        initiatives.add(session, ANALYST, item)
    with transaction(ops_factory) as session:
        new_id = initiatives.add(session, EDITOR, item)
    with transaction(ops_factory) as session:
        got = initiatives.get(session, new_id)
        assert got.gemeenten == ["GM0014"] and got.assured_date == dt.date(2026, 3, 1)
        got.description = "Nu ook 's avonds."
        got.gemeenten = ["GM0014", "GM0034"]
        initiatives.edit(session, EDITOR, got)
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 6, 1))
    with transaction(ops_factory) as session:
        got = initiatives.get(session, new_id)
        assert got.stale(clock.today())  # verified 2026-03-01, more than a year ago
        initiatives.verify(session, EDITOR, new_id)
        assert not initiatives.get(session, new_id).stale(clock.today())
        initiatives.retire(session, EDITOR, new_id)
    with transaction(ops_factory) as session:
        assert initiatives.search(session, text="Schuldhulp aan huis") == []
        assert initiatives.get(session, new_id).status == "defunct"
        actions = [c.action for c in initiatives.history(session, new_id)]
        assert actions == ["add", "edit", "verify", "retire"]
    evil = initiatives.Initiative("x", "y", "national", url="javascript:alert(1)")
    with pytest.raises(WijkradarError, match="url must start"), transaction(ops_factory) as s:
        initiatives.add(s, EDITOR, evil)
    with pytest.raises(WijkradarError, match="unknown group"), transaction(ops_factory) as s:
        initiatives.add(s, EDITOR, initiatives.Initiative("x", "y", "national", groups=["nope"]))


def test_group_scores_priority_and_append_only_history(
    ops_factory: sessionmaker[Session], ops_engine: object
) -> None:
    _seeded(ops_factory)
    with transaction(ops_factory) as session:
        assert len(groups.priorities(session)) == 12
        for axis, score in (("need", 5), ("resilience", 1), ("policy_gap", 4)):
            groups.set_score(session, EDITOR, "dakloos", axis, score, f"seed 000: {axis}")
        for axis, score in (("need", 3), ("resilience", 3), ("policy_gap", 2)):
            groups.set_score(session, EDITOR, "eenzame_ouderen", axis, score, "GGD")
        groups.set_score(session, EDITOR, "dakloos", "need", 4, "new count")
        with pytest.raises(WijkradarError):
            groups.set_score(session, EDITOR, "dakloos", "need", 9, "too high")
    with transaction(ops_factory) as session:
        ranked = groups.priorities(session)
        assert [p.group.id for p in ranked[:2]] == ["dakloos", "eenzame_ouderen"]
        assert ranked[0].total == 4 + 5 + 4 and ranked[0].scores["need"].reason == "new count"
        assert ranked[2].total is None
        assert [s.score for s in groups.score_history(session, "dakloos")] == [5, 1, 4, 4]
    with pytest.raises(DBAPIError), ops_engine.begin() as con:  # type: ignore[attr-defined]
        con.execute(text("UPDATE reg_group_score SET score = 1"))


def test_hsds_round_trip_and_bad_package(
    ops_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _seeded(ops_factory)
    with transaction(ops_factory) as session:
        package = hsds.export_zip(session)
        before = {i.id: i for i in initiatives.search(session)}
    files = hsds.read_zip(package)
    assert set(files) == {f"{name}.csv" for name in hsds.FIELDS}
    service_rows = list(csv.DictReader(files["service.csv"].splitlines()))
    assert len(service_rows) == len(before)
    # a second, empty store takes the package in and holds the same register
    with transaction(ops_factory) as session:
        session.execute(text("DELETE FROM reg_attribute"))
        session.execute(text("DELETE FROM reg_service_at_location"))
        session.execute(text("DELETE FROM reg_service"))
    with transaction(ops_factory) as session:
        assert hsds.import_package(session, EDITOR, files) == len(before)
    with transaction(ops_factory) as session:
        after = {i.id: i for i in initiatives.search(session)}
    assert set(after) == set(before)
    for key, item in before.items():
        assert after[key].gemeenten == item.gemeenten
        assert after[key].groups == item.groups
        assert after[key].characteristics == item.characteristics
        assert after[key].assured_date == item.assured_date
    broken = dict(files)
    broken["service.csv"] = broken["service.csv"].replace(
        service_rows[0]["organization_id"], "missing-org", 1
    )
    bad = r"service.csv, row \d+, column organization_id"
    with pytest.raises(WijkradarError, match=bad), transaction(ops_factory) as session:
        hsds.import_package(session, EDITOR, broken)
