"""The delivery stage: claim due outbox rows, send them through `alerts`, record outcomes.

One sequential sender per destination: it paces sends to the destination's rate limit (Slack's
incoming webhooks take about one message per second), stops at an open circuit, and never lets
a slow receiver hold up another destination. Rows are claimed in small batches under a short
lease, so a worker that dies mid-batch leaves only a few alerts in flight, resent within a
minute by whoever runs next (with the same webhook-id).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import aiohttp

import alerts
from alerts.delivery import DEFAULT_POLICY, DEFAULT_RATE_PER_S, RetryPolicy, rate_wait_s
from alerts.model import Outcome
from monitor import digests
from monitor.config.model import DestinationSpec
from monitor.configstate import ConfigHolder
from monitor.logs import get_logger, log_event
from monitor.outbox import alert_from_row, to_destination
from monitor.settings import Settings
from monitor.store import alerts as alert_store
from monitor.store.db import Database, StoreUnavailable
from monitor.store.tables import Alert, DestinationState

log = get_logger(__name__)
CLAIM_BATCH = 20
# A burst for a rate-limited destination (more than ROLLUP_AFTER new alerts due at once) is sent as
# roll-ups of ROLLUP_SIZE alerts each: one message instead of ten, and minutes instead of an hour.
ROLLUP_AFTER = 30
ROLLUP_SIZE = 10
SETTLE_WAIT_S = 5.0  # poll --once waits out retries due this soon ...
SETTLE_RATE_LIMIT_WAIT_S = 65.0  # ... and receivers' rate limits (429 + Retry-After) up to this
ORPHAN_GRACE_S = 60.0  # a worker on an older config has reloaded within this; then its orphans are cancelled


def policy_for(spec: DestinationSpec) -> RetryPolicy:
    if spec.retry is None:
        return DEFAULT_POLICY
    return RetryPolicy.exponential(spec.retry.attempts, spec.retry.backoff_s, spec.retry.max_backoff_s)


def rate_for(spec: DestinationSpec) -> float | None:
    return spec.rate_limit_per_s or DEFAULT_RATE_PER_S.get(spec.type)


class Deliverer:
    def __init__(self, db: Database, settings: Settings, holder: ConfigHolder, session: aiohttp.ClientSession,
                 worker_id: str, *, clock: Callable[[], datetime]) -> None:
        self.db, self.settings, self.holder, self.session = db, settings, holder, session
        self.worker_id, self.clock = worker_id, clock
        self._last_send: dict[str, float] = {}  # monotonic time of the last send per destination
        self._senders: dict[str, asyncio.Task[int]] = {}

    def _sendable(self, now: datetime) -> dict[str, int]:
        """Destinations we may claim for now, with how many rows to claim (1 = circuit probe)."""
        cfg = self.holder.active.config
        known = [d.id for d in cfg.destinations]
        reason = "destination removed from config"
        for alert_id in self.db.run(lambda s: alert_store.cancel_orphans(
                s, known, now, now - timedelta(seconds=ORPHAN_GRACE_S), reason)):
            log_event(log, "alert.cancelled", 30, alert_id=alert_id, reason=reason)
        states = self.db.run(alert_store.destination_states)
        out: dict[str, int] = {}
        for d in cfg.destinations:
            st = states.get(d.id)
            if not d.enabled or (st and st.disabled_reason):
                continue
            if st and st.circuit_open_until and st.circuit_open_until > now:
                continue
            probing = st is not None and st.consecutive_failures >= alert_store.CIRCUIT_FAILURES
            out[d.id] = 1 if probing else CLAIM_BATCH
        return out

    async def deliver_due(self) -> int:
        """Start a sender for each destination that has due rows and none running; returns how
        many destinations got a sender. Senders run until their destination has nothing due."""
        try:
            sendable = await asyncio.to_thread(self._sendable, self.clock())
        except StoreUnavailable as exc:
            log_event(log, "delivery.store_unavailable", 40, error=str(exc))
            return 0
        started = 0
        for dest_id, batch in sendable.items():
            task = self._senders.get(dest_id)
            if task is not None and not task.done():
                continue
            self._senders[dest_id] = asyncio.create_task(self._run_sender(dest_id, batch), name=f"send:{dest_id}")
            started += 1
        return started

    async def wait_senders(self) -> None:
        tasks = [t for t in self._senders.values() if not t.done()]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _run_sender(self, dest_id: str, batch: int) -> int:
        sent = 0
        while True:
            now = self.clock()
            try:
                await self._roll_up(dest_id, batch, now)
                claimed = await self.db.arun(lambda s, now=now: alert_store.claim_due_alerts(  # type: ignore[misc]
                    s, now, self.worker_id, self.settings.lease_s, batch, [dest_id],
                    skip_locked=self.db.is_postgres))
            except StoreUnavailable as exc:
                log_event(log, "delivery.store_unavailable", 40, destination=dest_id, error=str(exc))
                return sent
            if not claimed:
                return sent
            lease_until = now + timedelta(seconds=self.settings.lease_s)
            held = {r.id for r in claimed}
            for i, row in enumerate(claimed):
                lease_until, held = await self._keep_lease(dest_id, claimed[i:], lease_until, held)
                if row.id not in held:
                    continue  # our lease ran out and another worker holds it now: it sends it
                status = await self._send_one(dest_id, row)
                sent += 1
                if status == "stop" or batch == 1:
                    rest = [r.id for r in claimed[i + 1:]]
                    if rest:
                        await self.db.arun(lambda s, ids=rest: alert_store.release_rows(  # type: ignore[misc]
                            s, ids, self.worker_id))
                    return sent

    async def _roll_up(self, dest_id: str, batch: int, now: datetime) -> None:
        """Fold a burst of new alerts for a paced destination into roll-ups (not while probing a
        failing one: the probe is a single row)."""
        spec = self.holder.active.config.destination(dest_id)
        if spec is None or batch == 1 or rate_for(spec) is None:
            return
        ids = await self.db.arun(lambda s: digests.roll_up_backlog(
            s, dest_id, now, ROLLUP_AFTER, ROLLUP_SIZE, skip_locked=self.db.is_postgres))
        for digest_id in ids:
            log_event(log, "alert.rolled_up", alert_id=digest_id, destination=dest_id)

    async def _keep_lease(self, dest_id: str, pending: list[alert_store.ClaimedAlert], lease_until: datetime,
                          held: set[str]) -> tuple[datetime, set[str]]:
        """Renew the claim on the rows still queued here before it could expire mid-send, so a
        batch of slow sends never outlives its lease (else another worker would send them too)."""
        spec = self.holder.active.config.destination(dest_id)
        margin_s = (spec.timeout_s if spec else 10.0) + 5.0
        now = self.clock()
        if (lease_until - now).total_seconds() >= margin_s:
            return lease_until, held
        until = now + timedelta(seconds=max(self.settings.lease_s, margin_s))
        ids = [r.id for r in pending if r.id in held]
        held = await self.db.arun(lambda s: alert_store.extend_leases(s, ids, self.worker_id, until))
        return until, held

    async def _pace(self, spec: DestinationSpec) -> None:
        wait = rate_wait_s(self._last_send.get(spec.id), time.monotonic(), rate_for(spec))
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_send[spec.id] = time.monotonic()

    async def _send_one(self, dest_id: str, row: alert_store.ClaimedAlert) -> str:
        spec = self.holder.active.config.destination(dest_id)
        if spec is None or not spec.enabled:
            await self.db.arun(lambda s: _cancel(s, row.id, "destination removed from config"))
            log_event(log, "alert.cancelled", 30, alert_id=row.id, destination=dest_id)
            return "cancelled"
        alert = alert_from_row(alert_id=row.id, event_type=row.event_type, story_id=row.story_id,
                               topic=row.topic, severity=row.severity, score=row.score,
                               payload=row.payload, created_at=row.created_at)
        await self._pace(spec)
        try:
            outcome = await alerts.deliver(self.session, to_destination(spec), alert, self.clock())
        except Exception as exc:  # a bug in a renderer must not kill the sender; the row retries
            outcome = Outcome("retry", error=f"{type(exc).__name__}: {exc}")
            log_event(log, "alert.send_crashed", 40, alert_id=row.id, destination=dest_id, error=str(exc))
        now = self.clock()
        new_status = await self.db.arun(lambda s: alert_store.record_outcome(
            s, row.id, outcome, now, policy_for(spec), random.random(), self.worker_id))
        event = {"delivered": "alert.delivered", "dead": "alert.dead_lettered"}.get(new_status, "alert.retry")
        log_event(log, event, 20 if outcome.ok else 30, alert_id=row.id, destination=dest_id,
                  attempt=row.attempts + 1, status=outcome.status or "", error=outcome.error or "",
                  ms=outcome.duration_ms)
        if outcome.kind == "gone":
            log_event(log, "destination.disabled", 40, destination=dest_id,
                      reason="receiver answered 410 Gone; replay its dead letters to re-enable")
            return "stop"
        if outcome.kind == "retry" and outcome.status != 429:
            states = await self.db.arun(alert_store.destination_states)
            st = states.get(dest_id)
            if st and st.circuit_open_until and st.circuit_open_until > now:
                log_event(log, "destination.circuit_open", 30, destination=dest_id,
                          until=st.circuit_open_until.isoformat())
                return "stop"
        return new_status

    async def settle(self, alert_ids: list[str]) -> None:
        """Deliver until every alert of `alert_ids` is delivered, dead, or waits for a retry
        further away than we are willing to wait in one cycle."""
        while True:
            await self.deliver_due()
            await self.wait_senders()
            open_rows = await self.db.arun(lambda s: alert_store.open_alert_ids(s, alert_ids))
            if not open_rows:
                return
            states = await self.db.arun(alert_store.destination_states)
            now = self.clock()
            waits = [r.next_attempt_at for r in open_rows
                     if r.status == "pending" and _worth_waiting(r, states.get(r.destination_id), now)]
            if not waits:
                return
            await asyncio.sleep(max(0.05, min((min(waits) - now).total_seconds(), SETTLE_RATE_LIMIT_WAIT_S)))

    async def shutdown(self) -> None:
        for t in self._senders.values():
            t.cancel()
        await asyncio.gather(*self._senders.values(), return_exceptions=True)
        n = await self.db.arun(lambda s: alert_store.release_claims(s, self.worker_id))
        if n:
            log_event(log, "delivery.released", alerts=n)


def _worth_waiting(row: Alert, st: DestinationState | None, now: datetime) -> bool:
    if st and (st.disabled_reason or (st.circuit_open_until and st.circuit_open_until > now)):
        return False
    limit = SETTLE_RATE_LIMIT_WAIT_S if row.last_status == 429 else SETTLE_WAIT_S
    return row.next_attempt_at <= now + timedelta(seconds=limit)


def _cancel(s: object, alert_id: str, reason: str) -> None:
    row = s.get(Alert, alert_id)  # type: ignore[attr-defined]
    if row is not None:
        row.status, row.last_error, row.claimed_by, row.claimed_until = "cancelled", reason, None, None
        s.add(row)  # type: ignore[attr-defined]
