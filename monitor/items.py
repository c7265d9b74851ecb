"""Feed entries -> Items with the identities dedup needs. Pure: no I/O, time passed in.

An item must alert once however many times and places it appears: re-fetched, re-dated, syndicated with
tracking parameters, re-published with trivially different whitespace. So each Item carries a canonical
URL and a content hash, and `dedup_keys` lists every identity the store should remember.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

from monitor.feeds.parse import ParsedEntry

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "ocid", "cmpid", "ref", "ref_src", "ref_url", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "at_medium",
    "at_campaign", "wt_mc", "wt.mc_id", "ito", "ns_mchannel", "ns_campaign", "ns_source", "ns_linkname", "smid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_KEY_CHARS = 512
MIN_HASHED_TEXT_CHARS = 20  # shorter texts ("Update") collide across unrelated items


@dataclass(frozen=True)
class Item:
    feed_id: str
    guid: str | None
    url: str
    canonical_url: str
    title: str
    summary: str
    published: datetime
    dated: bool
    fetched_at: datetime
    content_hash: str
    lang: str | None


def is_web_url(value: str | None) -> bool:
    """Only http(s) links are followed or shown; javascript:, data:, file: links count as no link."""
    if not value:
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in DEFAULT_PORTS and bool(parts.hostname)


def _is_tracking(raw_key: str) -> bool:
    key = raw_key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """One spelling per page: tracking parameters, fragment, default port and userinfo dropped, query sorted."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0]))
        canonical = urlsplit(w3lib_canonicalize_url(urlunsplit(parts._replace(query=query)), keep_fragments=False))
        host = canonical.hostname or ""
        port = canonical.port
    except ValueError:
        return url.split("#", 1)[0]
    scheme = canonical.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, canonical.path or "/", canonical.query, ""))


def normalize_text(text: str) -> str:
    """The form two copies of one story share: compatibility-folded, casefolded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(title: str, summary: str) -> str:
    text = normalize_text(title) + "\n" + normalize_text(summary)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _as_utc(when: datetime) -> datetime:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def normalize_entry(entry: ParsedEntry, feed_id: str, fetched_at: datetime) -> Item | None:
    """None when the entry has neither a title nor a usable link: there is nothing to show or match."""
    link = entry.link.strip() if entry.link and is_web_url(entry.link) else None
    title = entry.title.strip()
    if not title and not link:
        return None
    fetched_at = _as_utc(fetched_at)
    chash = content_hash(title, entry.summary)
    guid_url = entry.guid.strip() if entry.guid and is_web_url(entry.guid) else None
    url = link or guid_url or ""
    canonical = canonicalize_url(url) if url else f"urn:hash:{chash}"
    published = _as_utc(entry.published) if entry.published else fetched_at
    return Item(
        feed_id=feed_id,
        guid=entry.guid.strip() if entry.guid and entry.guid.strip() else None,
        url=url,
        canonical_url=canonical,
        title=title,
        summary=entry.summary,
        published=min(published, fetched_at),  # a date in the future is a publisher's clock or a lie
        dated=entry.published is not None,
        fetched_at=fetched_at,
        content_hash=chash,
        lang=entry.lang,
    )


def _bounded_key(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    prefix = key.split(":", 1)[0]
    return f"{prefix}:sha256:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


def dedup_keys(item: Item) -> list[str]:
    """A URL-shaped guid names the page everywhere; an opaque guid only means something inside its feed."""
    keys: list[str] = []
    if item.guid:
        keys.append("guid:" + canonicalize_url(item.guid) if is_web_url(item.guid) else f"guid:{item.feed_id}:{item.guid}")
    if not item.canonical_url.startswith("urn:hash:"):
        keys.append("url:" + item.canonical_url)
    # The hash key is always there when it is the only identity; short texts otherwise collide too easily.
    if not keys or len(normalize_text(item.title) + normalize_text(item.summary)) >= MIN_HASHED_TEXT_CHARS:
        keys.append("hash:" + item.content_hash)
    return [_bounded_key(k) for k in keys]
