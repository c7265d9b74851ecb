"""parse_feed on hostile and odd bodies: safe against DTD tricks, right about encodings, bounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.feeds.errors import FeedParseError, FetchError, NotAFeed
from monitor.feeds.parse import MAX_ENTRIES, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS, parse_feed

URL = "https://news.example.org/feed.xml"
ARABIC = "تفتتح مصنعا جديدا بالرياض"


def rss(items: str, *, decl: str | None = "utf-8", head: str = "") -> str:
    prolog = f'<?xml version="1.0" encoding="{decl}"?>\n' if decl else ""
    return (f'{prolog}{head}<rss version="2.0"><channel><title>News</title><link>https://news.example.org/</link>'
            f"{items}</channel></rss>\n")


def item(title: str, link: str = "https://news.example.org/a/1", extra: str = "") -> str:
    return f"<item><title>{escape(title)}</title><link>{escape(link)}</link>{extra}</item>"


def test_rss_entry_fields() -> None:
    body = rss(item("Acme &amp; Co <b>wins</b>", "/a/1", "<guid>urn:x:1</guid><description>&lt;p&gt;Big&amp;nbsp;"
                    "&lt;i&gt;win&lt;/i&gt;&lt;/p&gt;   today</description><pubDate>Tue, 25 Nov 2025 10:00:00 +0100"
                    "</pubDate>")).encode()
    feed = parse_feed(body, URL)
    (entry,) = feed.entries
    assert feed.version == "rss20" and feed.title == "News" and feed.warning is None
    assert entry.title == "Acme & Co wins" and entry.summary == "Big win today"
    assert entry.link == "https://news.example.org/a/1" and entry.guid == "urn:x:1"
    assert entry.published == datetime(2025, 11, 25, 9, 0, tzinfo=UTC)


def test_atom_xml_base_and_lang() -> None:
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-DE"
      xml:base="https://base.example/blog/"><title>T</title><entry><title>Hallo</title><id>tag:x,1</id>
      <link rel="alternate" href="posts/1"/><updated>2024-05-01T12:00:00Z</updated></entry></feed>"""
    (entry,) = parse_feed(body, URL).entries
    assert entry.link == "https://base.example/blog/posts/1" and entry.lang == "de-de"
    assert entry.published == datetime(2024, 5, 1, 12, tzinfo=UTC)


def test_json_feed() -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "en",
           "items": [{"id": 7, "url": "/p/7", "title": "Hi", "content_html": "<p>x &amp; y</p>",
                      "date_published": "2024-01-02T03:04:05+02:00"}, "junk", {"id": "8", "content_text": "t"}]}
    feed = parse_feed(json.dumps(doc).encode(), URL, "application/feed+json")
    assert feed.version == "json11" and len(feed.entries) == 2
    first = feed.entries[0]
    assert (first.guid, first.link, first.summary, first.lang) == ("7", "https://news.example.org/p/7", "x & y", "en")
    assert first.published == datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize("body", [b'{"rss": {"channel": {"item": []}}}', b"[1, 2]", b'{"version": "x", "items": []}'])
def test_json_that_is_not_json_feed(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body, URL, "application/json")


def test_truncated_json_and_deep_nesting() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [{"title": "cut', URL)
    with pytest.raises(FetchError):
        parse_feed(b"[" * 100_000, URL)


@pytest.mark.parametrize(("body", "ctype"), [
    (b"", None), (b"   \n ", None), (b"<!-- only a comment -->", None),
    (b"<html><head><title>Not a feed</title></head><body>hello</body></html>", "text/html"),
    (b"<!DOCTYPE html><html><body><form><input name=user></form></body></html>", "application/rss+xml"),
])
def test_not_a_feed(body: bytes, ctype: str | None) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body, URL, ctype)


def test_body_that_names_a_file_is_not_opened() -> None:
    with pytest.raises(NotAFeed):
        parse_feed(b"/etc/passwd", URL)


def _laughs_entity(level: int) -> str:
    ref = f"&lol{level - 1};" if level > 2 else "&lol;"
    return f'<!ENTITY lol{level} "{ref * 10}">'


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(_laughs_entity(i) for i in range(2, 10))
          + "]>" + rss(item("&lol9;"), decl=None).replace("&amp;lol9;", "&lol9;"))


def _safe_or_refused(body: str, forbidden: str) -> None:
    try:
        feed = parse_feed(body.encode(), URL)
    except FetchError:
        return
    for entry in feed.entries:
        assert forbidden not in entry.title + entry.summary and len(entry.title) <= TITLE_MAX_CHARS
    assert forbidden not in feed.title


def test_billion_laughs() -> None:
    _safe_or_refused(LAUGHS, "lollol")


def test_quadratic_blowup() -> None:
    refs = "&a;" * 10_000
    big = "A" * 50_000
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{big}">]>\n'
            + rss(f"<item><title>Acme {refs}</title><description>{refs}</description></item>", decl=None))
    _safe_or_refused(body, "AAAAAAAAAA")


def test_xxe_reads_no_file(tmp_path: object) -> None:
    body = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
            + rss("<item><title>Acme &xxe;</title><description>&xxe;</description></item>", decl=None))
    _safe_or_refused(body, "root:")


def test_external_dtd_parameter_entity_is_not_fetched() -> None:
    body = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
            ' %remote;\n]>\n' + rss("<item><title>Acme &fetched;</title></item>", decl=None))
    _safe_or_refused(body, "WAS-FETCHED")


def test_unterminated_doctype_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x"><rss version="2.0"><channel/></rss>', URL)


@pytest.mark.parametrize(("encoding", "declared", "http", "bom"), [
    ("cp1256", "utf-8", "utf-8", False),        # Arabic windows-1256 declared as UTF-8
    ("utf-8", "windows-1256", "windows-1256", False),  # UTF-8 declared as windows-1256
    ("utf-8", "ISO-8859-1", None, True),        # BOM with a lying declaration
    ("cp1256", None, None, False),              # no declaration at all
])
def test_arabic_survives_charset_lies(encoding: str, declared: str | None, http: str | None, bom: bool) -> None:
    body = (b"\xef\xbb\xbf" if bom else b"") + rss(item(f"Acme: {ARABIC}"), decl=declared).encode(encoding)
    ctype = f"application/rss+xml; charset={http}" if http else "application/rss+xml"
    (entry,) = parse_feed(body, URL, ctype).entries
    assert entry.title == f"Acme: {ARABIC}"


def test_latin1_and_stray_invalid_utf8_bytes() -> None:
    latin = rss(item("Café crème à Noël"), decl=None).encode("latin-1")
    assert parse_feed(latin, URL).entries[0].title == "Café crème à Noël"
    mostly = rss(item("naïve café résumé über")).encode("utf-8").replace(b"</channel>", b"\xff</channel>")
    assert parse_feed(mostly, URL).entries[0].title == "naïve café résumé über"


def test_utf16_without_bom() -> None:
    body = rss(item("Hello"), decl=None).encode("utf-16-le")
    assert parse_feed(body, URL).entries[0].title == "Hello"


def test_text_is_capped_and_cleaned() -> None:
    title = "Acme " + "word " * 300_000
    body = rss(item(title, extra=f"<description>{'x ' * 20_000}</description>")).encode()
    (entry,) = parse_feed(body, URL).entries
    assert len(entry.title) <= TITLE_MAX_CHARS and len(entry.summary) <= SUMMARY_MAX_CHARS
    bidi = parse_feed(rss(item("Sca\u200dle Alexan\u202edr <script>x()</script>")).encode(), URL).entries[0]
    assert bidi.title == "Scale Alexandr"


def test_entry_count_is_capped() -> None:
    body = rss("".join(item(f"n{i}", f"https://n.example/{i}") for i in range(MAX_ENTRIES + 500))).encode()
    feed = parse_feed(body, URL)
    assert len(feed.entries) == MAX_ENTRIES and feed.entries[-1].title == f"n{MAX_ENTRIES - 1}"
    assert feed.warning and str(MAX_ENTRIES + 500) in feed.warning


def test_bozo_feed_still_yields_entries_with_warning() -> None:
    body = ("\n" + rss(item("Good") + "<item><title>Bad & worse</title></item>")).encode()
    feed = parse_feed(body, URL)
    assert [e.title for e in feed.entries][:1] == ["Good"] and feed.warning


def test_gzip_file_served_without_content_encoding() -> None:
    import gzip

    assert parse_feed(gzip.compress(rss(item("Zipped")).encode()), URL).entries[0].title == "Zipped"


def test_odd_dates() -> None:
    body = rss(item("a", extra="<pubDate>sometime last week</pubDate>") + item("b", extra="<pubDate>Thu, 01 Jan "
               "1970 00:00:00 +0000</pubDate>") + item("c", extra="<pubDate>Mon, 01 Jun 2099 00:00:00 GMT</pubDate>"))
    dates = [e.published for e in parse_feed(body.encode(), URL).entries]
    assert dates == [None, datetime(1970, 1, 1, tzinfo=UTC), datetime(2099, 6, 1, tzinfo=UTC)]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_junk_bytes_only_raise_our_errors(junk: bytes) -> None:
    try:
        parse_feed(junk, URL)
    except FetchError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_feed_only_raises_our_errors(data: st.DataObject) -> None:
    body = bytearray(rss(item("Acme", extra="<description>&lt;b&gt;x&lt;/b&gt;</description>") * 3).encode())
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(body)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(st.sampled_from([b"<", b">", b"&", b"\xff", b"\x00", b"<!DOCTYPE x [", b"]]>", b"&#0;",
                                           b'"', b"<![CDATA[", b"\xef\xbb\xbf", b"{", b"\x1f\x8b"]))
        if action == "insert":
            body[pos:pos] = chunk
        elif action == "delete":
            del body[pos:pos + len(chunk)]
        else:
            body[pos:pos + len(chunk)] = chunk
    try:
        parse_feed(bytes(body), URL)
    except FetchError:
        pass
