"""Fetch one feed over HTTP with hard caps on time, size and redirects.

A feed server is untrusted: it may hang, trickle, redirect forever, point us inside the network, or send a
gzip bomb. So the whole exchange (every hop, headers and body) runs under one deadline, bodies are inflated
by us in bounded steps, and redirects are followed by hand so the guard sees every hop.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import aiohttp

from monitor.feeds.errors import (
    BlockedAddress,
    FeedConnectionError,
    FeedHTTPStatus,
    FeedParseError,
    FeedTimeout,
    FeedTooLarge,
    FetchError,
    TooManyRedirects,
)
from monitor.feeds.guard import check_url

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
READ_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout_s: float = 10.0
    total_timeout_s: float = 30.0
    max_bytes: int = 15 * 2**20
    max_redirects: int = 5
    per_host: int = 4
    total_connections: int = 32


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    permanent_url: str | None
    elapsed_ms: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date; garbage means no hint rather than an error."""
    if not value:
        return None
    value = value.strip()
    try:
        if value.replace(".", "", 1).isdigit():
            return max(0.0, float(value))
        return _retry_at(value, now)
    except (TypeError, ValueError, OverflowError):
        return None


def _retry_at(value: str, now: datetime) -> float | None:
    when = parsedate_to_datetime(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Inflater:
    """Decodes gzip/deflate in steps bounded by the remaining byte budget, so a bomb stops at max_bytes."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._obj: zlib._Decompress | None = None

    def _new(self, first: bytes) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        zlib_wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] * 256 + first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, budget: int) -> bytes:
        out = bytearray()
        while data:
            if self._obj is None:
                self._obj = self._new(data)
            chunk = self._obj.decompress(data, budget - len(out) + 1)
            out += chunk
            if len(out) > budget or self._obj.unconsumed_tail:
                raise FeedTooLarge("decompressed body exceeds the size limit")
            data = self._obj.unused_data if self._obj.eof else b""
            if self._obj.eof:  # concatenated gzip members decode as one stream
                self._obj = None
        return bytes(out)


async def _read_body(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    length = resp.content_length
    if length is not None and length > max_bytes:
        raise FeedTooLarge(f"Content-Length {length} exceeds the limit of {max_bytes} bytes")
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FeedParseError(f"unsupported Content-Encoding {encoding[:20]!r}")
    inflater = _Inflater(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None
    body = bytearray()
    async for chunk in resp.content.iter_chunked(READ_CHUNK_BYTES):
        try:
            data = inflater.feed(chunk, max_bytes - len(body)) if inflater else chunk
        except zlib.error as exc:
            raise FeedParseError("compressed body is corrupt") from exc
        body += data
        if len(body) > max_bytes:
            raise FeedTooLarge(f"body exceeds the limit of {max_bytes} bytes")
    return bytes(body)


async def _fetch_hops(
    session: aiohttp.ClientSession, url: str, etag: str | None, last_modified: str | None,
    limits: FetchLimits, allow_private: bool, started: float,
) -> FetchResult:
    headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(
        total=None, connect=limits.connect_timeout_s, sock_connect=limits.connect_timeout_s
    )
    seen = {url}
    all_permanent = True
    current = url
    for _hop in range(limits.max_redirects + 1):
        check_url(current, allow_private)
        async with session.get(
            current, headers=headers, allow_redirects=False, auto_decompress=False, timeout=timeout
        ) as resp:
            if resp.status in REDIRECT_STATUSES:
                location = resp.headers.get("Location")
                if not location:
                    raise FeedHTTPStatus(resp.status, message=f"HTTP {resp.status} redirect without Location")
                all_permanent = all_permanent and resp.status in PERMANENT_STATUSES
                current = urljoin(str(resp.url), location.strip())
                if current in seen:
                    raise TooManyRedirects("redirect loop")
                seen.add(current)
                continue
            if resp.status != 304 and not 200 <= resp.status < 300:
                retry = parse_retry_after(resp.headers.get("Retry-After"), datetime.now(UTC))
                raise FeedHTTPStatus(resp.status, retry)
            body = b"" if resp.status == 304 else await _read_body(resp, limits.max_bytes)
            final = str(resp.url)
            return FetchResult(
                url=final,
                status=resp.status,
                body=body,
                etag=resp.headers.get("ETag") or (etag if resp.status == 304 else None),
                last_modified=resp.headers.get("Last-Modified") or (last_modified if resp.status == 304 else None),
                content_type=resp.headers.get("Content-Type"),
                permanent_url=final if all_permanent and len(seen) > 1 else None,
                elapsed_ms=int((time.monotonic() - started) * 1000),
            )
    raise TooManyRedirects(f"more than {limits.max_redirects} redirects")


async def fetch_feed(
    session: aiohttp.ClientSession, url: str, *, etag: str | None = None, last_modified: str | None = None,
    limits: FetchLimits = DEFAULT_LIMITS, allow_private: bool = False,
) -> FetchResult:
    """GET a feed; every failure comes out as a FetchError subclass, never as an aiohttp exception."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(limits.total_timeout_s):
            return await _fetch_hops(session, url, etag, last_modified, limits, allow_private, started)
    except FetchError:
        raise
    except TimeoutError as exc:  # our deadline, or aiohttp's connect timeout
        raise FeedTimeout(f"no complete answer within {limits.total_timeout_s:g}s") from exc
    except aiohttp.InvalidURL as exc:
        raise BlockedAddress("URL is not valid") from exc
    except aiohttp.ClientConnectorError as exc:
        raise FeedConnectionError(f"cannot connect: {type(exc.os_error).__name__}") from exc
    except aiohttp.ClientPayloadError as exc:
        raise FeedConnectionError("response body was cut short or malformed") from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise FeedConnectionError(f"HTTP exchange failed: {type(exc).__name__}") from exc
