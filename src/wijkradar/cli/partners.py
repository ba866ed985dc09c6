"""Commands: partners (add, user, token, import, purge, radar) - partner organisations and
their area signals (issue 10). Changes are audited under cli:<os user>."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wijkradar.cli.data import DbOption, db_path
from wijkradar.cli.ops import OpsDbOption, PasswordStdin, _factory, _operator, _password, _settings
from wijkradar.domain import WijkradarError

partners_app = typer.Typer(
    help="Partner organisations and their area signals (no personal data).", no_args_is_help=True
)
GemeenteOption = Annotated[str, typer.Option(help="GMxxxx of the organisation")]


@partners_app.command("add")
def partners_add(
    name: Annotated[str, typer.Argument(help="organisation name")],
    gemeente: GemeenteOption,
    kind: Annotated[str, typer.Option(help="huisarts, school, sociaal_wijkteam, voedselbank, ...")],
    wijk: Annotated[list[str] | None, typer.Option(help="a WK code it works in (repeat)")] = None,
    ops_db: OpsDbOption = None,
) -> None:
    """Add a partner organisation with the wijken it works in."""
    from wijkradar.ops import area_signals

    with _factory(ops_db)() as session, session.begin():
        org = area_signals.add_org(session, gemeente, name, kind, wijk or [])
        typer.echo(f"added {org.name} ({org.kind}, {gemeente}, {len(wijk or [])} wijken)")


@partners_app.command("user")
def partners_user(
    username: Annotated[str, typer.Argument(help="login name")],
    partner: Annotated[str, typer.Option(help="organisation name")],
    gemeente: GemeenteOption,
    ops_db: OpsDbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with role partner for one organisation."""
    from wijkradar.ops import area_signals

    factory = _factory(ops_db)
    password = _password(password_stdin)
    with factory() as session, session.begin():
        org = area_signals.find_org(session, gemeente, partner)
        area_signals.add_member(session, username, password, org)
    typer.echo(f"added {username} (partner of {partner}, {gemeente})")


@partners_app.command("token")
def partners_token(
    partner: Annotated[str, typer.Argument(help="organisation name")],
    gemeente: GemeenteOption,
    label: Annotated[str, typer.Option(help="what the token is for")] = "api",
    ops_db: OpsDbOption = None,
) -> None:
    """Issue an API token for POST /werk/api/signalen (printed once; only its hash is kept)."""
    from wijkradar.ops import area_signals

    with _factory(ops_db)() as session, session.begin():
        org = area_signals.find_org(session, gemeente, partner)
        typer.echo(area_signals.issue_token(session, org, label))


@partners_app.command("import")
def partners_import(
    file: Annotated[Path, typer.Argument(help="monthly CSV (docs/partners.md)")],
    partner: Annotated[str, typer.Option(help="organisation name")],
    gemeente: GemeenteOption,
    ops_db: OpsDbOption = None,
) -> None:
    """Import a partner's monthly CSV: every row or none."""
    from wijkradar.ops import area_signals

    if not file.is_file():
        raise WijkradarError(f"{file}: no such file")
    factory = _factory(ops_db)
    with factory() as session:
        org_id = area_signals.find_org(session, gemeente, partner).id
    try:
        n = area_signals.import_csv(factory, org_id, file.read_bytes(), file.name, _operator())
    except area_signals.SignalRefused as error:
        where, message = error.problems[0]
        more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
        raise WijkradarError(f"{where}: {message}{more}; nothing imported") from None
    typer.echo(f"imported {n} signals")


@partners_app.command("purge")
def partners_purge(ops_db: OpsDbOption = None) -> None:
    """Delete signals older than WIJKRADAR_OPS_SIGNAL_RETENTION_MONTHS (aggregates stay)."""
    from wijkradar.ops import area_signals

    settings = _settings(ops_db)
    report = area_signals.purge(_factory(ops_db), settings.signal_retention_months)
    typer.echo(f"deleted {report.signals} signals in {report.gemeenten} gemeenten")


@partners_app.command("radar")
def partners_radar(
    gemeente: Annotated[str | None, typer.Argument(help="GMxxxx; all wijken when left out")] = None,
    month: Annotated[str | None, typer.Option(help="reference month YYYY-MM")] = None,
    db: DbOption = None,
    ops_db: OpsDbOption = None,
) -> None:
    """Print the "under the radar" class per wijk (tab-separated) and a count per class."""
    from wijkradar.methodology.triangulation import load_cached
    from wijkradar.ops import area_signals, clock, radar
    from wijkradar.store.ops_context import wijk_figures

    figures = wijk_figures(db_path(db), gemeente)
    if not figures:
        raise WijkradarError("no wijk figures in the monitor database (build or demo first)")
    month = month or f"{clock.today():%Y-%m}"
    if not area_signals.MONTH.match(month):
        raise WijkradarError(f"--month: expected YYYY-MM, found {month!r}")
    with _factory(ops_db)() as session:
        counts = area_signals.monthly_counts(session, gemeente)
    rows = radar.classify(figures, counts, month, load_cached())
    for row in rows:
        shown = "\t".join("" if n is None else str(n) for n in row.windows.values())
        typer.echo(f"{row.code}\t{row.klass}\t{row.stacking}\t{shown}")
    for klass, n in radar.summary(rows).items():
        typer.echo(f"# {klass}: {n}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(partners_app, name="partners")
