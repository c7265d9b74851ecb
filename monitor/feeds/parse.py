"""Turn a fetched body into a ParsedFeed: RSS 0.9x/1.0/2.0, Atom, JSON Feed. No I/O.

feedparser does the XML work, but it is not handed raw bytes: we pick the text encoding ourselves (servers
and declarations lie, and a wrong guess turns Arabic into mojibake), strip every DOCTYPE so no entity can
expand (billion laughs, quadratic blowup) or point outside (XXE, external DTDs), and pass a stream, never a
bytes path feedparser might open. Everything a feed says is reduced to capped plain text here, so later
stages never see markup or unbounded strings.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import warnings
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser  # type: ignore[import-untyped]

from monitor.feeds.errors import FeedParseError, FeedTooLarge, NotAFeed

MAX_ENTRIES = 1000  # feeds list newest first; past this it is an archive dump, not news
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

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_DECLARED = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
_LATIN_CODECS = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})
# The most frequent letters of each script: text decoded with the right code page is full of them.
_SCRIPT_GUESSES = (("cp1256", frozenset("اليمونرتبعهةدكفقسح")), ("cp1251", frozenset("оеаинтсрвлкмдпу")),
                   ("koi8-r", frozenset("оеаинтсрвлкмдпу")), ("cp1255", frozenset("יוהלרמאבתנשעכד")))


def _codec(name: str | None) -> str | None:
    """A declared charset we are willing to trust, normalized; UTF-16/32 only count with a BOM or NULs."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    try:
        b"".decode(codec)
    except LookupError:  # rot13, base64: codecs that are not text encodings
        return None
    if codec.startswith(("utf-16", "utf-32", "utf-7")):
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _sniff_utf16(head: bytes) -> str | None:
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    return None


def _guess_single_byte(body: bytes) -> str:
    """Latin text has lone accented bytes between ASCII letters; Arabic, Hebrew or Cyrillic text is made of
    runs of high bytes, and the code page whose common letters those runs hit most is the right one."""
    runs = [m.group() for m in _HIGH_RUNS.finditer(body, 0, 200_000)]
    total = sum(len(r) for r in runs)
    if not total or sum(len(r) for r in runs if len(r) > 1) < total / 2:
        return "cp1252"
    sample = b" ".join(runs)[:50_000]
    scores = {c: sum(ch in common for ch in sample.decode(c, "replace")) for c, common in _SCRIPT_GUESSES}
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] > total / 10 else "cp1252"


def decode_body(body: bytes, http_charset: str | None) -> str:
    """BOM, then UTF-8 if it decodes (even against a declaration), then the declared charset, then a guess."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    utf16 = _sniff_utf16(body[:1024])
    if utf16:
        return body.decode(utf16, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = body.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    if good >= 4 * bad:  # UTF-8 with a few stray bytes: keep it UTF-8
        return lenient
    match = _DECLARED.match(body[:1024])
    declared = _codec(http_charset) or _codec(match.group(1).decode("ascii") if match else None)
    if declared and declared != "utf-8" and declared not in _LATIN_CODECS:
        return body.decode(declared, "replace")
    return body.decode(_guess_single_byte(body), "replace")  # declared UTF-8 (a lie), Latin, or nothing


_DOCTYPE_START = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_DOCTYPE_SPECIAL = re.compile(r"[\"'\[\]>]|<!--")
_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _doctype_end(text: str, start: int) -> int:
    pos, in_subset = start + 9, False
    while match := _DOCTYPE_SPECIAL.search(text, pos):
        token, pos = match.group(), match.end()
        if token in "\"'" or token == "<!--":
            close = text.find("-->" if token == "<!--" else token, pos)
            if close < 0:
                break
            pos = close + (3 if token == "<!--" else 1)
        elif token == "[":
            in_subset = True
        elif token == "]":
            in_subset = False
        elif not in_subset:
            return pos
    raise FeedParseError("unterminated DOCTYPE")


def strip_doctypes(text: str) -> str:
    """Remove every DOCTYPE before the root element: entities stay unexpanded, nothing external is named."""
    pos = 0
    while True:
        skip = _PROLOG_SKIP.match(text, pos)
        if skip and skip.end() > pos:
            pos = skip.end()
        elif _DOCTYPE_START.match(text, pos):
            text = text[:pos] + text[_doctype_end(text, pos):]
        else:
            break
    root = re.search(r"<[A-Za-z_]", text[pos:])
    head = text[: pos + (root.start() if root else len(text) - pos)]
    if "<!ENTITY" in head or _DOCTYPE_START.search(head):
        raise FeedParseError("DTD entities are not allowed")
    return text


_INVISIBLE = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0),
                                0x200B, 0x200D, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
RAW_TEXT_MAX_CHARS = 100_000


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def to_plain_text(value: str, max_chars: int) -> str:
    """Markup off, entities decoded, invisible and bidi-override characters gone, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(value[:RAW_TEXT_MAX_CHARS])
    extractor.close()
    text = " ".join("".join(extractor.parts).translate(_INVISIBLE).split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


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
