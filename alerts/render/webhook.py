"""The JSON body of a webhook delivery, exactly per DESIGN.md's envelope (pure).

The contract keys (`type`, `timestamp`, `data.alert_id`, `story_id`, `topic`, `severity`,
`score`, `item{title,url,canonical_url,feed,published}`, `evidence`) are never renamed;
extra keys (`topic_name`, `summary`, `also_reported_by`, `items` for digests) are additions.
Text is passed through as published: receivers are programs and escape for their own output.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from alerts.model import Alert
from alerts.render.text import iso_z


def _data(alert: Alert) -> dict[str, Any]:
    item = alert.item
    return {
        "alert_id": alert.alert_id,
        "story_id": alert.story_id,
        "topic": alert.topic,
        "topic_name": alert.topic_name,
        "severity": alert.severity,
        "score": alert.score,
        "item": {
            "title": item.title,
            "url": item.url,
            "canonical_url": item.canonical_url,
            "feed": item.feed,
            "feed_title": item.feed_title,
            "published": iso_z(item.published),
            "summary": item.summary,
        },
        "evidence": [e.as_dict() for e in alert.evidence],
        "also_reported_by": list(alert.also_reported_by),
        "created_at": iso_z(alert.created_at),
    }


def webhook_payload(alert: Alert, now: datetime) -> dict[str, Any]:
    """The envelope as a dict; a digest lists its alerts' `data` under `data.items`."""
    data = _data(alert)
    if alert.event_type == "digest":
        data["items"] = [_data(a) for a in alert.digest_items]
    return {"type": alert.event_type, "timestamp": iso_z(now), "data": data}


def render_webhook(alert: Alert, now: datetime) -> bytes:
    """UTF-8 JSON bytes: these exact bytes are signed and sent, so they are built once."""
    return json.dumps(webhook_payload(alert, now), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
