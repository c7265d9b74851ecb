"""Retry, backoff and rate-limit policy for deliveries (pure: time and randomness passed in).

The outbox loop in `monitor` owns the state (attempt counts, next-attempt times, dead-letter
list); this module only answers "how long until the next try, if any" so the policy can be
tested without clocks or servers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A receiver asking us to wait longer than this is treated as asking for a day: a bogus
# Retry-After must not park an alert for years.
MAX_RETRY_AFTER_S = 86_400.0


@dataclass(frozen=True)
class RetryPolicy:
    """`schedule_s[i]` is the delay before attempt i+2; `len(schedule_s) + 1` attempts in all.

    jitter spreads each delay by +-jitter (0.1 = +-10%) so a receiver that comes back after an
    outage is not hit by every queued alert in the same second.
    """

    schedule_s: tuple[float, ...]
    jitter: float = 0.1
    max_retry_after_s: float = MAX_RETRY_AFTER_S

    def __post_init__(self) -> None:
        if any(not math.isfinite(d) or d < 0 for d in self.schedule_s):
            raise ValueError("retry delays must be finite and >= 0")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")

    @classmethod
    def exponential(cls, attempts: int, backoff_s: float, max_backoff_s: float) -> RetryPolicy:
        """`attempts` tries in all, waiting backoff_s, 2*backoff_s, ... capped at max_backoff_s."""
        if attempts < 1:
            raise ValueError("attempts must be >= 1")
        schedule = tuple(min(backoff_s * 2**i, max_backoff_s) for i in range(attempts - 1))
        return cls(schedule_s=schedule)

    @property
    def max_attempts(self) -> int:
        return len(self.schedule_s) + 1

    @property
    def horizon_s(self) -> float:
        """Nominal time from the first attempt to the last (before jitter and Retry-After)."""
        return float(sum(self.schedule_s))


# Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h
# (about 3.5 days in all), long enough to ride out a receiver's weekend outage.
DEFAULT_POLICY = RetryPolicy(schedule_s=(5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400))


def next_delay_s(
    policy: RetryPolicy, attempts_made: int, retry_after_s: float | None, rand: float
) -> float | None:
    """Seconds to wait before the next attempt, or None when attempts are used up (dead-letter).

    `rand` in [0, 1) comes from the caller so the result is deterministic under test. A
    Retry-After from the receiver is honoured (never sooner than it asks) but capped.
    """
    if attempts_made < 1:
        raise ValueError("attempts_made counts the attempts already made (>= 1)")
    if attempts_made >= policy.max_attempts:
        return None
    base = policy.schedule_s[attempts_made - 1]
    rand = min(max(rand, 0.0), 1.0)
    delay = base * (1 + policy.jitter * (2 * rand - 1))
    if retry_after_s is not None and math.isfinite(retry_after_s) and retry_after_s > 0:
        delay = max(delay, min(retry_after_s, policy.max_retry_after_s))
    return delay


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header: delta-seconds ("120", leniently "1.5") or an HTTP date.

    Junk, negative or non-finite values give None (fall back to the schedule); a date in the
    past gives 0.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


# Messages per second a destination type accepts before it starts answering 429. Slack
# incoming webhooks allow about one per second; Discord webhooks about 30 a minute per channel;
# Teams connectors throttle a few per second. Plain webhooks are not limited by default.
DEFAULT_RATE_PER_S: dict[str, float] = {"slack": 1.0, "discord": 0.5, "teams": 1.0}


def rate_per_s(destination_type: str, options: Mapping[str, object]) -> float | None:
    """The send rate for a destination: `options["rate_per_s"]` if set, else the type default."""
    override = options.get("rate_per_s")
    if isinstance(override, int | float) and not isinstance(override, bool) and override > 0:
        return float(override)
    return DEFAULT_RATE_PER_S.get(destination_type)


def rate_wait_s(last_sent_s: float | None, now_s: float, rate: float | None) -> float:
    """Seconds to wait before the next send so sends stay at most `rate` per second."""
    if rate is None or last_sent_s is None:
        return 0.0
    return max(0.0, last_sent_s + 1.0 / rate - now_s)
