"""Slack incoming-webhook messages (Block Kit) for alerts and digests (pure).

Untrusted text (titles, summaries, evidence) is cleaned and entity-escaped so it can neither
ping (`<!channel>`, `<@U123>`) nor link (`<https://evil|Click>`); mrkdwn texts are sent with
`verbatim: true` so Slack does not auto-link bare URLs or channel names either. The only
`<...>` in a message are the article links this module builds from vetted http(s) URLs.
Every field is cut to Block Kit's limits, so a 1 MB title still yields a valid message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alerts.model import Alert
from alerts.render.text import clean_text, format_utc, safe_http_url, truncate, utf16_len

HEADER_MAX = 150
SECTION_MAX = 3000
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_MAX = 50
FALLBACK_MAX = 300
TITLE_MAX = 500
LINE_MAX = 1000

_SEVERITY_EMOJI = {
    "critical": ":rotating_light:",
    "high": ":red_circle:",
    "medium": ":large_orange_circle:",
    "low": ":white_circle:",
}


def escape_slack(text: str) -> str:
    """Untrusted text as inert mrkdwn: one line, no invisible/control characters, and `& < >`
    entity-escaped (`&` first, so an already-escaped `&lt;!here&gt;` stays literal text)."""
    cleaned = clean_text(text)
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_truncated(text: str, limit: int) -> str:
    """`escape_slack(text)` cut to `limit` without splitting an `&...;` entity."""
    escaped = escape_slack(text[: limit * 8])  # bound the work on huge input; escaping grows text
    if utf16_len(escaped) <= limit:
        return escaped
    cut = truncate(escaped, limit)[:-1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "\u2026"


def _link(url: str, label: str) -> str:
    """`<url|label>` for a vetted http(s) URL (label already escaped), else the bare label."""
    safe = safe_http_url(url)
    if safe is None:
        return label
    return f"<{safe.replace('&', '&amp;')}|{label}>"


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _header(text: str) -> dict[str, Any]:
    plain = truncate(clean_text(text), HEADER_MAX) or "Alert"
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(truncate(text, SECTION_MAX))}


def _context(texts: Iterable[str]) -> dict[str, Any]:
    elements = [_mrkdwn(truncate(t, SECTION_MAX)) for t in texts if t][:CONTEXT_ELEMENTS_MAX]
    return {"type": "context", "elements": elements}


def _rule_label(rule: str) -> str:
    """The part of a rule path a reader cares about: `topic:rules.all_of[1].entity:customers`
    -> `customers`; the full path stays in the webhook payload for machines."""
    last = rule.rsplit(".", 1)[-1]
    return last.split(":", 1)[-1] if ":" in last else last


def _evidence_line(alert: Alert) -> str:
    parts = [
        f"\u201c{escape_truncated(e.text, 300)}\u201d ({escape_truncated(_rule_label(e.rule), 60)}"
        + (f", {e.score}" if e.score < 100 else "") + ")"
        for e in alert.evidence[:10]
    ]
    return truncate("*Why:* " + "; ".join(parts), LINE_MAX) if parts else ""


def _also_reported_line(alert: Alert) -> str:
    outlets = alert.also_reported_by
    if not outlets:
        return ""
    shown = ", ".join(escape_truncated(o, 60) for o in outlets[:5])
    more = f" (+{len(outlets) - 5} more)" if len(outlets) > 5 else ""
    noun = "outlet" if len(outlets) == 1 else "outlets"
    return truncate(f"Also reported by {len(outlets)} {noun}: {shown}{more}", LINE_MAX)


def _fallback(alert: Alert, prefix: str) -> str:
    label = alert.topic_name or alert.topic
    return escape_truncated(f"{prefix}[{alert.severity.upper()}] {label}: {alert.item.title}", FALLBACK_MAX)


def _alert_blocks(alert: Alert) -> list[dict[str, Any]]:
    item = alert.item
    emoji = _SEVERITY_EMOJI.get(alert.severity, ":large_blue_circle:")
    prefix = "Update: " if alert.event_type == "story.updated" else ""
    title = escape_truncated(item.title, TITLE_MAX) or "(untitled)"
    headline = f"*{_link(item.url, title)}*"
    summary = escape_truncated(item.summary, 500)
    blocks = [
        _header(f"{emoji} {prefix}{alert.topic_name or alert.topic}"),
        _section(f"{headline}\n{summary}" if summary else headline),
        _context(
            [
                f"*{escape_truncated(item.feed_title or item.feed, 100)}*",
                f"Published {format_utc(item.published)}",
                f"Topic: {escape_truncated(alert.topic_name or alert.topic, 150)}",
                f"Severity: *{escape_truncated(alert.severity, 20)}* \u00b7 score {alert.score}",
            ]
        ),
    ]
    why = _evidence_line(alert)
    if why:
        blocks.append(_section(why))
    also = _also_reported_line(alert)
    if also:
        blocks.append(_context([also]))
    return blocks


def _digest_line(alert: Alert) -> str:
    item = alert.item
    title = _link(item.url, escape_truncated(item.title, 200) or "(untitled)")
    feed = escape_truncated(item.feed_title or item.feed, 60)
    return f"\u2022 {title} \u2014 {feed} \u00b7 {escape_truncated(alert.severity, 20)}"


def _digest_blocks(alert: Alert) -> list[dict[str, Any]]:
    items = alert.digest_items
    noun = "alert" if len(items) == 1 else "alerts"
    blocks: list[dict[str, Any]] = [_header(f":newspaper: Digest: {len(items)} {noun}")]
    by_topic: dict[str, list[Alert]] = {}
    for a in items:
        by_topic.setdefault(a.topic_name or a.topic, []).append(a)
    budget = BLOCKS_MAX - 1 - 1  # header, and room for a closing "more" note
    shown = 0
    for topic_name, topic_alerts in by_topic.items():
        if len(blocks) >= budget:
            break
        text = f"*{escape_truncated(topic_name, 150)}* ({len(topic_alerts)})"
        for a in topic_alerts:
            line = _digest_line(a)
            if utf16_len(text) + 1 + utf16_len(line) > SECTION_MAX:
                blocks.append(_section(text))
                if len(blocks) >= budget:
                    text = ""
                    break
                text = line
            else:
                text += "\n" + line
            shown += 1
        if text:
            blocks.append(_section(text))
    if shown < len(items):
        blocks.append(_context([f"\u2026and {len(items) - shown} more"]))
    if not items:
        blocks.append(_section("No new alerts."))
    return blocks


def render_slack(alert: Alert) -> dict[str, Any]:
    """The JSON body for a Slack incoming webhook: `{"text": fallback, "blocks": [...]}`.

    `text` is what notifications and screen readers show; link unfurling is off so a channel
    full of alerts stays compact (the headline link is one click away).
    """
    if alert.event_type == "digest":
        n = len(alert.digest_items)
        text = f"Digest: {n} alert{'s' if n != 1 else ''}"
        blocks = _digest_blocks(alert)
    else:
        text = _fallback(alert, "Update: " if alert.event_type == "story.updated" else "")
        blocks = _alert_blocks(alert)
    return {"text": text, "blocks": blocks[:BLOCKS_MAX], "unfurl_links": False, "unfurl_media": False}
