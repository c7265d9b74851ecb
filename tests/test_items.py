"""normalize_entry, canonicalize_url, content_hash, dedup_keys: pure functions, tested without servers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.feeds.parse import ParsedEntry
from monitor.items import (
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    canonicalize_url,
    content_hash,
    dedup_keys,
    normalize_entry,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def entry(**kw: object) -> ParsedEntry:
    base: dict[str, object] = {"guid": None, "link": "https://news.example.org/a/1", "title": "Acme opens a plant",
                               "summary": "Acme said on Tuesday.", "published": NOW - timedelta(hours=1), "lang": "en"}
    base.update(kw)
    return ParsedEntry(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://News.Example.ORG:80/a?b=2&a=1#top", "http://news.example.org/a?a=1&b=2"),
    ("https://x.org:443/p?utm_source=rss&utm_medium=feed&id=123", "https://x.org/p?id=123"),
    ("https://x.org/p?p=8282&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&ocid=4&cmpid=5&ref=tw&ref_src=twsrc", "https://x.org/p?p=8282"),
    ("https://x.org/p?UTM_Campaign=x&q=a%20b", "https://x.org/p?q=a+b"),
    ("https://x.org/%7Euser/", "https://x.org/~user/"),
    ("https://x.org:8443/p", "https://x.org:8443/p"),
    ("https://user:pw@x.org/p", "https://x.org/p"),
    ("https://x.org", "https://x.org/"),
])
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_syndicated_copy_with_tracking_dedupes_by_url() -> None:
    original = normalize_entry(entry(guid="urn:wire:1"), "wire", NOW)
    copy = normalize_entry(entry(guid="synd-1", link="https://news.example.org/a/1?utm_source=rss&utm_medium=feed"),
                           "syndicated", NOW)
    assert original and copy
    assert set(dedup_keys(original)) & set(dedup_keys(copy)) >= {"url:https://news.example.org/a/1"}
    assert "guid:wire:urn:wire:1" in dedup_keys(original)  # opaque guid: meaningful only within its feed


def test_url_guid_dedupes_across_feeds() -> None:
    a = normalize_entry(entry(guid="https://news.example.org/a/1#x", link=None), "a", NOW)
    b = normalize_entry(entry(guid="https://NEWS.example.org/a/1", link="https://mirror.example/1"), "b", NOW)
    assert a and b and "guid:https://news.example.org/a/1" in set(dedup_keys(a)) & set(dedup_keys(b))


def test_content_hash_ignores_trivial_reformatting() -> None:
    assert content_hash("Acme  Opens\na Plant", " said  ") == content_hash("acme opens a plant", "SAID")
    assert content_hash("Acme opens a plant", "") != content_hash("Acme closes a plant", "")


def test_dates_missing_future_and_ancient() -> None:
    undated = normalize_entry(entry(published=None), "f", NOW)
    assert undated and undated.published == NOW and not undated.dated
    future = normalize_entry(entry(published=datetime(2099, 6, 1, tzinfo=UTC)), "f", NOW)
    assert future and future.published == NOW and future.dated
    old = normalize_entry(entry(published=datetime(1970, 1, 1, tzinfo=UTC)), "f", NOW)
    assert old and old.published == datetime(1970, 1, 1, tzinfo=UTC) and old.dated


def test_unsafe_links_are_dropped() -> None:
    item = normalize_entry(entry(link="javascript:alert(1)"), "f", NOW)
    assert item and item.url == "" and item.canonical_url == f"urn:hash:{item.content_hash}"
    assert not any(k.startswith("url:") for k in dedup_keys(item))
    assert normalize_entry(entry(link="javascript:alert(1)", title=""), "f", NOW) is None
    assert normalize_entry(entry(link=None, title="   "), "f", NOW) is None


def test_short_texts_get_no_hash_key() -> None:
    item = normalize_entry(entry(title="Update", summary=""), "f", NOW)
    assert item and not any(k.startswith("hash:") for k in dedup_keys(item))
    bare = normalize_entry(entry(title="Update", summary="", link=None), "f", NOW)
    assert bare and dedup_keys(bare) == [f"hash:{bare.content_hash}"]  # the only identity it has


def test_long_keys_are_bounded() -> None:
    item = normalize_entry(entry(guid="g" * 5000), "f", NOW)
    assert item and all(len(k) <= 512 for k in dedup_keys(item))


SAFE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
PARAM = SAFE.filter(lambda k: not k.startswith(TRACKING_PREFIXES) and k not in TRACKING_PARAMS)
URLS = st.builds(
    lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}/{path}{query}{frag}",
    st.sampled_from(["http", "https", "HTTP"]), st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}\.(com|org|de)", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]), st.text(alphabet="abc/%20~é-._", max_size=12),
    st.lists(st.tuples(st.sampled_from(["id", "p", "utm_source", "fbclid", "q", "a b", "x"]),
                       st.text(alphabet="ab1 %&+=é", max_size=5)), max_size=4).map(
        lambda kv: "?" + "&".join(f"{k}={v}" for k, v in kv) if kv else ""),
    st.sampled_from(["", "#frag", "#"]),
)


@settings(max_examples=300, deadline=None)
@given(URLS)
def test_canonicalize_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_canonicalize_is_idempotent_on_any_text(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@settings(max_examples=300, deadline=None)
@given(URLS, PARAM, SAFE, SAFE)
def test_non_tracking_parameter_is_never_merged(url: str, key: str, v1: str, v2: str) -> None:
    if v1 == v2:
        return
    base = url.partition("#")[0]
    sep = "&" if "?" in base else "?"
    assert canonicalize_url(f"{base}{sep}{key}={v1}") != canonicalize_url(f"{base}{sep}{key}={v2}")
