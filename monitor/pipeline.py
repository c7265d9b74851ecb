"""The stages of the data flow and the wake-ups between them.

poll (fetch -> parse -> store new items) -> match (matches, stories, outbox rows, one
transaction) -> deliver (claim, send, record). Each stage reads only what the previous one made
durable, so a crash anywhere loses nothing; within a process the next stage is woken at once
by an asyncio.Event, across processes it finds the rows on its next short poll.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp

from monitor.configstate import ConfigHolder
from monitor.delivering import Deliverer
from monitor.feeds.errors import FeedParseError, FetchError
from monitor.feeds.fetch import FetchLimits, fetch_feed
from monitor.feeds.parse import parse_feed
from monitor.items import normalize_entry
from monitor.logs import get_logger, log_event
from monitor.matchstage import match_batch
from monitor.settings import Settings
from monitor.store import feeds as feed_store
from monitor.store import items as item_store
from monitor.store.db import Database, StoreUnavailable

log = get_logger(__name__)
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Pipeline:
    def __init__(self, db: Database, settings: Settings, holder: ConfigHolder, session: aiohttp.ClientSession,
                 *, clock: Clock = utcnow, limits: FetchLimits | None = None, worker_id: str | None = None) -> None:
        self.db, self.settings, self.holder, self.session = db, settings, holder, session
        self.clock = clock
        self.limits = limits or FetchLimits()
        self.worker_id = worker_id or new_worker_id()
        self.items_ready = asyncio.Event()
        self.alerts_ready = asyncio.Event()
        self.deliverer = Deliverer(db, settings, holder, session, self.worker_id, clock=clock)
        self._parse_slots = asyncio.Semaphore(2)

    # -- poll ---------------------------------------------------------------------------------
    def sync_feeds(self) -> None:
        specs = list(self.holder.active.config.feeds)
        self.db.run(lambda s: feed_store.sync_feeds(s, specs, self.clock()))

    async def claim_due_feeds(self, limit: int, ids: list[str] | None = None) -> list[feed_store.FeedClaim]:
        now = self.clock()
        return await self.db.arun(lambda s: feed_store.claim_due_feeds(
            s, now, self.worker_id, self.settings.lease_s, limit, ids, skip_locked=self.db.is_postgres))

    async def poll_feed(self, claim: feed_store.FeedClaim) -> int:
        """Fetch, parse and store one feed; record the outcome on its row. Returns new items."""
        try:
            return await self._poll_feed(claim)
        except StoreUnavailable as exc:
            log_event(log, "feed.store_unavailable", 40, feed_id=claim.id, error=str(exc))
            try:  # a dropped connection is often back at once; else the lease frees the feed later
                await self.db.arun(lambda s: feed_store.release_claim(s, claim.id, self.worker_id))
            except StoreUnavailable:
                pass
            return 0

    async def _poll_feed(self, claim: feed_store.FeedClaim) -> int:
        started = self.clock()
        try:
            result = await fetch_feed(self.session, claim.url, etag=claim.etag, last_modified=claim.last_modified,
                                      limits=self.limits, allow_private=self.settings.allow_private_urls)
        except FetchError as exc:
            await self._record_failure(claim, exc)
            return 0
        now = self.clock()
        if result.not_modified:
            await self.db.arun(lambda s: feed_store.record_success(
                s, claim.id, now, status=304, etag=result.etag, last_modified=result.last_modified,
                body_hash=None, warning=None, permanent_url=result.permanent_url, title=None, new_items=0))
            log_event(log, "feed.not_modified", feed_id=claim.id)
            return 0
        body_hash = hashlib.sha256(result.body).hexdigest()
        if body_hash == claim.body_hash:
            await self.db.arun(lambda s: feed_store.record_success(
                s, claim.id, now, status=result.status, etag=result.etag, last_modified=result.last_modified,
                body_hash=body_hash, warning=None, permanent_url=result.permanent_url, title=None, new_items=0))
            log_event(log, "feed.unchanged", feed_id=claim.id)
            return 0
        try:
            async with self._parse_slots:
                parsed = await asyncio.to_thread(parse_feed, result.body, result.url, result.content_type)
        except FetchError as exc:
            await self._record_failure(claim, exc, status=result.status)
            return 0
        items = [it for e in parsed.entries if (it := normalize_entry(e, claim.id, now)) is not None]
        if parsed.warning and not items:
            await self._record_failure(claim, FeedParseError(f"malformed feed, no usable entries: {parsed.warning}"),
                                       status=result.status)
            return 0
        backfill_s = claim.backfill_s

        def store(s: object) -> list[int]:
            new_ids = item_store.insert_new_items(s, claim.id, items, first_poll=claim.first_poll,  # type: ignore[arg-type]
                                                  backfill_s=backfill_s, now=now)
            feed_store.record_success(s, claim.id, now, status=result.status, etag=result.etag,  # type: ignore[arg-type]
                                      last_modified=result.last_modified, body_hash=body_hash,
                                      warning=parsed.warning, permanent_url=result.permanent_url,
                                      title=parsed.title, new_items=len(new_ids))
            return new_ids

        new_ids = await self._store_with_retry(store)
        took_ms = int((self.clock() - started).total_seconds() * 1000)
        log_event(log, "feed.polled", feed_id=claim.id, status=result.status, entries=len(parsed.entries),
                  new=len(new_ids), warning=parsed.warning or "", ms=took_ms)
        if new_ids:
            self.items_ready.set()
        return len(new_ids)

    async def _store_with_retry(self, fn: Callable[[object], list[int]]) -> list[int]:
        """Two workers may insert the same URL from two feeds at once; the loser retries and
        then sees the winner's keys."""
        import sqlalchemy as sa

        for attempt in range(3):
            try:
                return await self.db.arun(fn)  # type: ignore[arg-type]
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise
        return []

    async def _record_failure(self, claim: feed_store.FeedClaim, exc: FetchError, status: int | None = None) -> None:
        now = self.clock()
        status = getattr(exc, "status", None) or status
        retry_after = getattr(exc, "retry_after_s", None)
        disable = status == 410
        kind = getattr(exc, "code", type(exc).__name__)
        await self.db.arun(lambda s: feed_store.record_failure(
            s, claim.id, now, kind=kind, message=str(exc), status=status, retry_after_s=retry_after,
            disable=disable))
        log_event(log, "feed.disabled" if disable else "feed.failed", 30, feed_id=claim.id, kind=kind,
                  status=status or "", error=str(exc), consecutive=claim.consecutive_errors + 1)

    # -- match --------------------------------------------------------------------------------
    async def match_pending(self) -> list[str]:
        """Match every unmatched item; returns the ids of the outbox rows created."""
        created: list[str] = []
        while True:
            active = self.holder.active
            now = self.clock()
            n, ids = await self.db.arun(
                lambda s, a=active, t=now: match_batch(s, a, t, skip_locked=self.db.is_postgres))  # type: ignore[misc]
            created += ids
            if ids:
                self.alerts_ready.set()
            if n == 0:
                return created

    # -- deliver ------------------------------------------------------------------------------
    async def deliver_due(self) -> int:
        return await self.deliverer.deliver_due()

    async def settle(self, alert_ids: list[str]) -> None:
        await self.deliverer.settle(alert_ids)

    # -- one cycle ----------------------------------------------------------------------------
    async def run_once(self) -> dict[str, int]:
        """`monitor poll --once`: every enabled feed, then match, then deliver what was created."""
        await asyncio.to_thread(self.sync_feeds)
        ids = [f.id for f in self.holder.active.config.feeds if f.enabled]
        claims = await self.claim_due_feeds(limit=max(1, len(ids)), ids=ids)
        results = await asyncio.gather(*(self.poll_feed(c) for c in claims))
        created = await self.match_pending()
        await self.settle(created)
        return {"feeds": len(claims), "new_items": sum(results), "alerts": len(created)}
