"""Assemble the web app: settings, one read-only database connection, routers, static files."""

from __future__ import annotations

import threading

import duckdb
from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wijkradar import __version__
from wijkradar.api.i18n import WEB
from wijkradar.api.routers import api_v1, pages
from wijkradar.api.settings import Settings
from wijkradar.domain import WijkradarError
from wijkradar.ops import web as ops_web
from wijkradar.ops.settings import OpsSettings
from wijkradar.ops.store import OpsStore
from wijkradar.registers import web as registers_web
from wijkradar.store.reader import open_read


class _Database:
    """Opens the monitor database read-only on first use, so the server starts before a build."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def __call__(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                self._con = open_read(self._settings.db)
            return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def create_app(settings: Settings | None = None, ops: OpsSettings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="Wijkradar API",
        version=__version__,
        description="Stored vulnerability scores per gemeente, wijk and buurt, with provenance.",
    )
    # A national map page is ~0.7 MB of SVG and tables; compressed it is about a sixth of that.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.state.settings = settings
    app.state.db = _Database(settings)
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(api_v1.router())
    app.include_router(pages.router(templates))
    # the workspace (/werk): operational store, login required; the public pages stay public
    app.state.ops = OpsStore(ops or OpsSettings())
    app.include_router(ops_web.router(app.state.ops, settings.db))
    # registers: public pages and API, editing and professional registers under /werk
    app.include_router(registers_web.router(settings.db))

    @app.exception_handler(WijkradarError)
    async def _no_database(request: Request, error: WijkradarError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=503)

    return app
