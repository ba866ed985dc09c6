"""Commands: users (add, list, disable, reset), ops (migrate, purge, postcodes), signals (import).

The CLI runs with the operator's rights on the machine (whoever can run it can read the store's
file or URL anyway); what it changes is audited under the name cli:<os user>.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wijkradar.domain import WijkradarError
from wijkradar.ops.core.settings import OpsSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

users_app = typer.Typer(help="Accounts of the workspace (/werk).", no_args_is_help=True)
ops_app = typer.Typer(
    help="The operational store: migrations, retention, postcode table.", no_args_is_help=True
)
signals_app = typer.Typer(help="Payment-arrears signals (vroegsignalering).", no_args_is_help=True)

OpsDbOption = Annotated[
    str | None,
    typer.Option(
        "--ops-db",
        help="Operational store URL (else $WIJKRADAR_OPS_DB, else sqlite:///var/ops.sqlite).",
        show_default=False,
    ),
]


def _settings(url: str | None) -> OpsSettings:
    return OpsSettings(db=url) if url else OpsSettings()


def _factory(url: str | None, *, check_migrated: bool = True) -> sessionmaker[Session]:
    from wijkradar.ops.core import migrate
    from wijkradar.ops.core.db import make_engine, session_factory

    engine = make_engine(_settings(url).db)
    if check_migrated and migrate.current(engine) != migrate.head(engine):
        raise WijkradarError("the operational store is not migrated: run `wijkradar ops migrate`")
    return session_factory(engine)


def _operator() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli:unknown"


PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="read the password from the first line of standard input"
    ),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password (12+ characters)", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help="admin, coordinator, outreach or analyst")],
    gemeente: Annotated[str | None, typer.Option(help="GMxxxx (every role but admin)")] = None,
    ops_db: OpsDbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account; the password is asked twice, hidden."""
    from wijkradar.ops.accounts import auth

    factory = _factory(ops_db)
    password = _password(password_stdin)
    with factory() as session, session.begin():
        auth.add_user(session, username, password, role, gemeente)
    typer.echo(
        f"added {username} ({role}{', ' + gemeente if gemeente and role != 'admin' else ''})"
    )


@users_app.command("list")
def users_list(ops_db: OpsDbOption = None) -> None:
    """List accounts: name, role, gemeente, active."""
    from wijkradar.ops.accounts import auth

    with _factory(ops_db)() as session:
        for user in auth.list_users(session):
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role}\t{user.gemeente_code or '-'}\t{state}")


@users_app.command("disable")
def users_disable(username: str, ops_db: OpsDbOption = None) -> None:
    """Disable an account and end its sessions."""
    from wijkradar.ops.accounts import auth

    with _factory(ops_db)() as session, session.begin():
        auth.disable_user(session, username)
    typer.echo(f"disabled {username}")


@users_app.command("reset")
def users_reset(
    username: str, ops_db: OpsDbOption = None, password_stdin: PasswordStdin = False
) -> None:
    """Set a new password (asked twice, hidden); ends sessions, lifts a login lock."""
    from wijkradar.ops.accounts import auth

    factory = _factory(ops_db)
    password = _password(password_stdin)
    with factory() as session, session.begin():
        auth.reset_password(session, username, password)
    typer.echo(f"password of {username} reset")


@ops_app.command("migrate")
def ops_migrate(
    ops_db: OpsDbOption = None,
    revision: Annotated[str, typer.Option(help="target revision")] = "head",
) -> None:
    """Create or upgrade the operational store's tables (Alembic)."""
    from wijkradar.ops.core import migrate
    from wijkradar.ops.core.db import make_engine

    engine = make_engine(_settings(ops_db).db)
    migrate.upgrade(engine, revision)
    typer.echo(f"operational store at revision {migrate.current(engine)}")
    engine.dispose()


@ops_app.command("purge")
def ops_purge(
    ops_db: OpsDbOption = None,
    today: Annotated[
        str | None, typer.Option(help="purge as if today were YYYY-MM-DD (for a dry check)")
    ] = None,
) -> None:
    """Delete person-level data past its retention period; aggregates stay."""
    from wijkradar.ops.arrears import retention
    from wijkradar.ops.core import clock

    settings = _settings(ops_db)
    if today:
        try:
            clock.freeze(dt.datetime.combine(dt.date.fromisoformat(today), dt.time(12)))
        except ValueError:
            raise WijkradarError(f"--today {today!r}: expected YYYY-MM-DD") from None
    report = retention.purge(_factory(ops_db), settings)
    typer.echo(
        f"purged {report.signals} signals, {report.cases} cases, {report.households} households"
    )


@ops_app.command("postcodes")
def ops_postcodes(
    file: Annotated[Path, typer.Argument(help="CSV: postcode;huisnummer;buurt;wijk;gemeente")],
    ops_db: OpsDbOption = None,
) -> None:
    """Load a postcode-huisnummer -> buurt table (replaces the rows of the postcodes in it)."""
    from wijkradar.ops.core.postcodes import load_table

    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise WijkradarError(f"{file}: cannot read ({error.strerror})") from None
    count = load_table(_factory(ops_db), csv.reader(io.StringIO(text), delimiter=";"), str(file))
    typer.echo(f"loaded {count} addresses")


@signals_app.command("import")
def signals_import(
    file: Annotated[Path, typer.Argument(help="the partner's file: CSV or XLSX")],
    mapping: Annotated[Path, typer.Option(help="the partner's mapping file (YAML)")],
    ops_db: OpsDbOption = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="import the valid rows, report the rest")
    ] = False,
    monitor_db: Annotated[
        Path | None,
        typer.Option(help="monitor database for the buurt stacking in the priority score"),
    ] = None,
) -> None:
    """Import a partner's signals (one transaction; re-importing adds nothing)."""
    from wijkradar.ops.arrears import intake
    from wijkradar.ops.arrears import mapping as mapping_mod
    from wijkradar.ops.arrears.rows import read_file
    from wijkradar.store.ops_context import area_context, buurt_stacking

    settings = _settings(ops_db)
    parsed = mapping_mod.load(mapping)
    monitor = monitor_db or Path(os.environ.get("WIJKRADAR_DB") or "var/monitor.duckdb")
    try:
        result = intake.import_file(
            _factory(ops_db),
            read_file(file),
            str(file),
            parsed,
            _operator(),
            gemeente_scope=None,
            threshold=Decimal(settings.threshold),
            skip_invalid=skip_invalid,
            stacking=buurt_stacking(area_context(monitor, parsed.gemeente)),
        )
    except intake.ImportRejected as error:
        for rejection in error.result.rejected[1:]:
            typer.echo(rejection.line(str(file)), err=True)
        raise
    for rejection in result.rejected:
        typer.echo("skipped: " + rejection.line(str(file)), err=True)
    typer.echo(
        f"{result.rows} rows: {result.added} added, {result.duplicates} already known, "
        f"{result.not_picked_up} not picked up, {result.review} to review, "
        f"{len(result.rejected)} rejected"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(ops_app, name="ops")
    app.add_typer(signals_app, name="signals")
