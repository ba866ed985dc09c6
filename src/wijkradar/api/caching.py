"""Conditional requests on the API: a build never changes, so its responses can be revalidated.

Every GET under /api/v1 carries `ETag: W/"<build id>"` and `Cache-Control: no-cache` (a client
may keep the answer but must ask again); a request whose If-None-Match names the current build
gets 304 Not Modified without touching the database beyond the build id, which the live
database keeps per file (store.reader.LiveDatabase.build_id). A new build has a new id, so a
revalidation after it is a full answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.responses import Response

from wijkradar.domain import WijkradarError


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def build_etag(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method != "GET" or not request.url.path.startswith("/api/v1/"):
            return await call_next(request)
        try:
            etag = f'W/"{request.app.state.db.build_id()}"'
        except WijkradarError:
            return await call_next(request)
        asked = request.headers.get("if-none-match", "")
        if etag in (tag.strip() for tag in asked.split(",")):
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
        response = await call_next(request)
        if response.status_code == 200:
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = "no-cache"
        return response
