"""Renderers are pure: hostile titles in, inert valid messages out (no servers needed)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from alerts.model import Alert, AlertItem, Evidence
from alerts.render import (
    escape_slack,
    render_console,
    render_discord,
    render_slack,
    render_teams,
    render_webhook,
)
from alerts.render.text import clean_text, safe_http_url

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVIL_TITLE = (
    "<!channel> &lt;!here&gt; <@U123> <https://evil.example|Click> *bold* "
    "a\u200db\u200c\u200bc \u202eevil\u202c <!subteam^S1> <#C123> \x1b[31mred\x07"
)


def make_alert(alert_id: str = "alrt_1", title: str = "Acme exits Scale", **changes: Any) -> Alert:
    item = AlertItem(
        title=title,
        url="https://news.example/acme?x=1&y=2",
        canonical_url="https://news.example/acme",
        feed="techcrunch",
        published=datetime(2026, 11, 25, 9, 41, tzinfo=UTC),
        summary="Acme Corp said on Tuesday it would stop using Scale.",
        feed_title="TechCrunch",
    )
    alert = Alert(
        alert_id=alert_id,
        event_type="alert.created",
        story_id="story_1",
        topic="scale-customers-exit",
        topic_name="Scale customers exit",
        severity="high",
        score=91,
        item=item,
        evidence=(Evidence(rule="all_of", alias="Acme Corp", text="Acme Corp said", score=91),),
        also_reported_by=("reuters", "bloomberg"),
    )
    return replace(alert, **changes)


def _validate_blocks(message: dict[str, Any]) -> None:
    blocks = message["blocks"]
    assert 0 < len(blocks) <= 50
    for b in blocks:
        parsed = Block.parse(b)  # pyright: ignore[reportUnknownMemberType]
        assert parsed is not None
        parsed.validate_json()
        if b["type"] == "context":
            assert len(b["elements"]) <= 10
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150


def _mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    texts = [message["text"]]
    for b in message["blocks"]:
        if b["type"] == "section":
            texts.append(b["text"]["text"])
        if b["type"] == "context":
            texts += [e["text"] for e in b["elements"]]
    return texts


LINK = re.compile(r"<(https?://[^|<>\s]+)\|")


def _assert_inert(message: dict[str, Any], allowed_urls: set[str]) -> None:
    for text in _mrkdwn_texts(message):
        for bad in ("<!", "<@", "<#", "\u200d", "\u202e", "\x1b"):
            assert bad not in text
        links = LINK.findall(text)
        assert text.count("<") == len(links) and text.count(">") == len(links)
        assert set(links) <= allowed_urls


def test_escape_slack_neutralizes_mentions_links_and_invisible_characters() -> None:
    out = escape_slack(EVIL_TITLE)
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out
    assert "&amp;lt;!here&amp;gt;" in out  # already-escaped text stays text, never becomes a ping
    assert "&lt;https://evil.example|Click&gt;" in out
    assert "abc" in out and "\u202e" not in out and "\x1b" not in out and "\x07" not in out
    assert "*bold*" in out


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_escape_slack_output_is_always_inert(text: str) -> None:
    out = escape_slack(text)
    assert "<" not in out and ">" not in out
    assert all(out.startswith(("&amp;", "&lt;", "&gt;"), i) for i, ch in enumerate(out) if ch == "&")


@given(st.text(), st.text(max_size=300))
@settings(max_examples=100, deadline=None)
def test_render_slack_never_raises_and_stays_valid(title: str, url: str) -> None:
    alert = make_alert(title=title, item=replace(make_alert().item, title=title, url=url))
    message = render_slack(alert)
    _validate_blocks(message)
    safe = safe_http_url(url)
    _assert_inert(message, {safe.replace("&", "&amp;")} if safe else set())


def test_slack_message_for_hostile_title_is_valid_and_inert() -> None:
    message = render_slack(make_alert(title=EVIL_TITLE))
    _validate_blocks(message)
    _assert_inert(message, {"https://news.example/acme?x=1&amp;y=2"})
    section = message["blocks"][1]["text"]
    assert section["verbatim"] is True
    assert section["text"].startswith("*<https://news.example/acme?x=1&amp;y=2|&lt;!channel&gt;")
    assert message["unfurl_links"] is False


def test_slack_shows_source_time_topic_severity_evidence_and_other_outlets() -> None:
    texts = "\n".join(_mrkdwn_texts(render_slack(make_alert())))
    for expected in (
        "TechCrunch",
        "2026-11-25 09:41 UTC",
        "Scale customers exit",
        "high",
        "91",
        "Acme Corp",
        "Also reported by 2 outlets",
    ):
        assert expected in texts


def test_slack_one_megabyte_title_yields_a_valid_message() -> None:
    message = render_slack(make_alert(title="&<" * 300_000 + "\U0001f600" * 200_000))
    _validate_blocks(message)
    assert len(json.dumps(message)) < 20_000
    assert not re.search(r"&(?!amp;|lt;|gt;)", message["blocks"][1]["text"]["text"])


def test_slack_links_only_http_urls_without_breaking_characters() -> None:
    bad = make_alert(item=replace(make_alert().item, url="javascript:alert(1)"))
    assert "<" not in render_slack(bad)["blocks"][1]["text"]["text"]
    odd = make_alert(item=replace(make_alert().item, url="https://x.example/a|b<c>d é"))
    assert "<" not in render_slack(odd)["blocks"][1]["text"]["text"]  # spaces: not linkable
    piped = make_alert(item=replace(make_alert().item, url="https://x.example/a|b<c>é"))
    assert LINK.findall(render_slack(piped)["blocks"][1]["text"]["text"]) == [
        "https://x.example/a%7Cb%3Cc%3E%C3%A9"
    ]


def test_slack_digest_groups_by_topic_and_respects_block_limits() -> None:
    items = tuple(
        make_alert(f"a{i}", title=f"Story {i} " + "<!here>" * 50, topic_name=f"Topic {i % 7}")
        for i in range(1000)
    )
    digest = make_alert("digest_1", event_type="digest", digest_items=items)
    message = render_slack(digest)
    _validate_blocks(message)
    _assert_inert(message, {"https://news.example/acme?x=1&amp;y=2"})
    texts = "\n".join(_mrkdwn_texts(message))
    assert "*Topic 0* (143)" in texts and "more" in texts
    small = render_slack(make_alert("d", event_type="digest", digest_items=items[:3]))
    assert "Story 2" in "\n".join(_mrkdwn_texts(small))


def test_webhook_envelope_follows_the_contract() -> None:
    body = json.loads(render_webhook(make_alert(), NOW))
    assert body["type"] == "alert.created"
    assert body["timestamp"] == "2026-11-25T10:00:00Z"
    data = body["data"]
    assert {k: data[k] for k in ("alert_id", "story_id", "topic", "severity", "score")} == {
        "alert_id": "alrt_1",
        "story_id": "story_1",
        "topic": "scale-customers-exit",
        "severity": "high",
        "score": 91,
    }
    assert data["item"] == data["item"] | {
        "title": "Acme exits Scale",
        "url": "https://news.example/acme?x=1&y=2",
        "canonical_url": "https://news.example/acme",
        "feed": "techcrunch",
        "published": "2026-11-25T09:41:00Z",
    }
    assert data["evidence"] == [
        {"rule": "all_of", "alias": "Acme Corp", "text": "Acme Corp said", "score": 91}
    ]
    undated = make_alert(item=replace(make_alert().item, published=None))
    assert json.loads(render_webhook(undated, NOW))["data"]["item"]["published"] is None


def test_console_line_is_readable_and_has_no_terminal_escapes() -> None:
    text = render_console(make_alert(title=EVIL_TITLE))
    assert text.startswith("[HIGH] Scale customers exit (91): ")
    assert "\x1b" not in text and "\u202e" not in text
    assert "https://news.example/acme" in text


def test_teams_card_keeps_untrusted_text_out_of_markdown() -> None:
    card = render_teams(make_alert(title="[Click](https://evil.example) " + EVIL_TITLE))["attachments"][0][
        "content"
    ]
    assert card["type"] == "AdaptiveCard"
    kinds = {block["type"] for block in card["body"]}
    assert kinds == {"RichTextBlock"}
    title_run = card["body"][1]["inlines"][0]
    assert title_run["selectAction"]["url"] == "https://news.example/acme?x=1&y=2"
    assert "\u202e" not in title_run["text"]


def test_discord_embed_disables_mentions_and_escapes_markdown() -> None:
    message = render_discord(make_alert(title="@everyone [Click](https://evil.example) <@123> " + "x" * 5000))
    assert message["allowed_mentions"] == {"parse": []}
    embed = message["embeds"][0]
    assert len(embed["title"]) <= 256
    assert embed["title"].startswith("\\@everyone \\[Click\\]\\(https\\:")
    assert "<@" not in embed["title"]
    assert embed["url"] == "https://news.example/acme?x=1&y=2"


def test_clean_text_collapses_controls_and_whitespace() -> None:
    assert clean_text(" a\n\n\tb\u2028c\u200b\u2066d ") == "a b cd"
