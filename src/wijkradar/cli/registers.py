"""Commands: registers (load, export, import) and report (gemeente or national, PDF or HTML).

Like the ops commands, these run with the operator's rights; changes are recorded in the
registers' history under cli:<os user> (with the editor role).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wijkradar.cli.data import DbOption, db_path
from wijkradar.cli.ops import OpsDbOption, _factory, _operator
from wijkradar.domain import WijkradarError

registers_app = typer.Typer(
    help="Registers: groups, initiatives (HSDS), load/export/import.", no_args_is_help=True
)


@registers_app.command("load")
def load(
    ops_db: OpsDbOption = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="also the fictional initiatives of the demo gemeenten")
    ] = False,
) -> None:
    """Load the twelve groups and the seeds' initiatives (idempotent)."""
    from wijkradar.ops.accounts.auth import Principal
    from wijkradar.ops.core.db import transaction
    from wijkradar.registers import groups, initiatives

    editor = Principal(_operator(), "editor", None)
    with transaction(_factory(ops_db)) as session:
        new_groups = groups.load_seed(session)
        added = initiatives.load_seed(session, editor)
        if demo:
            added += initiatives.load_seed(session, editor, "demo_initiatives.yml")
    typer.echo(f"groups added: {new_groups}; initiatives added: {added}")


@registers_app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="folder (or .zip file) for the HSDS package")],
    ops_db: OpsDbOption = None,
) -> None:
    """Write the initiatives register as an Open Referral HSDS 3 tabular data package."""
    from wijkradar.registers import hsds

    with _factory(ops_db)() as session:
        if target.suffix == ".zip":
            target.write_bytes(hsds.export_zip(session))
        else:
            hsds.export_dir(session, target)
    typer.echo(f"written: {target}")


@registers_app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="HSDS package: folder with CSV files, or .zip")],
    ops_db: OpsDbOption = None,
) -> None:
    """Add or update initiatives from an HSDS package (one transaction)."""
    from wijkradar.ops.accounts.auth import Principal
    from wijkradar.ops.core.db import transaction
    from wijkradar.registers import hsds

    if not source.exists():
        raise WijkradarError(f"{source}: no such file or folder")
    files = hsds.read_zip(source.read_bytes()) if source.is_file() else hsds.read_dir(source)
    with transaction(_factory(ops_db)) as session:
        n = hsds.import_package(session, Principal(_operator(), "editor", None), files)
    typer.echo(f"initiatives read: {n}")


def report_command(
    code: Annotated[
        str, typer.Argument(help="gemeente code (GM....) or NL for the national overview")
    ],
    fmt: Annotated[str, typer.Option("--format", help="pdf or html")] = "pdf",
    lang: Annotated[str, typer.Option("--lang", help="nl or en")] = "nl",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="output file (default: report-<code>-<lang>.<format>)"),
    ] = None,
    db: DbOption = None,
    ops_db: OpsDbOption = None,
) -> None:
    """A gemeente report (or the national overview): infographic page, then detail and sources."""
    from wijkradar.registers import report

    if lang not in ("nl", "en"):
        raise WijkradarError(f"--lang {lang!r}: expected nl or en")
    code = code.strip().upper()
    target = out or Path(f"report-{code}-{lang}.{fmt}")
    with _factory(ops_db)() as session:
        rendered = report.render(db_path(db), session, None if code == "NL" else code, lang, fmt)
    if fmt == "html":
        target.write_text(rendered.html, encoding="utf-8")
    else:
        target.write_bytes(rendered.pdf or b"")
    typer.echo(f"written: {target}")


def register(app: typer.Typer) -> None:
    app.add_typer(registers_app, name="registers")
    app.command("report")(report_command)
