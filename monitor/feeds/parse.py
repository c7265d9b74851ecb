"""Turn a fetched body into a ParsedFeed: RSS 0.9x/1.0/2.0, Atom, JSON Feed. No I/O.

feedparser does the XML work, but it is not handed raw bytes: we pick the text encoding ourselves (servers
and declarations lie, and a wrong guess turns Arabic into mojibake), strip every DOCTYPE so no entity can
expand (billion laughs, quadratic blowup) or point outside (XXE, external DTDs), and pass a stream, never a
bytes path feedparser might open. Everything a feed says is reduced to capped plain text here, so later
stages never see markup or unbounded strings.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import feedparser  # type: ignore[import-untyped]

from monitor.feeds.decode import decode_body, strip_doctypes
from monitor.feeds.errors import FeedParseError, FeedTooLarge, NotAFeed
from monitor.feeds.text import to_plain_text

# Feeds list newest first and news feeds hold tens to hundreds of entries; aggregator and search feeds can hold
# a few thousand. Past this it is an archive dump: the cut bounds a poll's work (about 5 s of feedparser).
MAX_ENTRIES = 5000
TITLE_MAX_CHARS = 1000
SUMMARY_MAX_CHARS = 5000
GUID_MAX_CHARS = 2048
LINK_MAX_CHARS = 4096
MAX_INFLATED_BYTES = 16 * 2**20

_XML_DECL = re.compile(r"^<\?xml[^>]*\?>")
_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_ROOT_ELEMENT = re.compile(r"<[A-Za-z_]")
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
_CHANNEL_OPEN = re.compile(r"<((?:[\w.-]+:)?channel)[\s>]")
_LANG = re.compile(r"[a-z]{2,8}(?:-[a-z0-9]{1,8})*")
_JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")

@dataclass(frozen=True)
class ParsedEntry:
    guid: str | None
    link: str | None
    title: str
    summary: str
    published: datetime | None
    lang: str | None


@dataclass(frozen=True)
class ParsedFeed:
    version: str
    title: str
    entries: tuple[ParsedEntry, ...]
    warning: str | None


def _gunzip(body: bytes) -> bytes:
    """Some servers send a .gz file without Content-Encoding; inflate it, bounded like the fetcher."""
    obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = obj.decompress(body, MAX_INFLATED_BYTES + 1)
    except zlib.error as exc:
        raise FeedParseError("gzip body is corrupt") from exc
    if len(out) > MAX_INFLATED_BYTES or obj.unconsumed_tail:
        raise FeedTooLarge("gzip body inflates past the size limit")
    return out


def _charset_of(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _clean_lang(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    lang = value.strip().replace("_", "-").lower()
    return lang if _LANG.fullmatch(lang) else None


def _clip(value: Any, max_chars: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text[:max_chars] if text else None


def _absolute_link(link: str | None, base: str) -> str | None:
    if not link:
        return None
    try:
        return urljoin(base, link)[:LINK_MAX_CHARS]
    except ValueError:
        return None


def _parse_date_text(value: Any) -> datetime | None:
    """JSON Feed says RFC 3339, real feeds also send RFC 822; anything else is 'no date'."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _date_from_struct(value: Any) -> datetime | None:
    try:
        return datetime(*value[:6], tzinfo=UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_json_feed(text: str, url: str) -> ParsedFeed:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError("body is not valid JSON") from exc
    version = doc.get("version") if isinstance(doc, dict) else None
    known = isinstance(version, str) and (version.startswith(_JSON_FEED_VERSIONS) or version in ("1", "1.0", "1.1"))
    if not isinstance(doc, dict) or not known or not isinstance(doc.get("items"), list):
        raise NotAFeed("JSON body is not a JSON Feed")
    feed_lang = _clean_lang(doc.get("language"))
    entries = []
    for item in doc["items"][:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        body = next((item[k] for k in ("summary", "content_text", "content_html") if isinstance(item.get(k), str)), "")
        entries.append(ParsedEntry(
            guid=_clip(item.get("id"), GUID_MAX_CHARS),
            link=_absolute_link(_clip(item.get("url"), LINK_MAX_CHARS) or _clip(item.get("external_url"), LINK_MAX_CHARS), url),
            title=to_plain_text(item.get("title") if isinstance(item.get("title"), str) else "", TITLE_MAX_CHARS),
            summary=to_plain_text(body, SUMMARY_MAX_CHARS),
            published=_parse_date_text(item.get("date_published")) or _parse_date_text(item.get("date_modified")),
            lang=_clean_lang(item.get("language")) or feed_lang,
        ))
    name = "json11" if str(version).endswith("1.1") else "json10"
    title = to_plain_text(doc.get("title") if isinstance(doc.get("title"), str) else "", TITLE_MAX_CHARS)
    return ParsedFeed(version=name, title=title, entries=tuple(entries), warning=None)


def _entry_from_feedparser(e: Any, url: str, feed_lang: str | None) -> ParsedEntry:
    link = e.get("link")
    guid = _clip(e.get("id"), GUID_MAX_CHARS)
    if not link and guid and e.get("guidislink"):
        link = guid
    summary = e.get("summary") or ""
    if not summary and e.get("content"):
        summary = e["content"][0].get("value", "")
    detail = e.get("title_detail") or {}
    return ParsedEntry(
        guid=guid,
        link=_absolute_link(link if isinstance(link, str) else None, url),
        title=to_plain_text(e.get("title") or "", TITLE_MAX_CHARS),
        summary=to_plain_text(summary, SUMMARY_MAX_CHARS),
        published=_date_from_struct(e.get("published_parsed")) or _date_from_struct(e.get("updated_parsed")),
        lang=_clean_lang(detail.get("language")) or feed_lang,
    )


def _cut_after_entries(text: str) -> tuple[str, int]:
    """feedparser costs about a millisecond per entry, so a 10,000-entry feed is cut to MAX_ENTRIES before
    parsing: the document is closed right where entry MAX_ENTRIES + 1 starts. Returns (text, entries seen)."""
    starts = _ENTRY_START.finditer(text)
    cut = next((m.start() for i, m in enumerate(starts) if i == MAX_ENTRIES), None)
    if cut is None:
        return text, 0
    seen = MAX_ENTRIES + 1 + sum(1 for _ in starts)
    root = _ROOT_NAME.search(text)
    closing = ""
    channel = _CHANNEL_OPEN.search(text, 0, cut)
    if channel and not re.search(f"</{re.escape(channel.group(1))}\\s*>", text[channel.end():cut]):
        closing += f"</{channel.group(1)}>"
    if root and root.group(1) != (channel.group(1) if channel else None):
        closing += f"</{root.group(1)}>"
    return text[:cut] + closing, seen


def _parse_xml_feed(text: str, url: str, content_type: str | None) -> ParsedFeed:
    text = _XML_DECL.sub("", text, count=1).lstrip()
    text, seen = _cut_after_entries(text)
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8")
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": url}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                             resolve_relative_uris=False)
    version = d.get("version") or ""
    entries = d.get("entries") or []
    problem = d.get("bozo_exception") if d.get("bozo") else None
    if not version and not entries:
        if "html" in (content_type or "").lower() or _HTML_HINT.search(text[:4096]):
            raise NotAFeed("document is an HTML page, not a feed")
        if problem is not None:
            raise FeedParseError(f"not a readable feed ({type(problem).__name__})")
        raise NotAFeed("no RSS, Atom or JSON Feed document found")
    feed = d.get("feed") or {}
    feed_lang = _clean_lang(feed.get("language")) or _clean_lang((feed.get("title_detail") or {}).get("language"))
    parsed = tuple(_entry_from_feedparser(e, url, feed_lang) for e in entries[:MAX_ENTRIES])
    notes = [f"{type(problem).__name__}: {str(problem)[:200]}"] if problem is not None else []
    if seen or len(entries) > MAX_ENTRIES:
        notes.append(f"kept the first {MAX_ENTRIES} of {seen or len(entries)} entries")
    return ParsedFeed(version=version or "unknown", title=to_plain_text(feed.get("title") or "", TITLE_MAX_CHARS),
                      entries=parsed, warning="; ".join(notes) or None)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Raise NotAFeed or FeedParseError (never anything else) when the body holds no usable feed."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = _gunzip(body)
        text = decode_body(body, _charset_of(content_type)).lstrip("\ufeff \t\r\n")
        if not text:
            raise NotAFeed("empty body")
        if text[0] in "{[":
            return _parse_json_feed(text, url)
        if not _ROOT_ELEMENT.search(text):
            raise NotAFeed("document has no root element")
        return _parse_xml_feed(strip_doctypes(text), url, content_type)
    except (NotAFeed, FeedParseError, FeedTooLarge):
        raise
    except (ValueError, TypeError, LookupError, RecursionError, AttributeError, KeyError) as exc:
        raise FeedParseError(f"feed could not be parsed ({type(exc).__name__})") from exc
