"""Assemble the web app: settings, one read-only database connection, routers, static files."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wijkradar import __version__
from wijkradar.api import caching
from wijkradar.api.i18n import WEB
from wijkradar.api.routers import api_v1, pages
from wijkradar.api.settings import Settings
from wijkradar.domain import WijkradarError
from wijkradar.store.reader import LiveDatabase


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="Wijkradar API",
        version=__version__,
        description="Stored vulnerability scores per gemeente, wijk and buurt, with provenance.",
    )
    # A national map page is ~0.7 MB of SVG and tables; compressed it is about a sixth of that.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.state.settings = settings
    # Follows new builds without a restart (store.reader.LiveDatabase).
    app.state.db = LiveDatabase(settings.db)
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(api_v1.router())
    app.include_router(pages.router(templates))
    pages.install_error_pages(app, templates)
    # Outside the gzip middleware, so cached answers are kept compressed: ETag = build id,
    # 304 on revalidation, answers of the immutable build kept per address (API only).
    app.add_middleware(caching.BuildCache)

    @app.exception_handler(WijkradarError)
    async def _no_database(request: Request, error: WijkradarError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=503)

    return app
