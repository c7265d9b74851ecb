"""A real aiohttp feed server on 127.0.0.1:0 for tests: static feeds with ETag/304 and gzip, plus the
misbehaviours a poller must survive (hang, trickle, redirects, huge bodies, gzip bombs, error statuses).

    async with FeedServer() as server:
        server.add("/feed.xml", RSS_BYTES, etag='"v1"')
        server.add("/slow", hang(30))
        result = await fetch_feed(session, server.url("/feed.xml"), allow_private=True)
        assert server.hits["/feed.xml"] == 1
"""

from __future__ import annotations

import asyncio
import gzip as gzip_module
from collections import Counter
from collections.abc import Awaitable, Callable
from types import TracebackType

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RSS_TYPE = "application/rss+xml"


def _static(body: bytes, content_type: str, etag: str | None, last_modified: str | None, gzip: bool,
            status: int, headers: dict[str, str] | None) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        validators = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}
        if (etag and request.headers.get("If-None-Match") == etag) or (
            last_modified and not etag and request.headers.get("If-Modified-Since") == last_modified
        ):
            return web.Response(status=304, headers=validators)
        out = {"Content-Type": content_type, **validators, **(headers or {})}
        data = body
        if gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            data, out["Content-Encoding"] = gzip_module.compress(body), "gzip"
        return web.Response(status=status, body=data, headers=out)

    return handle


def hang(seconds: float) -> Handler:
    """Accept the request and never send headers (until `seconds`)."""
    async def handle(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return web.Response(text="late")

    return handle


def trickle(body: bytes, interval_s: float = 0.25, content_type: str = RSS_TYPE) -> Handler:
    """Headers at once, then one byte per interval: only a total deadline ends this."""
    async def handle(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": content_type})
        resp.content_length = len(body)
        await resp.prepare(request)
        try:
            for i in range(len(body)):
                await resp.write(body[i:i + 1])
                await asyncio.sleep(interval_s)
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    return handle


def stream(chunk: bytes, count: int, *, content_type: str = RSS_TYPE, gzip_members: bool = False,
           declare_length: bool = False) -> Handler:
    """`count` copies of `chunk`, streamed: a huge body, or (gzip_members) a gzip bomb of concatenated members."""
    async def handle(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": content_type}
        if gzip_members:
            headers["Content-Encoding"] = "gzip"
        resp = web.StreamResponse(headers=headers)
        if declare_length:
            resp.content_length = len(chunk) * count
        await resp.prepare(request)
        try:
            for _ in range(count):
                await resp.write(chunk)
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    return handle


def gzip_bomb(inflated_mib: int = 1024, member_mib: int = 16) -> Handler:
    """About `inflated_mib` MiB of zeros sent as concatenated gzip members (~16 KiB on the wire per 16 MiB)."""
    member = gzip_module.compress(b"\0" * (member_mib << 20), compresslevel=9)
    return stream(member, inflated_mib // member_mib, gzip_members=True)


def redirect(location: str, status: int = 302) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location})

    return handle


def redirect_loop(status: int = 302) -> Handler:
    """Redirects to itself with a growing counter, so every hop is a new URL."""
    async def handle(request: web.Request) -> web.StreamResponse:
        n = int(request.query.get("n", "0"))
        return web.Response(status=status, headers={"Location": f"{request.path}?n={n + 1}"})

    return handle


def status(code: int, *, retry_after: str | None = None, body: bytes = b"", content_type: str = "text/html"
           ) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        headers = {"Retry-After": retry_after} if retry_after else {}
        return web.Response(status=code, body=body, content_type=content_type, headers=headers)

    return handle


class FeedServer:
    """Routes can be added before or after start; `hits` counts requests per path (query ignored)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.requests: list[web.BaseRequest] = []
        self._routes: dict[str, Handler] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    def add(self, path: str, content: bytes | Handler, *, content_type: str = RSS_TYPE, etag: str | None = None,
            last_modified: str | None = None, gzip: bool = False, status: int = 200,
            headers: dict[str, str] | None = None) -> str:
        handler = content if callable(content) else _static(
            content, content_type, etag, last_modified, gzip, status, headers)
        self._routes[path] = handler
        return self.url(path)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        self.requests.append(request)
        handler = self._routes.get(request.path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    async def __aenter__(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
