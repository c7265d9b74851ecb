"""The worker's clock: APScheduler ticks, the database decides what is due.

A short tick claims due feeds (a lease in the feeds table, so several workers never poll one
feed at once) and starts their polls as tasks, bounded by a semaphore. Stage consumers wait on
in-process events with a short timeout, so work made by another process is found too.
"""

from __future__ import annotations

import asyncio
import contextlib

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.digests import schedule_digests
from monitor.logs import get_logger, log_event
from monitor.pipeline import Pipeline
from monitor.store.db import StoreUnavailable

log = get_logger(__name__)
MAX_CONCURRENT_POLLS = 16
CONSUMER_POLL_S = 2.0


class Worker:
    def __init__(self, pipeline: Pipeline) -> None:
        self.p = pipeline
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._polls: set[asyncio.Task[int]] = set()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_POLLS)
        self._stopping = asyncio.Event()
        self._consumers: list[asyncio.Task[None]] = []

    async def tick(self) -> None:
        free = MAX_CONCURRENT_POLLS - len(self._polls)
        if free <= 0 or self._stopping.is_set():
            return
        try:
            claims = await self.p.claim_due_feeds(limit=free)
        except StoreUnavailable as exc:
            log_event(log, "scheduler.store_unavailable", 40, error=str(exc))
            return
        for claim in claims:
            task = asyncio.create_task(self._poll(claim), name=f"poll:{claim.id}")
            self._polls.add(task)
            task.add_done_callback(self._polls.discard)

    async def _poll(self, claim: object) -> int:
        async with self._slots:
            return await self.p.poll_feed(claim)  # type: ignore[arg-type]

    async def check_config(self) -> None:
        if await asyncio.to_thread(self.p.holder.reload_if_changed):
            try:
                await asyncio.to_thread(self.p.sync_feeds)
            except StoreUnavailable as exc:
                log_event(log, "config.sync_failed", 40, error=str(exc))
            schedule_digests(self.scheduler, self.p)
            self.p.items_ready.set()

    async def _consume(self, event: asyncio.Event, work: object, name: str) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), CONSUMER_POLL_S)
            event.clear()
            try:
                await work()  # type: ignore[operator]
            except StoreUnavailable as exc:
                log_event(log, f"{name}.store_unavailable", 40, error=str(exc))
            except Exception:
                log.exception(f"{name}.crashed")
                await asyncio.sleep(1.0)

    async def start(self) -> None:
        await asyncio.to_thread(self.p.sync_feeds)
        self.scheduler.add_job(self.tick, "interval", seconds=self.p.settings.tick_s, id="tick",
                               max_instances=1, coalesce=True, misfire_grace_time=None)
        self.scheduler.add_job(self.check_config, "interval", seconds=self.p.settings.config_reload_s,
                               id="config", max_instances=1, coalesce=True)
        schedule_digests(self.scheduler, self.p)
        self.scheduler.start()
        self._consumers = [
            asyncio.create_task(self._consume(self.p.items_ready, self.p.match_pending, "match")),
            asyncio.create_task(self._consume(self.p.alerts_ready, self.p.deliver_due, "delivery")),
        ]
        self.p.items_ready.set()
        self.p.alerts_ready.set()
        log_event(log, "worker.started", worker=self.p.worker_id, feeds=len(self.p.holder.active.config.feeds))
        await self.tick()

    async def stop(self) -> None:
        """Graceful: stop claiming, cancel polls (their leases expire), hand back in-flight alerts."""
        self._stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for t in list(self._polls) + self._consumers:
            t.cancel()
        await asyncio.gather(*self._polls, *self._consumers, return_exceptions=True)
        await self.p.deliverer.shutdown()
        log_event(log, "worker.stopped", worker=self.p.worker_id)
