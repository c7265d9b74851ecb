"""From a matched item to outbox rows, and from an outbox row back to an `alerts.model.Alert`.

The payload is snapshotted as JSON when the row is written: what an analyst receives is what
matched at that moment, even if the config or the item changes before delivery.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from alerts.model import Alert, AlertItem, Destination, Evidence
from monitor.config.model import DestinationSpec, QuietHours, SubscriptionSpec, WatchConfig
from monitor.matching import TopicMatch
from monitor.store.tables import Item


@dataclass(frozen=True)
class Delivery:
    """One subscription that wants one topic match: becomes one outbox row."""

    subscription_key: str
    subscription: SubscriptionSpec
    destination: DestinationSpec


def deliveries_for(cfg: WatchConfig, match: TopicMatch) -> list[Delivery]:
    out = []
    for i, sub in enumerate(cfg.subscriptions):
        dest = cfg.destination(sub.destination)
        if dest is None or not dest.enabled or not sub.wants(match.topic, match.severity):
            continue
        out.append(Delivery(sub.key(i), sub, dest))
    return out


def build_payload(item: Item, match: TopicMatch, topic_name: str, outlets: list[str],
                  feed_title: str | None) -> str:
    return json.dumps({
        "topic_name": topic_name,
        "item": {"title": item.title, "url": item.url, "canonical_url": item.canonical_url,
                 "feed": item.feed_id, "feed_title": feed_title or "",
                 "published": item.published.isoformat() if item.published else None,
                 "summary": item.summary[:1000]},
        "evidence": [e.as_dict() for e in match.evidence],
        "also_reported_by": outlets,
    }, ensure_ascii=False)


def alert_from_row(*, alert_id: str, event_type: str, story_id: str, topic: str, severity: str,
                   score: int, payload: str, created_at: datetime | None) -> Alert:
    data: dict[str, Any] = json.loads(payload)
    return _alert_from_data(data, alert_id=alert_id, event_type=event_type, story_id=story_id, topic=topic,
                            severity=severity, score=score, created_at=created_at)


def _alert_from_data(data: dict[str, Any], *, alert_id: str, event_type: str, story_id: str, topic: str,
                     severity: str, score: int, created_at: datetime | None) -> Alert:
    digest = tuple(
        _alert_from_data(e, alert_id=e["alert_id"], event_type="alert.created", story_id=e["story_id"],
                         topic=e["topic"], severity=e["severity"], score=e["score"], created_at=None)
        for e in data.get("digest", []))
    it = data["item"]
    published = datetime.fromisoformat(it["published"]) if it.get("published") else None
    return Alert(
        alert_id=alert_id, event_type=event_type,  # type: ignore[arg-type]
        story_id=story_id, topic=topic, topic_name=data.get("topic_name", topic), severity=severity,
        score=score,
        item=AlertItem(title=it["title"], url=it["url"], canonical_url=it["canonical_url"], feed=it["feed"],
                       published=published, summary=it.get("summary", ""), feed_title=it.get("feed_title", "")),
        evidence=tuple(Evidence(str(e.get("rule", "")), str(e.get("alias", "")), str(e.get("text", "")),
                                int(e.get("score", 0))) for e in data.get("evidence", [])),
        created_at=created_at, also_reported_by=tuple(data.get("also_reported_by", [])),
        digest_items=digest,
    )


def to_destination(spec: DestinationSpec) -> Destination:
    return Destination(id=spec.id, type=spec.type, url=spec.url, secret=spec.secret, timeout_s=spec.timeout_s)


def quiet_until(quiet: QuietHours | None, now: datetime) -> datetime | None:
    """When `now` falls inside the quiet window, the moment it ends (aware UTC); else None."""
    if quiet is None:
        return None
    tz = ZoneInfo(quiet.timezone)
    local = now.astimezone(tz)
    start = time.fromisoformat(quiet.start)
    end = time.fromisoformat(quiet.end)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_dt = datetime.combine(local.date(), end, tzinfo=tz)
    if end_dt <= local:
        end_dt += timedelta(days=1)
    return end_dt.astimezone(now.tzinfo)
