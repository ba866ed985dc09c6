"""Command: export (scores per level as CSV, XLSX, GeoJSON or Parquet with a metadata sidecar)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from wijkradar.domain.region import NATIONAL_CODE


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def export(
        out: Annotated[Path, typer.Option("--out", help="file to write")],
        level: Annotated[str, typer.Option(help="gemeente | wijk | buurt")] = "wijk",
        within: Annotated[
            str | None, typer.Option(help="only areas within this GM/PV/WK code")
        ] = None,
        year: Annotated[int | None, typer.Option(help="year (default: latest scored)")] = None,
        format: Annotated[
            str, typer.Option("--format", help="csv | xlsx | geojson | parquet")
        ] = "csv",
        framework: Annotated[str, typer.Option(help="tno | corona_dashboard")] = "tno",
        reference: Annotated[
            str, typer.Option(help="reference area of the ranking")
        ] = NATIONAL_CODE,
        dialect: Annotated[
            str,
            typer.Option(
                help="CSV dialect: excel (comma, decimal point) or excel-nl (semicolon, "
                "decimal comma, UTF-8 BOM: opens in columns in Dutch Excel)"
            ),
        ] = "excel",
        db: Annotated[Path | None, typer.Option(help="monitor database")] = None,
    ) -> None:
        """Export stored scores; writes OUT and OUT.metadata.json (method, sources, licence)."""
        from wijkradar.domain import InputError, WijkradarError
        from wijkradar.reports import exports
        from wijkradar.store.reader import open_read

        if out.is_dir():
            raise InputError(
                out, "--out is a directory", expected="a file path to write", found="a directory"
            )
        if not out.parent.is_dir():
            raise InputError(
                out,
                "--out: no such folder",
                expected="a file in an existing folder",
                found=f"{out.parent} does not exist",
            )

        if level not in ("gemeente", "wijk", "buurt"):
            raise WijkradarError(f"--level must be gemeente, wijk or buurt, not {level!r}")
        if dialect not in exports.DIALECTS:
            raise WijkradarError(f"--dialect must be one of {', '.join(exports.DIALECTS)}")
        if format not in exports.FORMATS:
            raise WijkradarError(f"--format must be one of {', '.join(exports.FORMATS)}")
        path = db or Path(os.environ.get("WIJKRADAR_DB", "var/monitor.duckdb"))
        con = open_read(path)
        try:
            table = exports.export_table(
                con,
                level,
                year,
                within=within.upper() if within else None,
                framework=framework,
                reference=reference,
            )
            written, sidecar = exports.write(table, format, out, con, dialect)
        except ValueError as error:
            raise WijkradarError(str(error)) from error
        finally:
            con.close()
        typer.echo(f"{len(table.rows)} {level} rows -> {written} (+ {sidecar.name})")
