"""Microsoft Teams (Adaptive Card) and Discord (embed) messages for alerts and digests (pure).

Same rules as Slack, in each service's terms:
- Teams: untrusted text goes in `RichTextBlock` `TextRun`s, which Teams renders without
  Markdown, so a title cannot create links or formatting; mentions need an `msteams.entities`
  entry we never send, so nothing pings.
- Discord: `allowed_mentions: {"parse": []}` disables every ping; Markdown (masked links
  `[x](url)`, `<@id>` mention syntax, headings) is backslash-escaped so text stays text.
Both: only vetted http(s) URLs are linked, everything is cut to the service's limits.
"""

from __future__ import annotations

import re
from typing import Any

from alerts.model import Alert
from alerts.render.text import clean_text, format_utc, iso_z, safe_http_url, truncate

# --- Teams -------------------------------------------------------------------------------

TEAMS_TEXT_MAX = 2000
TEAMS_DIGEST_MAX = 40


def _run(text: str, *, bold: bool = False, url: str | None = None) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": text}
    if bold:
        run["weight"] = "Bolder"
    safe = safe_http_url(url) if url else None
    if safe:
        run["selectAction"] = {"type": "Action.OpenUrl", "url": safe}
    return run


def _rich(*inlines: dict[str, Any]) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(inlines)}


def _plain(text: str, limit: int = TEAMS_TEXT_MAX) -> str:
    return truncate(clean_text(text), limit)


def _teams_alert_body(alert: Alert) -> list[dict[str, Any]]:
    item = alert.item
    prefix = "Update: " if alert.event_type == "story.updated" else ""
    body = [
        _rich(
            _run(
                f"{prefix}{_plain(alert.topic_name or alert.topic, 200)} \u00b7 {_plain(alert.severity, 20)}"
            )
        ),
        _rich(_run(_plain(item.title, 500) or "(untitled)", bold=True, url=item.url)),
        _rich(
            _run(
                f"{_plain(item.feed_title or item.feed, 100)} \u00b7 {format_utc(item.published)} \u00b7 score {alert.score}"
            )
        ),
    ]
    if alert.evidence:
        why = "; ".join(
            f"{_plain(e.alias, 100)} in \u201c{_plain(e.text, 300)}\u201d" for e in alert.evidence[:10]
        )
        body.append(_rich(_run("Why: " + truncate(why, 1000))))
    if alert.also_reported_by:
        n = len(alert.also_reported_by)
        body.append(_rich(_run(f"Also reported by {n} outlet{'s' if n != 1 else ''}")))
    return body


def _teams_digest_body(alert: Alert) -> list[dict[str, Any]]:
    items = alert.digest_items
    body = [_rich(_run(f"Digest: {len(items)} alert{'s' if len(items) != 1 else ''}", bold=True))]
    for a in items[:TEAMS_DIGEST_MAX]:
        body.append(
            _rich(
                _run(f"{_plain(a.topic_name or a.topic, 100)}: "),
                _run(_plain(a.item.title, 200) or "(untitled)", url=a.item.url),
                _run(f" \u2014 {_plain(a.item.feed_title or a.item.feed, 60)}"),
            )
        )
    if len(items) > TEAMS_DIGEST_MAX:
        body.append(_rich(_run(f"\u2026and {len(items) - TEAMS_DIGEST_MAX} more")))
    return body


def render_teams(alert: Alert) -> dict[str, Any]:
    """Body for a Teams incoming webhook / Workflows trigger: one Adaptive Card attachment."""
    digest = alert.event_type == "digest"
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": _teams_digest_body(alert) if digest else _teams_alert_body(alert),
    }
    url = None if digest else safe_http_url(alert.item.url)
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open article", "url": url}]
    attachment = {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": card,
    }
    return {"type": "message", "attachments": [attachment]}


# --- Discord -----------------------------------------------------------------------------

_DISCORD_SPECIAL = re.compile(r"([\\*_~`|>\[\]()<#:@-])")
_DISCORD_COLORS = {"critical": 0x8B0000, "high": 0xE01E5A, "medium": 0xECB22E, "low": 0x9E9E9E}
EMBED_TOTAL_MAX = 6000


def escape_discord(text: str, limit: int) -> str:
    """Untrusted text as inert Discord Markdown, one line, cut to `limit` before escaping grows
    it (the cut is then re-applied so an escape is never left dangling)."""
    escaped = _DISCORD_SPECIAL.sub(r"\\\1", truncate(clean_text(text[: limit * 8]), limit))
    if len(escaped) > limit:
        escaped = escaped[: limit - 1].rstrip("\\") + "\u2026"
    return escaped


def _discord_alert_embed(alert: Alert) -> dict[str, Any]:
    item = alert.item
    prefix = "Update: " if alert.event_type == "story.updated" else ""
    embed: dict[str, Any] = {
        "title": escape_discord(item.title, 256) or "(untitled)",
        "description": escape_discord(item.summary, 1000),
        "color": _DISCORD_COLORS.get(alert.severity, 0x4A90D9),
        "fields": [
            {
                "name": "Topic",
                "value": escape_discord(prefix + (alert.topic_name or alert.topic), 200) or "-",
                "inline": True,
            },
            {
                "name": "Severity",
                "value": f"{escape_discord(alert.severity, 20) or '-'} \u00b7 {alert.score}",
                "inline": True,
            },
            {
                "name": "Source",
                "value": escape_discord(item.feed_title or item.feed, 200) or "-",
                "inline": True,
            },
        ],
        "footer": {"text": truncate(clean_text(f"alert {alert.alert_id}"), 200)},
    }
    url = safe_http_url(item.url)
    if url:
        embed["url"] = url
    published = iso_z(item.published)
    if published:
        embed["timestamp"] = published
    if alert.evidence:
        why = "; ".join(f"{e.alias} in \u201c{e.text}\u201d" for e in alert.evidence[:10])
        embed["fields"].append({"name": "Why", "value": escape_discord(why, 1000) or "-", "inline": False})
    if alert.also_reported_by:
        n = len(alert.also_reported_by)
        embed["fields"].append(
            {"name": "Also reported by", "value": f"{n} outlet{'s' if n != 1 else ''}", "inline": False}
        )
    return embed


def _discord_digest_embed(alert: Alert) -> dict[str, Any]:
    lines: list[str] = []
    size = 0
    for a in alert.digest_items:
        title = escape_discord(a.item.title, 150) or "(untitled)"
        url = safe_http_url(a.item.url)
        line = f"\u2022 **{escape_discord(a.topic_name or a.topic, 60)}**: " + (
            f"[{title}]({url})" if url else title
        )
        if size + len(line) + 1 > 3500:
            lines.append(f"\u2026and {len(alert.digest_items) - len(lines)} more")
            break
        lines.append(line)
        size += len(line) + 1
    n = len(alert.digest_items)
    return {
        "title": f"Digest: {n} alert{'s' if n != 1 else ''}",
        "description": "\n".join(lines) or "No new alerts.",
    }


def render_discord(alert: Alert) -> dict[str, Any]:
    """Body for a Discord webhook: one embed, and no mention of anyone ever parsed."""
    embed = _discord_digest_embed(alert) if alert.event_type == "digest" else _discord_alert_embed(alert)
    if not embed.get("description"):
        embed.pop("description", None)
    return {"embeds": [embed], "allowed_mentions": {"parse": []}}
