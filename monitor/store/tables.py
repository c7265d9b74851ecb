"""Tables. One row type per aggregate: feed (and its fetch state), item (and its dedup keys),
match, story, alert (the outbox), delivery attempt, destination state.

Timestamps are stored as naive UTC and returned as aware UTC (`UTCDateTime`), so SQLite and
PostgreSQL behave the same and no code compares naive with aware datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(nullable: bool = True, index: bool = False) -> sa.Column[datetime]:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


class Feed(SQLModel, table=True):
    __tablename__ = "feeds"
    id: str = Field(primary_key=True, max_length=200)
    url: str  # where we fetch now (a permanent redirect updates it)
    config_url: str  # the url in config; when the operator changes it, fetch state resets
    enabled: bool = True
    interval_s: float = 900.0
    backfill_s: float = 172800.0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    title: str | None = None
    health: str = Field(default="ok", max_length=16)  # ok | warning | failing | disabled
    last_status: int | None = None
    last_error: str | None = None
    last_error_kind: str | None = Field(default=None, max_length=40)
    consecutive_errors: int = 0
    disabled_reason: str | None = None
    next_poll_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    last_polled_at: datetime | None = Field(default=None, sa_column=_ts())
    first_polled_at: datetime | None = Field(default=None, sa_column=_ts())
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    claimed_by: str | None = None
    items_seen: int = 0


class Item(SQLModel, table=True):
    __tablename__ = "items"
    id: int | None = Field(default=None, primary_key=True)
    feed_id: str = Field(index=True, max_length=200)
    guid: str | None = None
    url: str
    canonical_url: str = Field(index=True)
    title: str
    summary: str = ""
    lang: str | None = Field(default=None, max_length=16)
    published: datetime = Field(sa_column=_ts(nullable=False))
    dated: bool = True
    fetched_at: datetime = Field(sa_column=_ts(nullable=False))
    content_hash: str = Field(index=True, max_length=64)
    silent: bool = False  # stored by first-poll backfill rules: never alerts
    matched_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    story_id: str | None = Field(default=None, index=True, max_length=40)


class DedupKey(SQLModel, table=True):
    """guid / canonical-URL keys of an item: the primary key makes "seen before" atomic."""

    __tablename__ = "dedup_keys"
    key: str = Field(primary_key=True, max_length=512)
    item_id: int = Field(foreign_key="items.id", index=True)


class Story(SQLModel, table=True):
    __tablename__ = "stories"
    id: str = Field(primary_key=True, max_length=40)
    first_item_id: int = Field(foreign_key="items.id")
    title_key: str  # normalized headline used for near-duplicate comparison
    content_hash: str = Field(default="", max_length=64, index=True)
    entities: str = "[]"  # JSON list of entity ids seen in the first item
    topics: str = "[]"  # JSON list of topic ids
    item_count: int = 1
    outlets: str = "[]"  # JSON list of feed ids that carried it
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    last_item_at: datetime = Field(sa_column=_ts(nullable=False))


class Match(SQLModel, table=True):
    __tablename__ = "matches"
    __table_args__ = (sa.UniqueConstraint("item_id", "topic", name="uq_match_item_topic"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="items.id", index=True)
    topic: str = Field(max_length=200)
    score: int
    severity: str = Field(max_length=16)
    evidence: str = "[]"  # JSON
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class Alert(SQLModel, table=True):
    """The outbox. `id` is the Standard Webhooks `webhook-id`: fixed at insert, reused on retry."""

    __tablename__ = "alerts"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "topic", "subscription_key", name="uq_alert_item_topic_sub"),
        sa.Index("ix_alerts_due", "status", "next_attempt_at"),
    )
    id: str = Field(primary_key=True, max_length=64)
    item_id: int = Field(foreign_key="items.id", index=True)
    story_id: str = Field(max_length=40, index=True)
    topic: str = Field(max_length=200)
    subscription_key: str = Field(max_length=300)
    destination_id: str = Field(max_length=200, index=True)
    event_type: str = Field(max_length=32)  # alert.created | story.updated | digest
    severity: str = Field(max_length=16)
    score: int
    # pending -> delivering -> delivered | dead | cancelled; held (quiet hours / digest) -> pending
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_ts(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    claimed_by: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    payload: str  # JSON snapshot of what to send, so a config edit cannot change a queued alert
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=_ts())


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempts"
    id: int | None = Field(default=None, primary_key=True)
    alert_id: str = Field(foreign_key="alerts.id", index=True, max_length=64)
    attempt: int
    at: datetime = Field(sa_column=_ts(nullable=False))
    outcome: str = Field(max_length=16)  # delivered | retry | failed | gone
    status: int | None = None
    error: str | None = None
    duration_ms: int = 0


class DestinationState(SQLModel, table=True):
    """Per-destination send state shared by all workers: rate limit slot, circuit, 410."""

    __tablename__ = "destination_state"
    id: str = Field(primary_key=True, max_length=200)
    disabled_reason: str | None = None
    next_send_at: datetime | None = Field(default=None, sa_column=_ts())
    consecutive_failures: int = 0
    circuit_open_until: datetime | None = Field(default=None, sa_column=_ts())
