"""The `wijkradar` command. Thin: each module adds its commands; nothing imports this package.

Modules: data.py (build, demo, status, regions), scores.py (show, rank), export.py (export),
web.py (serve), analysis.py (validate, compare, hotspots), ops.py (users, ops, signals),
partners.py (partners), registers.py (registers, report).
"""

from __future__ import annotations

import sys
from typing import Any

import typer

try:  # typer >= 0.2x vendors click; its exceptions are not click's own classes
    from typer._click import exceptions as _click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as _click_errors  # type: ignore[no-redef]

from wijkradar.domain import WijkradarError

app = typer.Typer(
    name="wijkradar",
    help="Follow social vulnerability in Dutch municipalities, districts and neighbourhoods.",
    no_args_is_help=True,
    add_completion=False,
)


_registered = False


def register_commands() -> None:
    """Add every module's commands to the app (once; the docs test calls it too)."""
    global _registered
    if _registered:
        return
    _registered = True
    from wijkradar.cli import analysis, data, export, ops, partners, registers, scores, web

    for module in (data, scores, export, web, analysis, ops, partners, registers):
        module.register(app)


def main() -> None:
    register_commands()
    try:
        # standalone_mode=False: option errors come back here as exceptions, so they too get
        # one line instead of click's usage box.
        result = app(standalone_mode=False)
    except WijkradarError as error:
        # User-facing errors: one clear line, no traceback, non-zero exit.
        _fail(str(error))
    except _click_errors.NoArgsIsHelpError as help_:
        typer.echo(_context(help_).get_help())
        sys.exit(0)
    except _click_errors.UsageError as error:
        context = _context(error)
        command = context.command_path if context is not None else "wijkradar"
        _fail(f"{command}: {error.format_message()} (see --help)")
    except _click_errors.ClickException as error:
        _fail(error.format_message(), error.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except OSError as error:
        # A file the user named cannot be read or written (permissions, disk full, ...).
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error}")
    sys.exit(result if isinstance(result, int) else 0)


def _context(error: Exception) -> Any:
    return getattr(error, "ctx", None)


def _fail(message: str, code: int = 2) -> None:
    typer.echo("error: " + " ".join(message.split()), err=True)
    sys.exit(code)
