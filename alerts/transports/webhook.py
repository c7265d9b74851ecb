"""Signed webhook deliveries per DESIGN.md and Standard Webhooks.

`webhook-id` is the alert id, fixed when the outbox row was written, so a receiver can drop
the duplicates that retries and restarts produce; `webhook-timestamp` is the send time so the
receiver's replay window starts at this attempt, not at the first one.
"""

from __future__ import annotations

import time
from datetime import datetime

import aiohttp

from alerts.errors import InvalidSecret, Permanent
from alerts.model import Alert, Destination, Outcome
from alerts.render.webhook import render_webhook
from alerts.sign import signature_headers
from alerts.transports.http import outcome_from_error, post_json


async def send_webhook(
    session: aiohttp.ClientSession, destination: Destination, alert: Alert, now: datetime
) -> Outcome:
    """POST the envelope, signed when the destination has a secret."""
    started = time.monotonic()
    if not destination.url:
        return outcome_from_error(Permanent("webhook destination has no url"), started)
    body = render_webhook(alert, now)
    try:
        headers = signature_headers(destination.secret, alert.alert_id, int(now.timestamp()), body)
    except InvalidSecret as err:
        return outcome_from_error(Permanent(str(err)), started)
    secrets = (destination.secret,) if destination.secret else ()
    return await post_json(
        session, destination.url, body, headers, timeout_s=destination.timeout_s, now=now, secrets=secrets
    )
