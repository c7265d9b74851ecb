"""SSRF guard shared by feed fetching and webhook delivery.

Feed and webhook URLs come from operators and, through redirects, from strangers, so a URL must never make
us talk to loopback, the LAN or a cloud metadata endpoint. Three layers, because each alone has a hole:
With allow_private (dev and tests on loopback) the LAN is reachable, but metadata, link-local, multicast
and 0.0.0.0 stay refused. `check_url` refuses schemes and literal addresses before a request; `GuardedResolver` drops non-public DNS
answers; `GuardedConnector` re-checks the address it is about to connect to and the peer it connected to,
which catches literal IPs (aiohttp skips the resolver for them) and DNS answers that change between look-ups.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from monitor.feeds.errors import BlockedAddress

if TYPE_CHECKING:
    from monitor.feeds.fetch import FetchLimits

DEFAULT_USER_AGENT = "news-monitor/0.1 (+feed poller)"
ALLOWED_SCHEMES = frozenset({"http", "https"})

_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
# Cloud metadata endpoints outside the link-local ranges; refused even when private addresses are allowed.
_METADATA = frozenset({ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")})


def _is_public_v4(addr: ipaddress.IPv4Address) -> bool:
    if addr in _CGNAT or addr in _THIS_NETWORK:
        return False
    return addr.is_global and not (
        addr.is_multicast or addr.is_private or addr.is_loopback or addr.is_link_local
        or addr.is_reserved or addr.is_unspecified
    )


def _is_public_v6(addr: ipaddress.IPv6Address) -> bool:
    # Translation prefixes smuggle an IPv4 address through; judge the IPv4 address they carry.
    if addr.ipv4_mapped is not None:
        return _is_public_v4(addr.ipv4_mapped)
    if addr in _NAT64_WELL_KNOWN:
        return _is_public_v4(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    if addr.sixtofour is not None:
        return _is_public_v4(addr.sixtofour)
    if addr in _NAT64_LOCAL_USE or addr in _V4_COMPATIBLE or addr.teredo is not None:
        return False
    return addr.is_global and not (
        addr.is_multicast or addr.is_private or addr.is_loopback or addr.is_link_local
        or addr.is_site_local or addr.is_reserved or addr.is_unspecified
    )


def is_public_address(ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for globally routable unicast addresses; anything unparsable counts as not public."""
    if isinstance(ip, str):
        try:
            ip = ipaddress.ip_address(ip.split("%", 1)[0].strip("[]"))
        except ValueError:
            return False
    if isinstance(ip, ipaddress.IPv4Address):
        return _is_public_v4(ip)
    return _is_public_v6(ip)


def _never_allowed(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """What no feed or webhook can legitimately be, even in a dev setup on loopback: metadata services
    (169.254.169.254 and kin), multicast, broadcast, 0.0.0.0."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if isinstance(addr, ipaddress.IPv4Address) and (addr in _THIS_NETWORK or addr.is_reserved):
        return True
    return addr in _METADATA or addr.is_link_local or addr.is_multicast or addr.is_unspecified


def is_allowed_address(ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> bool:
    """The policy every layer applies: public only, or (dev/test) anything but the never-allowed set."""
    if not allow_private:
        return is_public_address(ip)
    if isinstance(ip, str):
        try:
            ip = ipaddress.ip_address(ip.split("%", 1)[0].strip("[]"))
        except ValueError:
            return False
    return not _never_allowed(ip)


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Read every spelling libc would accept as an address (0x7f000001, 2130706433, 0177.1, 127.1)."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def check_url(url: str, allow_private: bool) -> None:
    """Refuse what must never be requested, before any socket is opened."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise BlockedAddress("URL cannot be parsed") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedAddress(f"scheme {parts.scheme[:20]!r} is not allowed")
    if not host:
        raise BlockedAddress("URL has no host")
    name = host.rstrip(".").lower()
    if not allow_private and (name == "localhost" or name.endswith(".localhost") or not name):
        raise BlockedAddress("host is localhost")
    literal = _literal_address(name)
    if literal is not None and not is_allowed_address(literal, allow_private):
        raise BlockedAddress(f"address {literal} is not allowed")


class GuardedResolver(AbstractResolver):
    """Drops non-public answers so a public name that points inside is refused before connecting."""

    def __init__(self, allow_private: bool, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or DefaultResolver()
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        allowed = [a for a in answers if is_allowed_address(a["host"], self._allow_private)]
        if not allowed:
            raise BlockedAddress(f"host {host[:100]!r} resolves only to addresses that are not allowed")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


class GuardedConnector(aiohttp.TCPConnector):
    """Checks the address list handed to connect and the peer actually reached."""

    def __init__(self, *, allow_private: bool, resolver: AbstractResolver | None = None, **kwargs: Any) -> None:
        super().__init__(resolver=GuardedResolver(allow_private, resolver), **kwargs)
        self._allow_private = allow_private

    async def _wrap_create_connection(self, *args: Any, **kwargs: Any) -> Any:
        if "addr_infos" in kwargs:
            infos = [ai for ai in kwargs["addr_infos"] if is_allowed_address(str(ai[4][0]), self._allow_private)]
            if not infos:
                raise BlockedAddress("every address of this host is refused")
            kwargs["addr_infos"] = infos
        transport, protocol = await super()._wrap_create_connection(*args, **kwargs)
        peer = transport.get_extra_info("peername")
        if not peer or not is_allowed_address(str(peer[0]), self._allow_private):
            transport.close()
            raise BlockedAddress("connected peer address is refused")
        return transport, protocol


def make_session(
    *, allow_private: bool, limits: FetchLimits | None = None, user_agent: str = DEFAULT_USER_AGENT
) -> aiohttp.ClientSession:
    """One pooled session for feeds and webhooks: guarded, no env proxies, no cookies shared across sites."""
    from monitor.feeds.fetch import FetchLimits

    limits = limits or FetchLimits()
    connector = GuardedConnector(
        allow_private=allow_private, limit=limits.total_connections, limit_per_host=limits.per_host, ttl_dns_cache=60
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": user_agent},
        timeout=aiohttp.ClientTimeout(
            total=limits.total_timeout_s, connect=limits.connect_timeout_s, sock_connect=limits.connect_timeout_s
        ),
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )
