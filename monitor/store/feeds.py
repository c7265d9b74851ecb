"""Feed rows: sync from config, claim due feeds, record each fetch's outcome.

Due-ness lives here, in the database, not in the scheduler: any number of workers can tick and
only one of them claims a given feed (a lease, so a worker that dies frees its feeds).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from monitor.config.model import FeedSpec
from monitor.store.tables import Feed

MAX_BACKOFF_S = 6 * 3600.0


@dataclass(frozen=True)
class FeedClaim:
    """What a worker needs to poll one feed, detached from the session."""

    id: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    interval_s: float
    backfill_s: float
    first_poll: bool
    consecutive_errors: int


def sync_feeds(s: Session, specs: list[FeedSpec], now: datetime) -> None:
    """Make the feeds table follow the config: new feeds are due at once, a changed URL starts
    over (new validators, new dedup horizon), removed feeds are disabled, never deleted."""
    rows = {f.id: f for f in s.exec(select(Feed)).all()}
    wanted = {spec.id for spec in specs}
    for spec in specs:
        row = rows.get(spec.id)
        if row is None:
            s.add(Feed(id=spec.id, url=spec.url, config_url=spec.url, enabled=spec.enabled,
                       interval_s=spec.interval_s, backfill_s=spec.backfill_s, next_poll_at=now,
                       health="ok" if spec.enabled else "disabled",
                       disabled_reason=None if spec.enabled else "disabled in config"))
            continue
        if row.config_url != spec.url:
            row.url = row.config_url = spec.url
            row.etag = row.last_modified = row.body_hash = None
            row.consecutive_errors = 0
            row.health, row.disabled_reason, row.next_poll_at = "ok", None, now
            row.last_error = row.last_error_kind = None
        if row.interval_s != spec.interval_s and row.next_poll_at and row.next_poll_at > now + timedelta(
                seconds=spec.interval_s) and row.consecutive_errors == 0:
            row.next_poll_at = now + timedelta(seconds=spec.interval_s)
        row.interval_s, row.backfill_s = spec.interval_s, spec.backfill_s
        if spec.enabled and not row.enabled:
            row.enabled, row.next_poll_at = True, now
            if row.disabled_reason in ("disabled in config", "removed from config"):
                row.health, row.disabled_reason = "ok", None
        elif not spec.enabled and row.enabled:
            row.enabled, row.health, row.disabled_reason = False, "disabled", "disabled in config"
        s.add(row)
    for fid, row in rows.items():
        if fid not in wanted and row.enabled:
            row.enabled, row.health, row.disabled_reason = False, "disabled", "removed from config"
            s.add(row)


def _due_query(now: datetime, ids: list[str] | None) -> sa.Select[tuple[Feed]]:
    q = select(Feed).where(Feed.enabled, Feed.health != "disabled",
                           sa.or_(Feed.claimed_until.is_(None), Feed.claimed_until < now))  # type: ignore[union-attr,operator]
    if ids is not None:
        q = q.where(Feed.id.in_(ids))  # type: ignore[attr-defined]
    else:
        q = q.where(sa.or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))  # type: ignore[union-attr,operator]
    return q.order_by(Feed.next_poll_at)  # type: ignore[arg-type]


def claim_due_feeds(s: Session, now: datetime, worker: str, lease_s: float, limit: int,
                    ids: list[str] | None = None, skip_locked: bool = False) -> list[FeedClaim]:
    """Claim up to `limit` due feeds (or exactly `ids`, due or not) for `lease_s` seconds."""
    q = _due_query(now, ids).limit(limit)
    if skip_locked:
        q = q.with_for_update(skip_locked=True)
    claims = []
    for row in s.exec(q).all():
        row.claimed_until = now + timedelta(seconds=lease_s)
        row.claimed_by = worker
        s.add(row)
        claims.append(FeedClaim(row.id, row.url, row.etag, row.last_modified, row.body_hash, row.interval_s,
                                row.backfill_s, row.first_polled_at is None, row.consecutive_errors))
    return claims


def next_poll_time(interval_s: float, now: datetime, rand: float) -> datetime:
    """Interval with +-10% jitter, so feeds configured together drift apart instead of bursting."""
    return now + timedelta(seconds=interval_s * (0.9 + 0.2 * rand))


def backoff_time(interval_s: float, errors: int, now: datetime, rand: float,
                 retry_after_s: float | None = None) -> datetime:
    """Exponential backoff from the feed's interval, capped, with full jitter on the top half."""
    base = min(MAX_BACKOFF_S, max(interval_s, 5.0) * (2 ** min(errors - 1, 16)))
    delay = base * (0.5 + 0.5 * rand)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, 86400.0))
    return now + timedelta(seconds=max(delay, interval_s))


def _release(row: Feed, now: datetime) -> None:
    row.claimed_until = None
    row.claimed_by = None
    row.last_polled_at = now
    if row.first_polled_at is None:
        row.first_polled_at = now


def record_success(s: Session, feed_id: str, now: datetime, *, status: int, etag: str | None,
                   last_modified: str | None, body_hash: str | None, warning: str | None,
                   permanent_url: str | None, title: str | None, new_items: int,
                   rand: float | None = None) -> None:
    row = s.get(Feed, feed_id)
    if row is None:
        return
    _release(row, now)
    row.last_status = status
    row.etag, row.last_modified = etag or row.etag, last_modified or row.last_modified
    row.body_hash = body_hash or row.body_hash
    if permanent_url and permanent_url != row.url:
        row.url = permanent_url
    if title:
        row.title = title[:300]
    row.consecutive_errors = 0
    row.health = "warning" if warning else "ok"
    row.last_error = warning[:500] if warning else None
    row.last_error_kind = "bozo" if warning else None
    row.items_seen += new_items
    row.next_poll_at = next_poll_time(row.interval_s, now, random.random() if rand is None else rand)
    s.add(row)


def record_failure(s: Session, feed_id: str, now: datetime, *, kind: str, message: str,
                   status: int | None, retry_after_s: float | None = None, disable: bool = False,
                   rand: float | None = None) -> None:
    row = s.get(Feed, feed_id)
    if row is None:
        return
    _release(row, now)
    row.last_status = status
    row.last_error, row.last_error_kind = message[:500], kind
    row.consecutive_errors += 1
    if disable:
        row.health, row.disabled_reason = "disabled", message[:300]
    else:
        row.health = "failing"
    row.next_poll_at = backoff_time(row.interval_s, row.consecutive_errors, now,
                                    random.random() if rand is None else rand, retry_after_s)
    s.add(row)


def release_claim(s: Session, feed_id: str, worker: str) -> None:
    """Give a feed back without recording a poll (the poll could not be stored): due again at once."""
    row = s.get(Feed, feed_id)
    if row is not None and row.claimed_by == worker:
        row.claimed_until = row.claimed_by = None
        s.add(row)


def list_feeds(s: Session) -> list[Feed]:
    return list(s.exec(select(Feed).order_by(Feed.id)).all())  # type: ignore[arg-type]
