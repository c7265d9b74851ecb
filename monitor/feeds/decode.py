"""Bytes to text for feeds: pick the encoding (servers and XML declarations lie), and remove DTDs.

Pure functions. A wrong encoding guess turns Arabic into mojibake, and a DOCTYPE is where entity
expansion attacks (billion laughs, quadratic blowup) and external references (XXE, remote DTDs)
live, so both are decided here before any XML parser sees the document.
"""

from __future__ import annotations

import codecs
import re

from monitor.feeds.errors import FeedParseError

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
