"""The `wijkradar` command. Thin: each module adds its commands; nothing imports this package.

Modules: data.py (build, demo, status, regions), scores.py (show, rank), export.py (export),
web.py (serve), ops.py (users, ops, signals), registers.py (registers, report).
"""

from __future__ import annotations

import sys

import typer

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
    from wijkradar.cli import data, export, ops, registers, scores, web

    for module in (data, scores, export, web, ops, registers):
        module.register(app)


def main() -> None:
    register_commands()
    try:
        app()
    except WijkradarError as error:
        # User-facing errors: one clear line, no traceback, non-zero exit.
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
