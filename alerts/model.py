"""Plain values that cross the boundary between the monitor and the alert senders.

`alerts` never imports `monitor`: the outbox loop turns its rows into these frozen objects,
hands them to `alerts.deliver`, and stores the `Outcome` it gets back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

EventType = Literal["alert.created", "story.updated", "digest"]


@dataclass(frozen=True)
class Evidence:
    """Why an item matched: the rule that fired, the alias it used and the text it saw."""

    rule: str
    alias: str
    text: str
    score: int

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "alias": self.alias, "text": self.text, "score": self.score}


@dataclass(frozen=True)
class AlertItem:
    title: str
    url: str  # the link as published
    canonical_url: str
    feed: str  # feed id
    published: datetime | None  # timezone-aware UTC
    summary: str = ""
    feed_title: str = ""


@dataclass(frozen=True)
class Alert:
    """One event for one destination. `alert_id` doubles as the Standard Webhooks `webhook-id`:
    it is fixed when the outbox row is written, so retries and restarts reuse it."""

    alert_id: str
    event_type: EventType
    story_id: str
    topic: str
    topic_name: str
    severity: str  # low | medium | high | critical
    score: int  # 0-100
    item: AlertItem
    evidence: tuple[Evidence, ...] = ()
    created_at: datetime | None = None
    also_reported_by: tuple[str, ...] = ()  # feed ids / outlet names of later copies of the story
    # digest events only: the alerts gathered in one message
    digest_items: tuple[Alert, ...] = ()


DestinationType = Literal["webhook", "slack", "console"]


@dataclass(frozen=True)
class Destination:
    """Where alerts go. `secret` is the Standard Webhooks secret (`whsec_...`) for webhooks."""

    id: str
    type: str
    url: str | None = None
    secret: str | None = None
    timeout_s: float = 10.0
    options: Mapping[str, object] = field(default_factory=dict)


OutcomeKind = Literal["delivered", "retry", "failed", "gone"]


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did.

    kind: delivered (2xx); retry (worth trying again: 5xx, 429, timeouts, connection errors);
    failed (permanent: 4xx other than 408/429, 3xx, refused URL); gone (410: disable destination).
    """

    kind: OutcomeKind
    status: int | None = None
    retry_after_s: float | None = None
    error: str | None = None
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.kind == "delivered"
