"""Digest subscriptions: alerts are held, then sent as one message per period (cron schedule).

Held rows turn into one `digest` outbox row in one transaction, so a crash between gathering
and sending neither loses nor repeats the digest.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlmodel import Session, col, select

from monitor.logs import get_logger, log_event
from monitor.store.alerts import new_alert_id
from monitor.store.tables import Alert

if TYPE_CHECKING:
    from monitor.pipeline import Pipeline

log = get_logger(__name__)
MAX_DIGEST_ITEMS = 50


def gather_digest(s: Session, subscription_key: str, destination_id: str, now: datetime) -> str | None:
    """Fold held alerts of one subscription into one digest row. Returns its id, or None."""
    held = list(s.exec(select(Alert).where(Alert.subscription_key == subscription_key, Alert.status == "held",
                                           Alert.event_type == "alert.created")
                       .order_by(col(Alert.created_at))).all())
    if not held:
        return None
    return _fold(s, held, subscription_key, destination_id, now, "sent in digest")


def roll_up_backlog(s: Session, destination_id: str, now: datetime, threshold: int, size: int,
                    skip_locked: bool = False) -> list[str]:
    """When more than `threshold` never-tried alerts are due for one rate-limited destination (a
    burst: a first poll, a feed dumping its archive), fold them into digest rows of up to `size`.

    At Slack's one message a second, 600 alerts would take ten minutes and bury the channel;
    60 roll-ups say the same in one screen. Retried rows keep their own schedule; updates to
    known stories stay single. Returns the new digest ids (empty below the threshold).
    """
    q = (select(Alert).where(Alert.destination_id == destination_id, Alert.status == "pending",
                             Alert.event_type == "alert.created", Alert.attempts == 0,
                             col(Alert.next_attempt_at) <= now)
         .order_by(col(Alert.created_at)))
    if skip_locked:
        q = q.with_for_update(skip_locked=True)
    due = list(s.exec(q).all())
    if len(due) <= threshold:
        return []
    by_subscription: dict[str, list[Alert]] = {}
    for a in due:
        by_subscription.setdefault(a.subscription_key, []).append(a)
    ids = []
    for key, rows in by_subscription.items():
        for i in range(0, len(rows), size):
            chunk = rows[i:i + size]
            if len(chunk) > 1:
                ids.append(_fold(s, chunk, key, destination_id, now, "sent in roll-up"))
    return ids


def _fold(s: Session, rows: list[Alert], subscription_key: str, destination_id: str, now: datetime,
          reason: str) -> str:
    """One `digest` outbox row for `rows`, which become `digested` in the same transaction."""
    entries = [{"alert_id": a.id, "story_id": a.story_id, "topic": a.topic, "severity": a.severity,
                "score": a.score, **json.loads(a.payload)} for a in rows[:MAX_DIGEST_ITEMS]]
    payload = json.loads(rows[0].payload)
    payload["digest"] = entries
    payload["digest_total"] = len(rows)
    digest_id = new_alert_id()
    s.add(Alert(id=digest_id, item_id=rows[0].item_id, story_id=rows[0].story_id, topic="digest",
                subscription_key=subscription_key, destination_id=destination_id, event_type="digest",
                severity=max((a.severity for a in rows), key=["low", "medium", "high", "critical"].index),
                score=max(a.score for a in rows), status="pending", next_attempt_at=now,
                payload=json.dumps(payload, ensure_ascii=False), created_at=now))
    for a in rows:
        a.status, a.last_error = "digested", f"{reason} {digest_id}"
        s.add(a)
    return digest_id


def schedule_digests(scheduler: AsyncIOScheduler, pipeline: Pipeline) -> None:
    for job in scheduler.get_jobs():
        if job.id.startswith("digest:"):
            job.remove()
    cfg = pipeline.holder.active.config
    for i, sub in enumerate(cfg.subscriptions):
        if sub.mode != "digest" or not sub.schedule:
            continue
        key = sub.key(i)

        async def run(key: str = key, dest: str = sub.destination) -> None:
            now = pipeline.clock()
            digest_id = await pipeline.db.arun(lambda s: gather_digest(s, key, dest, now))
            if digest_id:
                log_event(log, "digest.created", alert_id=digest_id, subscription=key)
                pipeline.alerts_ready.set()

        scheduler.add_job(run, CronTrigger.from_crontab(sub.schedule, timezone="UTC"), id=f"digest:{key}",
                          max_instances=1, coalesce=True)
