"""A readable line or two for the console destination (pure).

Titles are cleaned of control characters so a feed cannot send terminal escape sequences
(ESC[...) to an operator's screen, and of invisible bidi overrides that reorder the line.
"""

from __future__ import annotations

from alerts.model import Alert
from alerts.render.text import clean_text, format_utc, truncate

_TITLE_MAX = 300


def _one(alert: Alert) -> str:
    item = alert.item
    title = truncate(clean_text(item.title), _TITLE_MAX) or "(untitled)"
    feed = clean_text(item.feed_title or item.feed)
    topic = clean_text(alert.topic_name or alert.topic)
    url = truncate(clean_text(item.url), 500)
    line = f"[{clean_text(alert.severity).upper()}] {topic} ({alert.score}): {title} \u2014 {feed}, {format_utc(item.published)}"
    if alert.also_reported_by:
        line += f" (+{len(alert.also_reported_by)} outlets)"
    return f"{line}\n    {url}" if url else line


def render_console(alert: Alert) -> str:
    """`[HIGH] Topic (91): Title — feed, 2026-11-25 09:41 UTC` then the URL, indented;
    a digest gets a heading line and one entry per alert."""
    if alert.event_type == "digest":
        n = len(alert.digest_items)
        lines = [f"Digest: {n} alert{'s' if n != 1 else ''}"]
        lines += ["  " + _one(a).replace("\n", "\n  ") for a in alert.digest_items]
        return "\n".join(lines)
    prefix = "Update: " if alert.event_type == "story.updated" else ""
    return prefix + _one(alert)
