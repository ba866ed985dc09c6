"""Command: serve (the dashboard and JSON API on a local address)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Annotated

import typer

from wijkradar.domain import WijkradarError


def _check_free(host: str, port: int) -> None:
    """Fail with the CLI's one-line error when the address is taken, before announcing it
    (uvicorn would print the address, then a traceback-style error and exit 3)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise WijkradarError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port"
        ) from exc


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def serve(
        db: Annotated[
            Path | None,
            typer.Option(help="monitor database (default: $WIJKRADAR_DB or var/monitor.duckdb)"),
        ] = None,
        host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    ) -> None:
        """Serve the dashboard and the JSON API (/api/v1, docs at /docs) from a built database."""
        import uvicorn

        from wijkradar.api.app import create_app
        from wijkradar.api.settings import Settings
        from wijkradar.store.reader import open_read

        settings = Settings(db=db) if db is not None else Settings()
        open_read(settings.db).close()  # fail now, with the CLI's one-line error, if there is none
        _check_free(host, port)
        typer.echo(
            f"Wijkradar on http://{host}:{port}/ (database {settings.db}, pid {os.getpid()})"
        )
        # load deduce's word lists while the server starts, not on a partner's first submit
        from wijkradar.ops.core import textcheck

        threading.Thread(target=textcheck.warm, name="wijkradar-textcheck", daemon=True).start()
        # loop and http "auto": uvloop and httptools (uvicorn[standard], a dependency) where they
        # install, else asyncio and the pure-Python h11
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
