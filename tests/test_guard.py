"""The SSRF guard: with allow_private off, nothing reaches a listener on 127.0.0.1, however it is spelled."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from monitor.feeds.errors import BlockedAddress
from monitor.feeds.fetch import FetchLimits, fetch_feed
from monitor.feeds.guard import (
    GuardedConnector,
    check_url,
    is_allowed_address,
    is_public_address,
    make_session,
)
from tests.feed_server import FeedServer

RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'
FAST = FetchLimits(connect_timeout_s=2, total_timeout_s=3)

NOT_PUBLIC = [
    "127.0.0.1", "127.8.9.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "100.100.100.200", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "192.0.2.1", "198.18.0.1", "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd00:ec2::254", "fec0::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::a00:1", "2002:7f00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1", "not-an-ip", "",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
          "2002:808:808::1"]


@pytest.mark.parametrize("ip", NOT_PUBLIC)
def test_not_public(ip: str) -> None:
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", PUBLIC)
def test_public(ip: str) -> None:
    assert is_public_address(ip)


@pytest.mark.parametrize("ip", ["169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1", "100.100.100.200",
                                "::ffff:169.254.169.254", "fd00:ec2::254"])
def test_metadata_and_link_local_refused_even_when_private_allowed(ip: str) -> None:
    assert not is_allowed_address(ip, allow_private=True)


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "::1", "192.168.0.10"])
def test_private_allowed_when_asked(ip: str) -> None:
    assert is_allowed_address(ip, allow_private=True) and not is_allowed_address(ip, allow_private=False)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.com/f", "gopher://example.com/", "javascript:alert(1)", "data:,x",
    "http://127.0.0.1/", "http://0x7f000001/", "http://2130706433/", "http://0177.0.0.1/", "http://127.1/",
    "http://localhost/", "http://LOCALHOST./", "http://app.localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data/", "http:///nohost", "http://10.0.0.1:8080/feed",
])
def test_check_url_refuses(url: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(url, allow_private=False)


def test_check_url_allows_public_names() -> None:
    check_url("https://news.example.org/feed.xml", allow_private=False)
    check_url("http://8.8.8.8/x", allow_private=False)
    check_url("http://127.0.0.1:8080/x", allow_private=True)


@pytest.fixture
async def listener() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        srv.add("/feed.xml", RSS)
        yield srv


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "localhost.", "0x7f000001", "2130706433", "127.1",
                                  "[::ffff:127.0.0.1]"])
async def test_no_spelling_of_loopback_gets_through(listener: FeedServer, host: str) -> None:
    async with make_session(allow_private=False, limits=FAST) as session:
        with pytest.raises(BlockedAddress):
            await fetch_feed(session, listener.url("/feed.xml", host=host), limits=FAST)
    assert sum(listener.hits.values()) == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
async def test_session_layers_block_even_if_url_check_is_skipped(listener: FeedServer, host: str) -> None:
    """The resolver (names) and the connect-time check (literal IPs, which skip the resolver) stand alone."""
    async with make_session(allow_private=False, limits=FAST) as session:
        with pytest.raises(BlockedAddress):
            await fetch_feed(session, listener.url("/feed.xml", host=host), limits=FAST, allow_private=True)
    assert sum(listener.hits.values()) == 0


class FlippingResolver(AbstractResolver):
    """A DNS answer that is public on the first look-up and loopback after (DNS rebinding)."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        self.calls += 1
        ip = "93.184.216.34" if self.calls == 1 else "127.0.0.1"
        return [ResolveResult(hostname=host, host=ip, port=port, family=socket.AF_INET, proto=0,
                              flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        return None


async def test_rebinding_answer_to_loopback_is_dropped(listener: FeedServer) -> None:
    flipping = FlippingResolver()
    flipping.calls = 1  # the public answer was already used up by an earlier check
    connector = GuardedConnector(allow_private=False, resolver=flipping, use_dns_cache=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(BlockedAddress):
            await fetch_feed(session, f"http://rebind.example:{listener.port}/feed.xml", limits=FAST)
    assert sum(listener.hits.values()) == 0


async def test_private_allowed_session_reaches_loopback(listener: FeedServer) -> None:
    async with make_session(allow_private=True, limits=FAST) as session:
        result = await fetch_feed(session, listener.url("/feed.xml", host="localhost"), limits=FAST,
                                  allow_private=True)
    assert result.body == RSS and listener.hits["/feed.xml"] == 1
