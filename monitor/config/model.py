"""The watch config: feeds, destinations, subscriptions (and, from topics.py, entities, topics).

Models forbid unknown keys so a typo is an error with its location, not a silently ignored
setting. Cross-references (a subscription naming an unknown topic) are checked in
`cross_check`, after the schema, so each error can point at the exact key.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from monitor.config.durations import Duration
from monitor.config.topics import EntitySpec, Severity, TopicSpec, check_topic_references

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.strip()


class FeedSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    url: str
    name: str | None = None
    interval_s: Duration = Field(default=900.0, alias="interval", ge=5.0)
    enabled: bool = True
    tags: list[str] = Field(default_factory=list)
    backfill_s: Duration = Field(default=48 * 3600.0, alias="backfill")
    lang: str | None = None

    _check_url = field_validator("url")(classmethod(lambda cls, v: _http_url(v)))


class RetrySpec(Strict):
    attempts: int = Field(ge=1, le=100)
    backoff_s: Duration = Field(default=5.0, alias="backoff", gt=0)
    max_backoff_s: Duration = Field(default=86400.0, alias="max_backoff", gt=0)


DestinationKind = Literal["webhook", "slack", "console", "teams", "discord", "apprise"]


class DestinationSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: DestinationKind
    url: str | None = None
    secret: str | None = None
    enabled: bool = True
    retry: RetrySpec | None = None
    rate_limit_per_s: float | None = Field(default=None, alias="rate_limit", gt=0)
    timeout_s: Duration = Field(default=10.0, alias="timeout", gt=0, le=120)

    @model_validator(mode="after")
    def _url_required(self) -> DestinationSpec:
        if self.type == "console":
            return self
        if not self.url:
            raise ValueError(f"a {self.type} destination needs a url")
        if self.type == "apprise":
            from alerts.transports.apprise import apprise_url_error

            if (problem := apprise_url_error(self.url)) is not None:
                raise ValueError(problem)
            return self
        _http_url(self.url)
        if self.secret is not None and self.type == "webhook":
            from alerts.sign import check_secret

            check_secret(self.secret)
        return self


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class QuietHours(Strict):
    start: str
    end: str
    timezone: str = "UTC"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not _HHMM.match(v):
            raise ValueError(f"{v!r} is not a time of day like 22:00")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not a time zone name like Europe/London") from None
        return v


class SubscriptionSpec(Strict):
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    destination: str
    topics: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    mode: Literal["instant", "digest"] = "instant"
    schedule: str | None = None  # cron expression, digest mode
    min_severity: Severity = "low"
    quiet_hours: QuietHours | None = None

    @model_validator(mode="after")
    def _digest_needs_schedule(self) -> SubscriptionSpec:
        if self.mode == "digest":
            if not self.schedule:
                raise ValueError("a digest subscription needs a schedule (cron, e.g. '0 8 * * *')")
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(self.schedule)
            except ValueError as exc:
                raise ValueError(f"schedule {self.schedule!r} is not a cron expression: {exc}") from None
        return self

    def key(self, index: int) -> str:
        """Stable identity of the subscription in the outbox: explicit id, else destination + index."""
        return self.id or f"{self.destination}#{index}"

    def wants(self, topic: str, severity: str) -> bool:
        if SEVERITY_RANK.get(severity, 1) < SEVERITY_RANK[self.min_severity]:
            return False
        return "*" in self.topics or topic in self.topics


class WatchConfig(Strict):
    feeds: list[FeedSpec] = Field(default_factory=list)
    entities: list[EntitySpec] = Field(default_factory=list)
    topics: list[TopicSpec] = Field(default_factory=list)
    destinations: list[DestinationSpec] = Field(default_factory=list)
    subscriptions: list[SubscriptionSpec] = Field(default_factory=list)

    def feed(self, feed_id: str) -> FeedSpec | None:
        return next((f for f in self.feeds if f.id == feed_id), None)

    def destination(self, dest_id: str) -> DestinationSpec | None:
        return next((d for d in self.destinations if d.id == dest_id), None)


def cross_check(cfg: WatchConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """Errors the schema cannot see: duplicate ids and references to things that do not exist."""
    errors: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("feeds", "entities", "topics", "destinations", "subscriptions"):
        seen: dict[str, int] = {}
        for i, obj in enumerate(getattr(cfg, key)):
            oid = getattr(obj, "id", None)
            if oid is None:
                continue
            if oid in seen:
                errors.append(((key, i, "id"), f"duplicate id {oid!r} (first at {key}[{seen[oid]}])"))
            else:
                seen[oid] = i
    seen_urls: dict[str, int] = {}
    for i, f in enumerate(cfg.feeds):
        if f.url in seen_urls:
            errors.append((("feeds", i, "url"), f"same url as feeds[{seen_urls[f.url]}]"))
        seen_urls.setdefault(f.url, i)
    errors += check_topic_references(cfg.entities, cfg.topics)
    topic_ids = {t.id for t in cfg.topics}
    dest_ids = {d.id for d in cfg.destinations}
    sub_keys: set[str] = set()
    for i, s in enumerate(cfg.subscriptions):
        if s.destination not in dest_ids:
            errors.append((("subscriptions", i, "destination"), f"unknown destination {s.destination!r}"))
        for j, t in enumerate(s.topics):
            if t != "*" and t not in topic_ids:
                errors.append((("subscriptions", i, "topics", j), f"unknown topic {t!r}"))
        if s.key(i) in sub_keys:
            errors.append((("subscriptions", i, "id"), f"duplicate subscription id {s.key(i)!r}"))
        sub_keys.add(s.key(i))
    return errors
