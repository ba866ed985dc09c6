"""Every role × gemeente × route of the workspace: a user sees and changes only what the role
allows; 0 leaks across gemeenten; analysts and admins never see a person.

Allowed is checked by status (2xx/3xx, or 422 for a legal request on a closed case) and denied
by 403/404; on every response, allowed or not, the body is searched for the person-level
markers (fictional names, postcodes) of each gemeente the user may not see persons of.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from ops_helpers import GM_A, GM_B, csv, row
from sqlalchemy.orm import Session, sessionmaker
from web_support import MARKERS, USERS, World, build_world, client, login

Route = tuple[str, str, Callable[[World, str], str], str, dict[str, str]]
# (name, method, path(world, gemeente), rule, form data); rule: persons | coordinator | reach
ROUTES: list[Route] = [
    ("queue", "GET", lambda w, g: "/werk/wachtrij", "persons-own", {}),
    ("case", "GET", lambda w, g: f"/werk/zaken/{w.case[g]}", "persons", {}),
    (
        "attempt",
        "POST",
        lambda w, g: f"/werk/zaken/{w.case[g]}/contact",
        "persons",
        {"kind": "brief", "part_of_day": "ochtend", "on": "2026-10-05", "reached": "nee"},
    ),
    (
        "close",
        "POST",
        lambda w, g: f"/werk/zaken/{w.case[g]}/afsluiten",
        "persons",
        {"result": "geen_contact"},
    ),
    ("import-form", "GET", lambda w, g: "/werk/import", "coordinator-own", {}),
    ("review", "GET", lambda w, g: "/werk/controle", "coordinator-own", {}),
    (
        "resolve",
        "POST",
        lambda w, g: f"/werk/controle/{w.signal_review[g]}",
        "coordinator",
        {"decision": "decline"},
    ),
    ("audit", "GET", lambda w, g: "/werk/logboek", "coordinator-own", {}),
    ("partners", "GET", lambda w, g: "/werk/partners", "coordinator-own", {}),
    ("ddas", "GET", lambda w, g: "/werk/ddas.csv?maand=2026-10", "coordinator-own", {}),
    ("feedback", "GET", lambda w, g: f"/werk/terugkoppeling/{w.partner[g]}.csv", "coordinator", {}),
    ("reach", "GET", lambda w, g: f"/werk/bereik?gemeente={g}", "reach", {}),
]


def _allowed(rule: str, role: str, own: str | None, target: str) -> bool:
    if rule == "persons-own":
        return role in ("coordinator", "outreach")
    if rule == "persons":
        return role in ("coordinator", "outreach") and own == target
    if rule == "coordinator-own":
        return role == "coordinator"
    if rule == "coordinator":
        return role == "coordinator" and own == target
    if rule == "reach":
        return role in ("analyst", "coordinator", "admin")
    raise AssertionError(rule)


def _visible_persons(role: str, own: str | None) -> set[str]:
    return {own} if role in ("coordinator", "outreach") and own else set()


def test_access_matrix(ops_factory: sessionmaker[Session], ops_url: str, tmp_path: Path) -> None:
    world = build_world(ops_factory, ops_url, tmp_path)
    checked = leaks = 0
    for username, (role, own) in USERS.items():
        c: TestClient = client(world)
        csrf = login(c, username)
        hidden = {GM_A, GM_B} - _visible_persons(role, own)
        for name, method, path_of, rule, data in ROUTES:
            for target in (GM_A, GM_B):
                path = path_of(world, target)
                if method == "GET":
                    answer = c.get(path)
                else:
                    answer = c.post(path, data={**data, "csrf": csrf})
                allowed = _allowed(rule, role, own, target)
                shown = answer.text[:200]
                where = f"{username} {method} {name} {target}: {answer.status_code} {shown}"
                if allowed:
                    assert answer.status_code in (200, 303, 422), where
                else:
                    assert answer.status_code in (403, 404), where
                for gemeente in hidden:
                    for marker in MARKERS[gemeente]:
                        if marker in answer.text:
                            leaks += 1
                            raise AssertionError(f"{where} shows a person of {gemeente}")
                if name == "reach" and role != "admin" and allowed:
                    # a non-admin asking for another gemeente gets their own figures
                    assert f"Bereik per wijk {own}" in answer.text, where
                checked += 1
    assert leaks == 0
    assert checked == len(USERS) * len(ROUTES) * 2


def test_import_upload_only_into_own_gemeente(
    ops_factory: sessionmaker[Session], ops_url: str, tmp_path: Path
) -> None:
    world = build_world(ops_factory, ops_url, tmp_path)
    mapping_b = (
        "partner: Energie B\nkind: energie\ngemeente: GM9802\ndate_format: '%d-%m-%Y'\n"
        "columns: {reference: Klantnr, name: Naam, birth_date: Geboren, postcode: Postcode, "
        "huisnummer: Huisnr, toevoeging: Toev, amount: Bedrag, arrears_start: Sinds, "
        "signal_date: Datum}\n"
    )
    content = csv(row("X1", pc="2000 AA", nr="3"))
    for username, expected in (
        ("coord-a", 422),
        ("coord-b", 200),
        ("worker-b", 403),
        ("analyst-b", 403),
    ):
        c = client(world)
        csrf = login(c, username)
        answer = c.post(
            "/werk/import",
            data={"csrf": csrf},
            files={"mapping_file": ("m.yml", mapping_b), "data_file": ("f.csv", content)},
        )
        assert answer.status_code == expected, (username, answer.text[:300])
