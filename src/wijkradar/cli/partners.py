"""Commands: partners (add, user, token issue|list|revoke, vindplaats add|import|list|remove,
import, purge, radar) - partner organisations and
their area signals (issue 10). Changes are audited under cli:<os user>."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wijkradar.cli.data import DbOption, db_path
from wijkradar.cli.ops import OpsDbOption, PasswordStdin, _factory, _operator, _password, _settings
from wijkradar.domain import WijkradarError

if TYPE_CHECKING:
    from wijkradar.ops.partners.place_points import BuurtShapes

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
    from wijkradar.ops.partners import area_signals

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
    from wijkradar.ops.partners import area_signals

    factory = _factory(ops_db)
    password = _password(password_stdin)
    with factory() as session, session.begin():
        org = area_signals.find_org(session, gemeente, partner)
        area_signals.add_member(session, username, password, org)
    typer.echo(f"added {username} (partner of {partner}, {gemeente})")


token_app = typer.Typer(
    help="API tokens of a partner organisation: issue, list, revoke.", no_args_is_help=True
)
partners_app.add_typer(token_app, name="token")


@token_app.command("issue")
def token_issue(
    partner: Annotated[str, typer.Argument(help="organisation name")],
    gemeente: GemeenteOption,
    label: Annotated[str, typer.Option(help="what the token is for")] = "api",
    ops_db: OpsDbOption = None,
) -> None:
    """Issue an API token for POST /werk/api/signalen (printed once; only its hash is kept)."""
    from wijkradar.ops.partners import area_signals

    with _factory(ops_db)() as session, session.begin():
        org = area_signals.find_org(session, gemeente, partner)
        typer.echo(area_signals.issue_token(session, org, label))


@token_app.command("list")
def token_list(
    partner: Annotated[str, typer.Argument(help="organisation name")],
    gemeente: GemeenteOption,
    ops_db: OpsDbOption = None,
) -> None:
    """List the organisation's tokens: id, label, created, last used, state (tab-separated)."""
    from wijkradar.ops.partners import area_signals

    with _factory(ops_db)() as session:
        org = area_signals.find_org(session, gemeente, partner)
        for t in area_signals.tokens(session, org):
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-"
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            typer.echo(f"{t.id}\t{t.label}\t{t.created_at:%Y-%m-%d %H:%M}\t{used}\t{state}")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="the token's id from `token list`")],
    partner: Annotated[str, typer.Option(help="organisation name")],
    gemeente: GemeenteOption,
    ops_db: OpsDbOption = None,
) -> None:
    """Revoke a token: refused (401) from the next request on; audited."""
    from wijkradar.ops.partners import area_signals

    with _factory(ops_db)() as session, session.begin():
        org = area_signals.find_org(session, gemeente, partner)
        info = area_signals.revoke_token(session, org, token_id, _operator())
    typer.echo(f"revoked {info.id} ({info.label}) of {partner}")


place_app = typer.Typer(
    help="The vindplaatsen register (findability): add, import, list, remove.",
    no_args_is_help=True,
)
partners_app.add_typer(place_app, name="vindplaats")


def _shapes(db: Path | None, gemeente: str) -> BuurtShapes | None:
    """Buurt boundaries of the monitor (placing points), or None without a monitor."""
    from wijkradar.ops.partners.place_points import BuurtShapes
    from wijkradar.store.ops_context import buurt_boundaries

    shapes = BuurtShapes(buurt_boundaries(db_path(db), gemeente))
    return shapes if shapes else None


@place_app.command("add")
def place_add(
    name: Annotated[str, typer.Argument(help="name of the place")],
    gemeente: GemeenteOption,
    kind: Annotated[str, typer.Option(help="voedselbank, buurthuis, bibliotheek, school, ...")],
    postcode: Annotated[str, typer.Option(help="postcode, e.g. 1234AB")] = "",
    huisnummer: Annotated[str, typer.Option(help="house number")] = "",
    lat: Annotated[str, typer.Option(help="latitude, WGS84 degrees")] = "",
    lon: Annotated[str, typer.Option(help="longitude, WGS84 degrees")] = "",
    db: DbOption = None,
    ops_db: OpsDbOption = None,
) -> None:
    """Add a vindplaats by postcode and house number, by point (--lat/--lon), or both."""
    from wijkradar.ops.accounts.auth import Principal
    from wijkradar.ops.partners import vindplaatsen

    inp = vindplaatsen.PlaceInput(name, kind, postcode, huisnummer, lat, lon)
    shapes = _shapes(db, gemeente) if lat or lon else None
    with _factory(ops_db)() as session, session.begin():
        row = vindplaatsen.add(
            session, Principal(_operator(), "admin", None), gemeente, inp, shapes
        )
        typer.echo(f"added {row.id}\t{row.name}\t{row.kind}\t{row.buurt_code or 'not placed'}")


@place_app.command("import")
def place_import(
    file: Annotated[Path, typer.Argument(help="CSV naam;soort;postcode;huisnummer;lat;lon")],
    gemeente: GemeenteOption,
    db: DbOption = None,
    ops_db: OpsDbOption = None,
) -> None:
    """Import vindplaatsen from a CSV: every row or none (exit 2 with file, row, column)."""
    from wijkradar.ops.accounts.auth import Principal
    from wijkradar.ops.partners import vindplaatsen

    if not file.is_file():
        raise WijkradarError(f"{file}: no such file")
    try:
        n = vindplaatsen.import_csv(
            _factory(ops_db),
            Principal(_operator(), "admin", None),
            gemeente,
            file.read_bytes(),
            file.name,
            _shapes(db, gemeente),
        )
    except vindplaatsen.PlaceRefused as error:
        for where, message in error.problems[1:]:
            typer.echo(f"{where}: {message}", err=True)
        where, message = error.problems[0]
        more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
        raise WijkradarError(f"{where}: {message}{more}; nothing imported") from None
    typer.echo(f"imported {n} vindplaatsen")


@place_app.command("list")
def place_list(gemeente: GemeenteOption, ops_db: OpsDbOption = None) -> None:
    """List the gemeente's vindplaatsen: id, kind, name, postcode, point, buurt, wijk."""
    from wijkradar.ops.partners import vindplaatsen

    with _factory(ops_db)() as session:
        for p in vindplaatsen.listing(session, gemeente):
            address = f"{p.postcode} {p.huisnummer}" if p.postcode else "-"
            point = f"{p.latitude:.5f},{p.longitude:.5f}" if p.latitude is not None else "-"
            typer.echo(
                f"{p.id}\t{p.kind}\t{p.name}\t{address}\t{point}\t"
                f"{p.buurt_code or '-'}\t{p.wijk_code or '-'}"
            )


@place_app.command("remove")
def place_remove(
    place_id: Annotated[int, typer.Argument(help="id from `vindplaats list`")],
    ops_db: OpsDbOption = None,
) -> None:
    """Remove a vindplaats (audited)."""
    from wijkradar.ops.accounts.auth import Principal
    from wijkradar.ops.partners import vindplaatsen

    with _factory(ops_db)() as session, session.begin():
        vindplaatsen.remove(session, Principal(_operator(), "admin", None), place_id)
    typer.echo(f"removed {place_id}")


@partners_app.command("import")
def partners_import(
    file: Annotated[Path, typer.Argument(help="monthly CSV (docs/partners.md)")],
    partner: Annotated[str, typer.Option(help="organisation name")],
    gemeente: GemeenteOption,
    ops_db: OpsDbOption = None,
) -> None:
    """Import a partner's monthly CSV: every row or none."""
    from wijkradar.ops.partners import area_signals

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
    from wijkradar.ops.partners import area_signals

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
    from wijkradar.ops.core import clock
    from wijkradar.ops.partners import area_signals, radar
    from wijkradar.store.ops_context import wijk_figures

    figures = wijk_figures(db_path(db), gemeente)
    if not figures:
        raise WijkradarError("no wijk figures in the monitor database (build or demo first)")
    month = month or f"{clock.today():%Y-%m}"
    if not area_signals.MONTH.match(month):
        raise WijkradarError(f"--month: expected YYYY-MM, found {month!r}")
    config = load_cached()
    with _factory(ops_db)() as session:
        counts = area_signals.monthly_counts(session, gemeente, *radar.span(month, config))
    rows = radar.classify(figures, counts, month, config)
    for row in rows:
        shown = "\t".join("" if n is None else str(n) for n in row.windows.values())
        typer.echo(f"{row.code}\t{row.klass}\t{row.stacking}\t{shown}")
    for klass, n in radar.summary(rows).items():
        typer.echo(f"# {klass}: {n}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(partners_app, name="partners")
