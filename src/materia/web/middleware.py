"""HTTP hygiene as small ASGI wrappers, each doing one thing to every response:

    UrlLimit           a request URL longer than `limit` bytes is answered 414, unrouted
    HeadAsGet          HEAD is answered as GET with the body left out (headers, length included)
    RelativeRedirects  a redirect to this host names a path, never the Host header it was sent
    Caching            pages and API: a weak ETag from the data version, a short max-age, 304 when
                       unchanged; /static: a long max-age (templates version its URLs)

create_app stacks them around the app with Starlette's TrustedHostMiddleware and GZipMiddleware.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_URL_BYTES = 8192  # longer request targets are answered 414; browsers and proxies cap URLs near this too
PAGE_MAX_AGE = 60  # seconds a page or API answer may be reused without asking; the ETag then says if it changed
STATIC_MAX_AGE = 365 * 24 * 3600  # versioned static files (…?v=<hash>) never change under one URL
STATIC_UNVERSIONED_MAX_AGE = 3600


class UrlLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_URL_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope.get("raw_path") or b"") + len(scope["query_string"]) > self.limit:
            body = b"URI too long\n"
            await send({"type": "http.response.start", "status": 414,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class RelativeRedirects:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def relative(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = MutableHeaders(scope=message)
                location = headers.get("location", "")
                if location.startswith(("http://", "https://")):
                    parts = urlsplit(location)
                    headers["location"] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            await send(message)

        await self.app(scope, receive, relative)


class Caching:
    """`version()` names the data and code a page is made from; equal versions, equal pages."""

    def __init__(self, app: ASGIApp, version: Callable[[], str]) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/static/"):
            versioned = b"v=" in scope.get("query_string", b"")
            control = f"public, max-age={STATIC_MAX_AGE}, immutable" if versioned else \
                f"public, max-age={STATIC_UNVERSIONED_MAX_AGE}"
            await self.app(scope, receive, _with_headers(send, {"cache-control": control}))
            return
        try:
            version = self.version()
        except Exception:  # the store is unreachable: answer (the app reports the error) without a tag
            await self.app(scope, receive, send)
            return
        etag = 'W/"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'
        if etag in [t.strip() for t in Headers(scope=scope).get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode()), (b"cache-control", _page_control().encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, _with_headers(send, {"etag": etag, "cache-control": _page_control()}))


def _page_control() -> str:
    return f"public, max-age={PAGE_MAX_AGE}"


def _with_headers(send: Send, extra: dict[str, str]) -> Send:
    """`send` adding `extra` headers to a 200 answer (errors are not cached)."""
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            headers = MutableHeaders(scope=message)
            for key, value in extra.items():
                headers[key] = value
        await send(message)
    return sender
