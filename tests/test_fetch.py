"""fetch_feed against a real aiohttp server on 127.0.0.1: caps on time, size and redirects hold."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from monitor.feeds.errors import (
    BlockedAddress,
    FeedConnectionError,
    FeedHTTPStatus,
    FeedTimeout,
    FeedTooLarge,
    FetchError,
    TooManyRedirects,
)
from monitor.feeds.fetch import FetchLimits, fetch_feed, parse_retry_after
from monitor.feeds.guard import make_session
from tests.feed_server import FeedServer, gzip_bomb, hang, redirect, redirect_loop, status, stream, trickle

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>'
FAST = FetchLimits(connect_timeout_s=2, total_timeout_s=2, max_bytes=1 << 20, max_redirects=3)


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with make_session(allow_private=True, limits=FAST) as s:
        yield s


async def test_conditional_get_returns_not_modified(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/f.xml", RSS, etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    first = await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert (first.status, first.body, first.etag) == (200, RSS, '"v1"')
    assert first.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT" and not first.not_modified
    again = await fetch_feed(session, url, etag=first.etag, last_modified=first.last_modified, limits=FAST,
                             allow_private=True)
    assert again.not_modified and again.body == b"" and again.etag == '"v1"'
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert server.hits["/f.xml"] == 2


async def test_if_modified_since_alone(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/lm.xml", RSS, last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    result = await fetch_feed(session, url, last_modified="Wed, 01 Jan 2025 00:00:00 GMT", limits=FAST,
                              allow_private=True)
    assert result.not_modified and result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"


async def test_gzip_body_is_inflated(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/gz.xml", RSS * 50, gzip=True)
    result = await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert result.body == RSS * 50
    assert "gzip" in server.requests[-1].headers["Accept-Encoding"]


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
async def test_deflate_body_zlib_or_raw(server: FeedServer, session: aiohttp.ClientSession, wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    url = server.add("/d.xml", packer.compress(RSS) + packer.flush(), headers={"Content-Encoding": "deflate"})
    assert (await fetch_feed(session, url, limits=FAST, allow_private=True)).body == RSS


async def test_gzip_bomb_stops_at_max_bytes(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/bomb", gzip_bomb(inflated_mib=256))
    with pytest.raises(FeedTooLarge):
        await fetch_feed(session, url, limits=FAST, allow_private=True)


async def test_huge_streamed_body_stops_at_max_bytes(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/huge", stream(b"<item><title>filler</title></item>" * 1000, 6000))  # ~200 MB
    with pytest.raises(FeedTooLarge):
        await fetch_feed(session, url, limits=FAST, allow_private=True)


async def test_declared_length_over_limit_fails_before_reading(server: FeedServer,
                                                               session: aiohttp.ClientSession) -> None:
    url = server.add("/big", stream(b"x" * 65536, 64, declare_length=True))
    with pytest.raises(FeedTooLarge, match="Content-Length"):
        await fetch_feed(session, url, limits=FAST, allow_private=True)


async def test_headers_that_never_come_time_out(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/hang", hang(30))
    with pytest.raises(FeedTimeout) as info:
        await fetch_feed(session, url, limits=FetchLimits(total_timeout_s=1), allow_private=True)
    assert info.value.code == "timeout"


async def test_trickling_body_hits_the_total_deadline(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/drip", trickle(RSS + b" " * 2000, interval_s=0.25))
    with pytest.raises(FeedTimeout):
        await fetch_feed(session, url, limits=FetchLimits(total_timeout_s=1.5), allow_private=True)


async def test_all_permanent_redirects_report_the_new_url(server: FeedServer,
                                                          session: aiohttp.ClientSession) -> None:
    final = server.add("/new.xml", RSS)
    server.add("/mid", redirect(final, 308))
    start = server.add("/old", redirect("/mid", 301))
    result = await fetch_feed(session, start, limits=FAST, allow_private=True)
    assert result.url == final and result.permanent_url == final and result.body == RSS


async def test_a_temporary_hop_means_no_permanent_url(server: FeedServer, session: aiohttp.ClientSession) -> None:
    final = server.add("/new.xml", RSS)
    server.add("/mid", redirect(final, 302))
    result = await fetch_feed(session, server.add("/old", redirect("/mid", 301)), limits=FAST, allow_private=True)
    assert result.url == final and result.permanent_url is None


async def test_redirect_loop_is_bounded(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/loop", redirect_loop())
    with pytest.raises(TooManyRedirects) as info:
        await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert info.value.code == "redirect_loop" and server.hits["/loop"] == FAST.max_redirects + 1


async def test_redirect_to_itself_is_a_loop(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/self", redirect("/self"))
    with pytest.raises(TooManyRedirects):
        await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert server.hits["/self"] == 1


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                                    "gopher://127.0.0.1:70/", "http://[fe80::1]/"])
async def test_redirect_to_forbidden_target_is_blocked(server: FeedServer, session: aiohttp.ClientSession,
                                                        target: str) -> None:
    url = server.add("/ssrf", redirect(target))
    with pytest.raises(BlockedAddress):
        await fetch_feed(session, url, limits=FAST, allow_private=True)


@pytest.mark.parametrize("code", [404, 410, 500, 503])
async def test_error_status_raises_with_code(server: FeedServer, session: aiohttp.ClientSession, code: int) -> None:
    url = server.add(f"/s{code}", status(code, body=b"<html>secret body text</html>"))
    with pytest.raises(FeedHTTPStatus) as info:
        await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert info.value.status == code and info.value.code == f"http_{code}"
    assert "secret" not in str(info.value)


async def test_retry_after_seconds_and_date(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/429", status(429, retry_after="7"))
    with pytest.raises(FeedHTTPStatus) as info:
        await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert info.value.retry_after_s == 7.0
    now = datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tue, 31 Dec 2024 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


async def test_connection_refused_is_a_connection_error(session: aiohttp.ClientSession) -> None:
    async with FeedServer() as srv:
        url = srv.url("/gone")
    with pytest.raises(FeedConnectionError) as info:
        await fetch_feed(session, url, limits=FAST, allow_private=True)
    assert info.value.code == "connection"


async def test_corrupt_gzip_is_a_fetch_error(server: FeedServer, session: aiohttp.ClientSession) -> None:
    url = server.add("/badgz", gzip.compress(RSS)[:12] + b"garbage!" * 8, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError):
        await fetch_feed(session, url, limits=FAST, allow_private=True)
