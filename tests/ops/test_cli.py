"""`wijkradar users`, `wijkradar ops` and `wijkradar signals` run in process, on both engines."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from ops_helpers import csv, row

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from cli_run import Cli, runner

MAPPING = """partner: Woonstichting CLI
kind: huur
gemeente: GM9801
date_format: '%d-%m-%Y'
columns: {reference: Klantnr, name: Naam, birth_date: Geboren, postcode: Postcode,
  huisnummer: Huisnr, toevoeging: Toev, amount: Bedrag, arrears_start: Sinds, signal_date: Datum}
"""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return runner(capsys, monkeypatch)


def test_users_lifecycle(cli: Cli, ops_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(["ops", "migrate", "--ops-db", ops_url])[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    code, out, _ = cli(
        [
            "users",
            "add",
            "anna",
            "--role",
            "coordinator",
            "--gemeente",
            "GM9801",
            "--ops-db",
            ops_url,
            "--password-stdin",
        ]
    )
    assert (code, out.strip()) == (0, "added anna (coordinator, GM9801)")
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    code, _, err = cli(
        [
            "users",
            "add",
            "bob",
            "--role",
            "analyst",
            "--gemeente",
            "GM9801",
            "--ops-db",
            ops_url,
            "--password-stdin",
        ]
    )
    assert code == 2 and "password too short" in err
    code, _, err = cli(
        ["users", "add", "carl", "--role", "analyst", "--ops-db", ops_url, "--password-stdin"]
    )
    assert code == 2 and "needs --gemeente" in err
    assert cli(["users", "disable", "anna", "--ops-db", ops_url])[0] == 0
    code, out, _ = cli(["users", "list", "--ops-db", ops_url])
    assert out.strip().split("\t") == ["anna", "coordinator", "GM9801", "disabled"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("nog een lang wachtwoord\n"))
    assert cli(["users", "reset", "anna", "--ops-db", ops_url, "--password-stdin"])[0] == 0
    assert cli(["users", "disable", "nobody", "--ops-db", ops_url])[0] == 2


def test_unmigrated_store_is_refused(cli: Cli, ops_url: str) -> None:
    code, _, err = cli(["users", "list", "--ops-db", ops_url])
    assert code == 2 and "wijkradar ops migrate" in err


def test_signals_import_and_purge(cli: Cli, ops_url: str, tmp_path: Path) -> None:
    assert cli(["ops", "migrate", "--ops-db", ops_url])[0] == 0
    table = tmp_path / "pc.csv"
    table.write_text(
        "postcode;huisnummer;buurt;wijk;gemeente\n"
        + "".join(f"1000AA;{n};BU98010101;WK980101;GM9801\n" for n in range(1, 6)),
        encoding="utf-8",
    )
    assert (
        cli(["ops", "postcodes", str(table), "--ops-db", ops_url])[1].strip()
        == "loaded 5 addresses"
    )
    mapping = tmp_path / "m.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv(row("R1"), row("R2", pc="12345"), row("R3", amount="x")))
    code, out, err = cli(
        ["signals", "import", str(bad), "--mapping", str(mapping), "--ops-db", ops_url]
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[-1] == (
        f"error: {bad}: row 3, column 'Postcode': expected a Dutch postcode like 1234 AB, "
        "found digits of 5 characters (and 1 more rejected rows)"
    )
    assert lines[0].startswith(f"{bad}: row 4, column 'Bedrag': expected an amount in euro")
    good = tmp_path / "good.csv"
    good.write_bytes(csv(row("R1", date="01-01-2026"), row("R2", nr="2", date="01-01-2026")))
    args = ["signals", "import", str(good), "--mapping", str(mapping), "--ops-db", ops_url]
    code, out, _ = cli(args)
    assert code == 0 and out.strip().startswith("2 rows: 2 added, 0 already known")
    code, out, _ = cli(args)
    assert code == 0 and out.strip().startswith("2 rows: 0 added, 2 already known")
    # cases still open: nothing to purge even long after
    code, out, _ = cli(["ops", "purge", "--ops-db", ops_url, "--today", "2027-12-01"])
    assert (code, out.strip()) == (0, "purged 0 signals, 0 cases, 0 households")
    from wijkradar.ops.core import clock

    clock.freeze(None)
