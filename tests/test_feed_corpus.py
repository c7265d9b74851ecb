"""Every file of the shared feed corpus goes through parse_feed and normalize_entry: only our errors escape,
and what comes out is bounded, absolute and dated in UTC. Skipped when ../shared/feeds is absent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.feeds.errors import FetchError
from monitor.feeds.parse import SUMMARY_MAX_CHARS, TITLE_MAX_CHARS, parse_feed
from monitor.items import dedup_keys, normalize_entry

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "feeds"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md") if CORPUS.is_dir() else []
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
URL = "https://feeds.example.org/feed.xml"

pytestmark = pytest.mark.skipif(not FILES, reason="feed corpus ../shared/feeds not present")


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file(path: Path) -> None:
    try:
        feed = parse_feed(path.read_bytes(), URL)
    except FetchError:
        return
    for entry in feed.entries:
        assert len(entry.title) <= TITLE_MAX_CHARS and len(entry.summary) <= SUMMARY_MAX_CHARS
        assert entry.link is None or "://" in entry.link or entry.link.startswith(("mailto:", "javascript:"))
        assert entry.published is None or entry.published.tzinfo is not None
        item = normalize_entry(entry, "corpus", NOW)
        if item is not None:
            assert item.published <= NOW and dedup_keys(item)


def _parse(name: str) -> list[str]:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in corpus")
    return [e.title + " " + e.summary for e in parse_feed(path.read_bytes(), URL).entries]


@pytest.mark.parametrize(("name", "needle"), [
    ("edge/hebrew_windows-1255_no-decl.xml", "אתר אינטרנט"),
    ("edge/newsru_koi8-r.xml", "В Турции"),
    ("edge/uol-noticias_no-decl_cp1252.rss", "simulações"),
    ("edge/declared-latin1_actually-utf8.xml", "Café"),
    ("real/bbc-urdu_rtl.xml", "امریکی"),
])
def test_corpus_encodings(name: str, needle: str) -> None:
    assert any(needle in text for text in _parse(name))


@pytest.mark.parametrize(("name", "error"), [
    ("edge/html-page-not-a-feed.html", "not_a_feed"), ("json/scriptingnews_rss-in-json.json", "not_a_feed"),
    ("json/allthis_truncated.json", "parse_error"), ("edge/empty-document.xml", "not_a_feed"),
])
def test_corpus_rejections(name: str, error: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in corpus")
    with pytest.raises(FetchError) as info:
        parse_feed(path.read_bytes(), URL)
    assert info.value.code == error


def test_relative_links_resolve_against_feed_url() -> None:
    path = CORPUS / "real/talkingpointsmemo.atom"
    if not path.exists():
        pytest.skip("talkingpointsmemo.atom not in corpus")
    links = [e.link for e in parse_feed(path.read_bytes(), URL).entries]
    assert links and all(link and link.startswith("https://feeds.example.org/") for link in links)
