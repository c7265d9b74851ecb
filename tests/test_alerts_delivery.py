"""Retry/backoff policy and Retry-After parsing: pure functions, no clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts.delivery import (
    DEFAULT_POLICY,
    DEFAULT_RATE_PER_S,
    RetryPolicy,
    next_delay_s,
    parse_retry_after,
    rate_per_s,
    rate_wait_s,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_default_schedule_is_monotone_and_spans_at_least_a_day() -> None:
    schedule = DEFAULT_POLICY.schedule_s
    assert list(schedule) == sorted(schedule)
    assert DEFAULT_POLICY.horizon_s >= 24 * 3600
    assert DEFAULT_POLICY.max_attempts == 10


def test_exponential_schedule_and_horizon() -> None:
    policy = RetryPolicy.exponential(attempts=10, backoff_s=5, max_backoff_s=36000)
    assert policy.schedule_s == (5, 10, 20, 40, 80, 160, 320, 640, 1280)
    assert policy.horizon_s == 2555
    capped = RetryPolicy.exponential(attempts=6, backoff_s=5, max_backoff_s=30)
    assert capped.schedule_s == (5, 10, 20, 30, 30)
    assert RetryPolicy.exponential(attempts=1, backoff_s=5, max_backoff_s=30).horizon_s == 0


@given(st.integers(min_value=1, max_value=9), st.floats(min_value=0, max_value=1, exclude_max=True))
def test_jitter_stays_within_ten_percent(attempts_made: int, rand: float) -> None:
    base = DEFAULT_POLICY.schedule_s[attempts_made - 1]
    delay = next_delay_s(DEFAULT_POLICY, attempts_made, None, rand)
    assert delay is not None
    assert base * 0.9 <= delay <= base * 1.1


def test_nominal_delays_never_shrink() -> None:
    """Jitter is independent per attempt (neighbours may overlap by a few %), but the nominal
    delay before each attempt never shrinks."""
    for policy in (DEFAULT_POLICY, RetryPolicy.exponential(attempts=10, backoff_s=5, max_backoff_s=36000)):
        mids = [next_delay_s(policy, n, None, 0.5) or 0.0 for n in range(1, policy.max_attempts)]
        assert mids == sorted(mids) == list(policy.schedule_s)


def test_attempts_used_up_means_dead_letter() -> None:
    assert next_delay_s(DEFAULT_POLICY, 10, None, 0.5) is None
    assert next_delay_s(DEFAULT_POLICY, 11, 5.0, 0.5) is None
    assert next_delay_s(RetryPolicy(schedule_s=()), 1, None, 0.5) is None
    with pytest.raises(ValueError):
        next_delay_s(DEFAULT_POLICY, 0, None, 0.5)


def test_retry_after_is_honoured_but_capped() -> None:
    assert next_delay_s(DEFAULT_POLICY, 1, 60.0, 0.5) == 60.0  # longer than the 5 s step
    assert next_delay_s(DEFAULT_POLICY, 2, 1.0, 0.5) == 300.0  # shorter: the schedule wins
    assert next_delay_s(DEFAULT_POLICY, 1, 10 * 365 * 86400.0, 0.5) == 86400.0
    assert next_delay_s(DEFAULT_POLICY, 1, float("nan"), 0.5) == 5.0


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(schedule_s=(-1.0,))
    with pytest.raises(ValueError):
        RetryPolicy(schedule_s=(1.0,), jitter=1.5)
    with pytest.raises(ValueError):
        RetryPolicy.exponential(attempts=0, backoff_s=1, max_backoff_s=1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("1", 1.0),
        ("1.5", 1.5),
        (" 0 ", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_parse_retry_after_http_date() -> None:
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert later.endswith("GMT")
    assert parse_retry_after(later, NOW) == 90.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0.0
    assert parse_retry_after("Wed, 25 Nov 2026 10:01:00 GMT", NOW) == 60.0
    assert parse_retry_after("Wed, 99 Nov 2026 10:01:00 GMT", NOW) is None


def test_rate_limits() -> None:
    assert DEFAULT_RATE_PER_S["slack"] == 1.0
    assert rate_per_s("slack", {}) == 1.0
    assert rate_per_s("webhook", {}) is None
    assert rate_per_s("webhook", {"rate_per_s": 5}) == 5.0
    assert rate_wait_s(None, 100.0, 1.0) == 0.0
    assert rate_wait_s(100.0, 100.25, 1.0) == 0.75
    assert rate_wait_s(100.0, 102.0, 1.0) == 0.0
    assert rate_wait_s(100.0, 100.0, None) == 0.0
