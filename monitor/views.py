"""Read-only views shared by the CLI and the HTTP API, so both show the same truth."""

from __future__ import annotations

from typing import Any

from monitor.config.model import WatchConfig
from monitor.matching import Matcher
from monitor.store import alerts as alert_store
from monitor.store import feeds as feed_store
from monitor.store.db import Database

FEED_KEYS = ("id", "url", "health", "last_status", "last_error", "consecutive_errors", "next_poll")


def feed_states(db: Database) -> list[dict[str, Any]]:
    rows = db.run(feed_store.list_feeds)
    return [{
        "id": r.id, "url": r.url, "health": r.health, "last_status": r.last_status,
        "last_error": r.last_error, "consecutive_errors": r.consecutive_errors,
        "next_poll": r.next_poll_at.isoformat().replace("+00:00", "Z") if r.next_poll_at and r.health != "disabled"
        else None,
        "enabled": r.enabled, "last_error_kind": r.last_error_kind, "disabled_reason": r.disabled_reason,
        "last_polled": r.last_polled_at.isoformat().replace("+00:00", "Z") if r.last_polled_at else None,
        "items_seen": r.items_seen,
    } for r in rows]


def dead_letter_view(db: Database, destination: str | None = None) -> list[dict[str, Any]]:
    rows = db.run(lambda s: alert_store.dead_letters(s, destination))
    return [{"alert_id": a.id, "destination": a.destination_id, "topic": a.topic, "event_type": a.event_type,
             "attempts": a.attempts, "last_status": a.last_status, "last_error": a.last_error,
             "created_at": a.created_at.isoformat()} for a in rows]


def match_view(matcher: Matcher, title: str, summary: str = "", lang: str | None = None,
               url: str | None = None) -> list[dict[str, Any]]:
    return [{"topic": m.topic, "score": m.score, "severity": m.severity,
             "evidence": [e.as_dict() for e in m.evidence]} for m in matcher.match(title, summary, lang, url)]


def masked_config(cfg: WatchConfig) -> dict[str, Any]:
    """The config as JSON with secrets and secret-bearing URLs masked (Slack webhook URLs are
    credentials: anyone holding one can post to the channel)."""
    data = cfg.model_dump(mode="json", by_alias=True)
    for d in data.get("destinations", []):
        if d.get("secret"):
            d["secret"] = "********"
        if d.get("url") and d.get("type") in ("slack", "teams", "discord"):
            d["url"] = d["url"].split("//", 1)[0] + "//" + d["url"].split("//", 1)[-1].split("/", 1)[0] + "/********"
    return data
