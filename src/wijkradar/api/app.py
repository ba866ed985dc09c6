"""Assemble the web app: settings, one read-only database connection, routers, static files."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wijkradar import __version__
from wijkradar.api import caching
from wijkradar.api.i18n import WEB
from wijkradar.api.models import ErrorOut
from wijkradar.api.routers import analysis, api_v1, area_panels, pages
from wijkradar.api.security import SecurityHeaders, mount_docs
from wijkradar.api.settings import Settings
from wijkradar.domain import WijkradarError
from wijkradar.ops import web as ops_web
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.partners import web as partner_web
from wijkradar.ops.store import OpsStore
from wijkradar.registers import web as registers_web
from wijkradar.store.reader import LiveDatabase

log = logging.getLogger(__name__)

NO_DATABASE = (
    "the monitor database is not available: not built yet, or not readable;"
    " run `wijkradar demo` or `wijkradar build` on the server"
)
# Documented for every operation; the bodies are FastAPI's {"detail": ...}.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown region, year, framework or path"},
    422: {"model": ErrorOut, "description": "A parameter has an invalid value"},
    503: {"model": ErrorOut, "description": "No monitor database has been built yet"},
}


#: Pages asked for once on a thread when a build is opened (store.reader.LiveDatabase), so the
#: build's constants, the national outlines and maps and these answers are in the per-build
#: caches before the first reader asks (a national map page costs ~2.5 s cold).
WARM_PAGES = (
    "/",
    "/kaart/NL01",
    "/kaart/NL01?niveau=wijk",
    "/kaart/NL01?niveau=buurt",
)


def warm(app: FastAPI) -> None:
    """Ask the app itself for WARM_PAGES, in process (no socket), as a browser would."""

    async def ask() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://warm") as client:
            for path in WARM_PAGES:
                await client.get(path, headers={"accept-encoding": "gzip"})

    try:
        asyncio.run(ask())
    except Exception as error:  # a cold cache is slower, not wrong: log and carry on
        log.warning("warming the caches of the new build failed: %s", error)


def create_app(settings: Settings | None = None, ops: OpsSettings | None = None) -> FastAPI:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # Let a warming thread finish before the server (or a test) lets go of the file.
        await asyncio.to_thread(app.state.db.close)

    app = FastAPI(
        lifespan=lifespan,
        title="Wijkradar API",
        version=__version__,
        description="Stored vulnerability scores per gemeente, wijk and buurt, with provenance.",
        docs_url=None,  # security.mount_docs serves /docs from a package, not a CDN
        redoc_url=None,
        responses=ERROR_RESPONSES,
    )
    # A national map page is ~0.7 MB of SVG and tables; compressed it is about a sixth of that.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.state.settings = settings
    # Follows new builds without a restart (store.reader.LiveDatabase).
    app.state.db = LiveDatabase(settings.db, on_new_build=lambda: warm(app))
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(api_v1.router())
    app.include_router(area_panels.router())
    app.include_router(pages.router(templates))
    app.include_router(analysis.api_router())
    app.include_router(analysis.page_router(templates))
    # the workspace (/werk): operational store, login required; the public pages stay public
    app.state.ops = OpsStore(ops or OpsSettings())
    app.include_router(ops_web.router(app.state.ops, settings.db))
    app.include_router(partner_web.router(app.state.ops, settings.db))
    # registers: public pages and API, editing and professional registers under /werk
    app.include_router(registers_web.router(settings.db))
    mount_docs(app)
    pages.install_error_pages(app, templates)
    # Outside the gzip middleware, so cached answers are kept compressed: ETag = build id,
    # 304 on revalidation, answers of the immutable build kept per address (API only).
    app.add_middleware(caching.BuildCache)
    # Outermost, so cached answers and 304s carry the headers too.
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(WijkradarError)
    async def _no_database(request: Request, error: WijkradarError) -> JSONResponse:
        # The full message names server paths: it goes to the log, not to the client.
        log.error("database unavailable: %s", error)
        return JSONResponse({"detail": NO_DATABASE}, status_code=503)

    return app
