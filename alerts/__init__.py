"""Turning alert objects into messages and delivering them (webhook, Slack, Teams, Discord,
Apprise, console). Imports nothing from `monitor`: it gets an `Alert` and a `Destination` and returns
an `Outcome`; the outbox loop that stores outcomes and schedules retries lives in `monitor`,
using the pure policy in `alerts.delivery`.
"""

from __future__ import annotations

import time
from datetime import datetime

import aiohttp

from alerts.errors import Permanent, Retryable
from alerts.model import Alert, AlertItem, Destination, Evidence, Outcome
from alerts.transports.console import send_console
from alerts.transports.http import outcome_from_error
from alerts.transports.slack import RENDERERS, send_chat
from alerts.transports.webhook import send_webhook

CHAT_TYPES = frozenset(RENDERERS)
DESTINATION_TYPES = frozenset({"webhook", "console", "apprise", *CHAT_TYPES})

__all__ = [
    "CHAT_TYPES",
    "DESTINATION_TYPES",
    "Alert",
    "AlertItem",
    "Destination",
    "Evidence",
    "Outcome",
    "deliver",
]


async def deliver(
    session: aiohttp.ClientSession, destination: Destination, alert: Alert, now: datetime
) -> Outcome:
    """Make one delivery attempt of `alert` to `destination`; never raises (but cancellation).

    `now` is the send time (it becomes `webhook-timestamp`). Chat destinations silently skip
    `story.updated` events (Outcome delivered, error="skipped"). An unexpected exception is
    reported as a retry so the alert is not lost; the retry policy dead-letters it in the end.
    """
    started = time.monotonic()
    try:
        if destination.type == "webhook":
            return await send_webhook(session, destination, alert, now)
        if destination.type in CHAT_TYPES:
            if alert.event_type == "story.updated":
                return Outcome("delivered", error="skipped")
            return await send_chat(session, destination, alert, now)
        if destination.type == "console":
            return send_console(alert)
        if destination.type == "apprise":
            from alerts.transports.apprise import send_apprise

            return await send_apprise(destination, alert)
        return outcome_from_error(Permanent(f"unknown destination type {destination.type!r}"), started)
    except Exception as exc:  # a bug must not kill the outbox loop; it must not leak secrets either
        return outcome_from_error(Retryable(f"internal error: {type(exc).__name__}"), started)
