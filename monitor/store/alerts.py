"""The alert outbox: rows written with their match, claimed by a delivering worker under a
short lease, finished with an outcome. Retries and dead letters are rows, not memory, so a
restart resumes exactly where the last process stopped (with the same webhook-id).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from alerts.delivery import RetryPolicy, next_delay_s
from alerts.model import Outcome
from monitor.store.tables import Alert, DeliveryAttempt, DestinationState

FINAL = ("delivered", "dead", "cancelled", "digested")
CIRCUIT_FAILURES = 5
CIRCUIT_OPEN_S = 60.0


def new_alert_id() -> str:
    return "msg_" + uuid.uuid4().hex


def has_created_alert(s: Session, story_id: str, topic: str, subscription_key: str) -> bool:
    q = select(Alert.id).where(Alert.story_id == story_id, Alert.topic == topic,
                               Alert.subscription_key == subscription_key,
                               Alert.event_type == "alert.created").limit(1)
    return s.exec(q).first() is not None


@dataclass(frozen=True)
class ClaimedAlert:
    id: str
    destination_id: str
    event_type: str
    attempts: int
    payload: str
    story_id: str
    topic: str
    severity: str
    score: int
    created_at: datetime


def claim_due_alerts(s: Session, now: datetime, worker: str, lease_s: float, limit: int,
                     destination_ids: list[str], skip_locked: bool = False) -> list[ClaimedAlert]:
    """Pending alerts that are due, plus in-flight ones whose worker's lease ran out (it died)."""
    q = (select(Alert)
         .where(col(Alert.destination_id).in_(destination_ids),
                sa.or_(sa.and_(Alert.status == "pending", col(Alert.next_attempt_at) <= now),
                       sa.and_(Alert.status == "delivering", col(Alert.claimed_until) < now)))
         .order_by(col(Alert.next_attempt_at), col(Alert.created_at)).limit(limit))
    if skip_locked:
        q = q.with_for_update(skip_locked=True)
    out = []
    for row in s.exec(q).all():
        row.status, row.claimed_by = "delivering", worker
        row.claimed_until = now + timedelta(seconds=lease_s)
        s.add(row)
        out.append(ClaimedAlert(row.id, row.destination_id, row.event_type, row.attempts, row.payload,
                                row.story_id, row.topic, row.severity, row.score, row.created_at))
    return out


def _held_by(worker: str) -> sa.ColumnElement[bool]:
    return sa.and_(col(Alert.claimed_by) == worker, Alert.status == "delivering")


def extend_leases(s: Session, alert_ids: list[str], worker: str, until: datetime) -> set[str]:
    """Push the lease of the rows this worker still holds; returns their ids. A row missing from
    the answer was reclaimed by another worker (our lease ran out): that worker sends it."""
    s.exec(sa.update(Alert).where(col(Alert.id).in_(alert_ids), _held_by(worker))  # type: ignore[call-overload]
           .values(claimed_until=until))
    return set(s.exec(select(Alert.id).where(col(Alert.id).in_(alert_ids), _held_by(worker))).all())


def release_rows(s: Session, alert_ids: list[str], worker: str) -> None:
    """Hand back rows claimed but not sent; only ours, never rows another worker reclaimed."""
    s.exec(sa.update(Alert).where(col(Alert.id).in_(alert_ids), _held_by(worker))  # type: ignore[call-overload]
           .values(status="pending", claimed_by=None, claimed_until=None))


def record_outcome(s: Session, alert_id: str, outcome: Outcome, now: datetime, policy: RetryPolicy,
                   rand: float, worker: str | None = None) -> str:
    """Store one attempt and move the alert on. Returns its new status. With `worker`, a row that
    another worker has reclaimed meanwhile keeps its state (the attempt is still logged), so a
    late answer cannot overwrite the newer claim; a delivery is always recorded."""
    row = s.get(Alert, alert_id)
    if row is None:
        return "missing"
    if worker is not None and row.claimed_by not in (None, worker) and outcome.kind != "delivered":
        s.add(DeliveryAttempt(alert_id=alert_id, attempt=row.attempts + 1, at=now, outcome=outcome.kind,
                              status=outcome.status, error=(outcome.error or "")[:500] or None,
                              duration_ms=outcome.duration_ms))
        return row.status
    row.attempts += 1
    s.add(DeliveryAttempt(alert_id=alert_id, attempt=row.attempts, at=now, outcome=outcome.kind,
                          status=outcome.status, error=(outcome.error or "")[:500] or None,
                          duration_ms=outcome.duration_ms))
    row.last_status, row.last_error = outcome.status, (outcome.error or "")[:500] or None
    row.claimed_until = row.claimed_by = None
    if outcome.kind == "delivered":
        row.status, row.delivered_at = "delivered", now
    elif outcome.kind == "retry":
        delay = next_delay_s(policy, row.attempts, outcome.retry_after_s, rand)
        if delay is None:
            row.status = "dead"
        else:
            row.status, row.next_attempt_at = "pending", now + timedelta(seconds=delay)
    else:  # failed (permanent) or gone: dead-lettered at once, replayable by an operator
        row.status = "dead"
    s.add(row)
    _update_destination(s, row.destination_id, outcome, now)
    return row.status


def _update_destination(s: Session, dest_id: str, outcome: Outcome, now: datetime) -> None:
    st = s.get(DestinationState, dest_id) or DestinationState(id=dest_id)
    if outcome.kind == "delivered":
        st.consecutive_failures, st.circuit_open_until = 0, None
    elif outcome.kind == "gone":
        st.disabled_reason = f"receiver answered 410 Gone at {now.isoformat()}"
    elif outcome.kind == "retry" and outcome.status != 429:
        st.consecutive_failures += 1
        if st.consecutive_failures >= CIRCUIT_FAILURES:
            st.circuit_open_until = now + timedelta(seconds=CIRCUIT_OPEN_S)
    s.add(st)


def release_claims(s: Session, worker: str) -> int:
    """On graceful shutdown: hand in-flight alerts back so another worker sends them at once."""
    res = s.exec(sa.update(Alert).where(col(Alert.claimed_by) == worker, Alert.status == "delivering")  # type: ignore[call-overload]
                 .values(status="pending", claimed_by=None, claimed_until=None))
    return int(res.rowcount or 0)


def cancel_orphans(s: Session, known_destinations: list[str], now: datetime, created_before: datetime,
                   reason: str) -> list[str]:
    """Cancel open alerts of destinations the config no longer has (an operator removed them), so
    they are neither left pending forever nor dropped silently. Only rows created before
    `created_before`: a worker still on an older config must not cancel what a newer one made."""
    q = select(Alert).where(col(Alert.destination_id).not_in(known_destinations),
                            col(Alert.status).not_in(FINAL), col(Alert.created_at) < created_before,
                            sa.or_(Alert.status != "delivering", col(Alert.claimed_until) < now))
    out = []
    for row in s.exec(q).all():
        row.status, row.last_error, row.claimed_by, row.claimed_until = "cancelled", reason, None, None
        s.add(row)
        out.append(row.id)
    return out


def destination_states(s: Session) -> dict[str, DestinationState]:
    return {d.id: d for d in s.exec(select(DestinationState)).all()}


def dead_letters(s: Session, destination_id: str | None = None, limit: int = 1000) -> list[Alert]:
    q = select(Alert).where(Alert.status == "dead")
    if destination_id:
        q = q.where(Alert.destination_id == destination_id)
    return list(s.exec(q.order_by(col(Alert.created_at)).limit(limit)).all())


def replay_dead(s: Session, now: datetime, destination_id: str | None = None,
                alert_ids: list[str] | None = None) -> int:
    """Re-queue dead letters with their original ids (receivers dedupe on webhook-id), and
    re-enable a destination that had been disabled by 410 if its dead letters are replayed."""
    q = sa.update(Alert).where(Alert.status == "dead")  # type: ignore[arg-type]
    if destination_id:
        q = q.where(Alert.destination_id == destination_id)  # type: ignore[arg-type]
    if alert_ids:
        q = q.where(col(Alert.id).in_(alert_ids))
    res = s.exec(q.values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None,  # type: ignore[call-overload]
                          claimed_by=None))
    dq = sa.update(DestinationState)
    if destination_id:
        dq = dq.where(DestinationState.id == destination_id)  # type: ignore[arg-type]
    s.exec(dq.values(disabled_reason=None, consecutive_failures=0, circuit_open_until=None))  # type: ignore[call-overload]
    return int(res.rowcount or 0)


def open_alert_ids(s: Session, ids: list[str]) -> list[Alert]:
    """Alerts of `ids` that are not final yet (for `poll --once` to know when it is done)."""
    out: list[Alert] = []
    for i in range(0, len(ids), 400):
        q = select(Alert).where(col(Alert.id).in_(ids[i:i + 400]), col(Alert.status).not_in(FINAL))
        out.extend(s.exec(q).all())
    return out


def status_counts(s: Session) -> dict[str, int]:
    rows = s.exec(select(Alert.status, sa.func.count()).group_by(Alert.status)).all()  # type: ignore[call-overload]
    return {status: int(n) for status, n in rows}
