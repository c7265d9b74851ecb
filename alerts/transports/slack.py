"""Chat deliveries (Slack, Teams, Discord): render, POST JSON to the incoming-webhook URL.

These URLs are credentials (the path carries the token), so they never appear in errors.
Chat destinations get alerts and digests, not `story.updated` events: the caller filters them,
and `alerts.deliver` skips any that slip through.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import aiohttp

from alerts.errors import Permanent
from alerts.model import Alert, Destination, Outcome
from alerts.render.chat import render_discord, render_teams
from alerts.render.slack import render_slack
from alerts.transports.http import outcome_from_error, post_json

Renderer = Callable[[Alert], dict[str, Any]]

RENDERERS: dict[str, Renderer] = {"slack": render_slack, "teams": render_teams, "discord": render_discord}


async def send_chat(
    session: aiohttp.ClientSession, destination: Destination, alert: Alert, now: datetime
) -> Outcome:
    """POST the message rendered for `destination.type` (one of RENDERERS)."""
    started = time.monotonic()
    renderer = RENDERERS.get(destination.type)
    if renderer is None:
        return outcome_from_error(Permanent(f"no chat renderer for {destination.type!r}"), started)
    if not destination.url:
        return outcome_from_error(Permanent(f"{destination.type} destination has no url"), started)
    body = json.dumps(renderer(alert), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return await post_json(session, destination.url, body, {}, timeout_s=destination.timeout_s, now=now)


async def send_slack(
    session: aiohttp.ClientSession, destination: Destination, alert: Alert, now: datetime
) -> Outcome:
    """Slack incoming webhook: answers 200 `ok`, 400 `invalid_payload`, 404/410 for a removed
    channel or hook, 429 with Retry-After when over ~1 message/s."""
    return await send_chat(session, destination, alert, now)
