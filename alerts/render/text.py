"""Text hygiene shared by every renderer (pure).

Feed titles are attacker-controlled: they may carry invisible characters that hide or reorder
text (zero-width joiners, bidi overrides), terminal escape sequences, or megabytes of junk.
Every renderer passes untrusted text through `clean_text` and cuts it with `truncate`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

# Zero-width characters, bidi marks/embeddings/overrides/isolates, BOM, soft hyphen,
# Mongolian vowel separator, combining grapheme joiner: they render as nothing (or reorder
# what follows) and only serve to disguise text.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# C0/C1 controls (tab, newlines, ESC...), DEL, line/paragraph separators and other whitespace.
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\s]+")

ELLIPSIS = "\u2026"
MAX_URL_CHARS = 2000


def clean_text(text: str) -> str:
    """One line of visible text: invisible characters removed, controls and runs of whitespace
    collapsed to one space, ends stripped."""
    return _SPACE_OR_CONTROL.sub(" ", _INVISIBLE.sub("", text)).strip()


def utf16_len(text: str) -> int:
    """Length as JavaScript/Slack count it: characters outside the BMP count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units (so it fits whichever way a service counts),
    ending in an ellipsis when cut."""
    if utf16_len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    while cut and utf16_len(cut) > limit - 1:
        cut = cut[:-1]
    return cut + ELLIPSIS


def safe_http_url(url: str) -> str | None:
    """`url` made safe to embed in markup, or None if it should not be linked at all.

    Only absolute http(s) URLs with a host are linked. Characters that could break out of link
    syntax in any chat format (`| < > " ` spaces, brackets of Markdown, backslash) and non-ASCII
    are percent-escaped; existing %-escapes are kept. IDN hosts become punycode.
    """
    if not url or len(url) > MAX_URL_CHARS or _SPACE_OR_CONTROL.search(url.strip()) or _INVISIBLE.search(url):
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        netloc = netloc.replace(host, ascii_host)
        if not netloc.isascii():
            return None
    rest = url.strip()[len(parts.scheme) + 3 + len(parts.netloc) :]
    safe_rest = quote(rest, safe="%/:=&?~#+!$,;'@*")
    safe = f"{parts.scheme.lower()}://{quote(netloc, safe=':@[].%!$&+,;=-_~')}{safe_rest}"
    return safe if len(safe) <= MAX_URL_CHARS else None


def format_utc(when: datetime | None) -> str:
    """`2026-11-25 09:41 UTC`, for humans; naive datetimes are taken as UTC."""
    if when is None:
        return "undated"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso_z(when: datetime | None) -> str | None:
    """`2026-11-25T09:41:00Z` (seconds precision), or None; naive datetimes are taken as UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
