"""Conditional requests and a response cache: a published build never changes.

Every GET under /api/v1 (and of the public pages, for requests without cookie or credentials)
answered 200 carries `ETag: W/"<build id>"` and `Cache-Control:
no-cache` (a client may keep the answer but asks again); a request whose If-None-Match names the
current build gets 304 Not Modified. The answer itself is kept in memory per build, address
and encoding (bounded by CACHE_BYTES, least recently used dropped first), so a second request
for the same figures is served without touching the database. A new build has a new id: its
answers are computed afresh, the old ones age out.

A pure ASGI middleware (no per-request task or body streaming on the way through), so the
static files and pages it does not handle pay next to nothing for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkradar.domain import WijkradarError

CACHE_BYTES = 64 * 1024 * 1024
PREFIX = "/api/v1/"
#: Public pages of the build, cached the same way, but only for requests without a cookie or
#: credentials (a signed-in page may show who is signed in, and must never be shared).
#: Not the area profile (/gebied/): its partner-signal and white-spot panels come from the
#: operational store, which changes without a new build.
PAGES = ("/kaart", "/ranglijst", "/methode", "/bronnen")

#: API answers from the operational store (the registers, partner signals) change without a new
#: build: never cached, never answered 304 by build id.
LIVE = (
    "/api/v1/initiatives",
    "/api/v1/groups",
    "/api/v1/white-spots",
    "/api/v1/partner-signals",
    "/api/v1/fit-gap",
)

Key = tuple[str, str, bool]
Entry = tuple[int, list[tuple[bytes, bytes]], bytes]


class _Lru:
    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.items: OrderedDict[Key, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Key) -> Entry | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: Key, entry: Entry) -> None:
        cost = len(entry[2]) + 512
        if cost > self.limit // 8:
            return  # one national export would push out thousands of profiles
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= len(old[2]) + 512
            self.items[key] = entry
            self.size += cost
            while self.size > self.limit and self.items:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped[2]) + 512


class BuildCache:
    """ASGI middleware: ETag = build id, 304 on revalidation, cached API answers per build."""

    def __init__(self, app: ASGIApp, limit: int = CACHE_BYTES) -> None:
        self.app = app
        self.cache = _Lru(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        try:
            build_id = scope["app"].state.db.build_id()
        except WijkradarError:
            await self.app(scope, receive, send)
            return
        etag = f'W/"{build_id}"'.encode()
        headers = dict(scope["headers"])
        asked = headers.get(b"if-none-match", b"")
        if etag in (tag.strip() for tag in asked.split(b",")):
            await _send(send, 304, [(b"etag", etag), (b"cache-control", b"no-cache")], b"")
            return
        gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        key = (build_id, scope["path"] + "?" + scope["query_string"].decode("latin-1"), gzip)
        # A request that says `Cache-Control: no-cache` (a browser's reload) gets a fresh answer.
        fresh = b"no-cache" in headers.get(b"cache-control", b"")
        hit = None if fresh else self.cache.get(key)
        if hit is not None:
            await _send(send, *hit)
            return
        start: dict[str, Any] = {}
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] == 200:
                    message = {
                        **message,
                        "headers": [
                            *message.get("headers", []),
                            (b"etag", etag),
                            (b"cache-control", b"no-cache"),
                        ],
                    }
                    start["headers"] = message["headers"]
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self.cache.put(key, (200, list(start["headers"]), b"".join(body)))
            await send(message)

        await self.app(scope, receive, capture)


def _cacheable(scope: Scope) -> bool:
    path: str = scope["path"]
    if path.startswith(LIVE):
        return False
    if path.startswith(PREFIX):
        return True
    if not (path == "/" or path.startswith(PAGES)):
        return False
    return not any(name in (b"cookie", b"authorization") for name, _ in scope["headers"])


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if status != 304:
        headers = [(k, v) for k, v in headers if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
