"""`alerts.deliver` against a real aiohttp sink on 127.0.0.1: statuses, redirects, hangs,
huge bodies, signing and chat payloads end to end."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from slack_sdk.models.blocks import Block
from standardwebhooks.webhooks import Webhook

from alerts import deliver
from alerts.model import Destination
from tests.sink_server import Reply, Sink
from tests.test_alerts_render import EVIL_TITLE, make_alert

pytestmark = pytest.mark.timeout(20)

SECRET = "whsec_" + base64.b64encode(b"s" * 32).decode()
SLACK_PATH = "/services/T0001/B0001/TOKENxyzSECRET123"


@pytest.fixture
async def sink() -> AsyncIterator[Sink]:
    async with Sink() as s:
        yield s


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def webhook(sink: Sink, path: str = "/hook", **kw: Any) -> Destination:
    return Destination(
        id="wh",
        type="webhook",
        url=sink.url(path),
        secret=kw.pop("secret", SECRET),
        timeout_s=kw.pop("timeout_s", 2.0),
        **kw,
    )


def now() -> datetime:
    return datetime.now(UTC)


async def test_signed_webhook_verifies_with_reference_library(
    sink: Sink, session: aiohttp.ClientSession
) -> None:
    sent_at = now()
    outcome = await deliver(session, webhook(sink), make_alert(), sent_at)
    assert outcome.kind == "delivered" and outcome.status == 200 and outcome.ok
    [req] = sink.requests("/hook")
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["webhook-id"] == "alrt_1"
    assert req.headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    payload = Webhook(SECRET).verify(req.body, req.headers)
    assert payload["type"] == "alert.created" and payload["data"]["alert_id"] == "alrt_1"


async def test_webhook_id_is_stable_per_alert_and_distinct_between_alerts(
    sink: Sink, session: aiohttp.ClientSession
) -> None:
    sink.respond("/hook", 500, 200)
    first = await deliver(session, webhook(sink), make_alert("alrt_1"), now())
    again = await deliver(session, webhook(sink), make_alert("alrt_1"), now() + timedelta(seconds=5))
    other = await deliver(session, webhook(sink), make_alert("alrt_2"), now())
    assert (first.kind, again.kind, other.kind) == ("retry", "delivered", "delivered")
    ids = [r.headers["webhook-id"] for r in sink.requests("/hook")]
    assert ids == ["alrt_1", "alrt_1", "alrt_2"]
    for req in sink.requests("/hook"):
        Webhook(SECRET).verify(req.body, req.headers)


async def test_webhook_without_secret_is_unsigned(sink: Sink, session: aiohttp.ClientSession) -> None:
    outcome = await deliver(session, webhook(sink, secret=None), make_alert(), now())
    assert outcome.kind == "delivered"
    [req] = sink.requests("/hook")
    assert "webhook-signature" not in req.headers and req.headers["webhook-id"] == "alrt_1"


@pytest.mark.parametrize(("header", "expected"), [("1", 1.0), ("1.5", 1.5), ("date", 60.0), (None, None)])
async def test_429_reports_retry_after(
    sink: Sink, session: aiohttp.ClientSession, header: str | None, expected: float | None
) -> None:
    sent_at = now().replace(microsecond=0)
    if header == "date":
        header = format_datetime(sent_at + timedelta(seconds=60), usegmt=True)
    sink.respond("/hook", Reply.retry_after(header) if header is not None else Reply(status=429))
    outcome = await deliver(session, webhook(sink), make_alert(), sent_at)
    assert outcome.kind == "retry" and outcome.status == 429
    assert outcome.retry_after_s == expected


@pytest.mark.parametrize("status", [500, 502, 503, 408])
async def test_server_errors_and_408_are_retried(
    sink: Sink, session: aiohttp.ClientSession, status: int
) -> None:
    sink.respond("/hook", Reply(status=status, body=b"upstream down"))
    outcome = await deliver(session, webhook(sink), make_alert(), now())
    assert (outcome.kind, outcome.status) == ("retry", status)
    assert outcome.error is not None and "upstream down" in outcome.error


async def test_410_means_gone(sink: Sink, session: aiohttp.ClientSession) -> None:
    sink.respond("/hook", 410)
    assert (await deliver(session, webhook(sink), make_alert(), now())).kind == "gone"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_other_4xx_fail_permanently(sink: Sink, session: aiohttp.ClientSession, status: int) -> None:
    sink.respond("/hook", status)
    outcome = await deliver(session, webhook(sink), make_alert(), now())
    assert (outcome.kind, outcome.status) == ("failed", status)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_not_followed(sink: Sink, session: aiohttp.ClientSession, status: int) -> None:
    sink.respond("/hook", Reply.redirect(sink.url("/target"), status))
    outcome = await deliver(session, webhook(sink), make_alert(), now())
    assert (outcome.kind, outcome.status) == ("failed", status)
    assert len(sink.requests("/hook")) == 1
    assert sink.requests("/target") == []


async def test_hanging_receiver_times_out_as_retry(sink: Sink, session: aiohttp.ClientSession) -> None:
    sink.respond("/hook", Reply.hang_forever())
    outcome = await deliver(session, webhook(sink, timeout_s=0.3), make_alert(), now())
    assert outcome.kind == "retry" and outcome.status is None
    assert outcome.error is not None and "timed out" in outcome.error
    assert outcome.duration_ms >= 250


async def test_accepted_then_stalled_body_counts_as_delivered(
    sink: Sink, session: aiohttp.ClientSession
) -> None:
    sink.respond("/hook", Reply(stall_after_headers=True))
    outcome = await deliver(session, webhook(sink, timeout_s=0.3), make_alert(), now())
    assert (outcome.kind, outcome.status) == ("delivered", 200)


@pytest.mark.parametrize(("status", "kind"), [(200, "delivered"), (500, "retry")])
async def test_huge_response_body_is_not_read(
    sink: Sink, session: aiohttp.ClientSession, status: int, kind: str
) -> None:
    total = 200 * 1024 * 1024
    sink.respond("/hook", Reply.huge(total, status=status))
    outcome = await deliver(session, webhook(sink, timeout_s=5.0), make_alert(), now())
    assert (outcome.kind, outcome.status) == (kind, status)
    assert sink.bytes_streamed("/hook") < total // 4
    assert outcome.error is None or len(outcome.error) <= 200


async def test_connection_refused_is_retried(session: aiohttp.ClientSession) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    destination = Destination(
        id="wh", type="webhook", url=f"http://127.0.0.1:{port}{SLACK_PATH}", timeout_s=2.0
    )
    outcome = await deliver(session, destination, make_alert(), now())
    assert outcome.kind == "retry" and outcome.error
    assert "TOKENxyzSECRET123" not in outcome.error


class AddressBlocked(Exception):
    """Stands in for the monitor's address guard, which `alerts` cannot import."""


class BlockedOSError(OSError):
    """A guard that raises an OSError gets wrapped by aiohttp in ClientConnectorError."""


class GuardResolver(AbstractResolver):
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        raise self.exc

    async def close(self) -> None:
        return None


@pytest.mark.parametrize("exc", [AddressBlocked("10.0.0.1 is private"), BlockedOSError("private address")])
async def test_blocked_address_fails_permanently(sink: Sink, exc: Exception) -> None:
    connector = aiohttp.TCPConnector(resolver=GuardResolver(exc))
    async with aiohttp.ClientSession(connector=connector) as guarded:
        destination = Destination(id="wh", type="webhook", url="http://internal.example/hook", secret=SECRET)
        outcome = await deliver(guarded, destination, make_alert(), now())
    assert outcome.kind == "failed" and outcome.error and "blocked" in outcome.error
    assert sink.requests() == []


async def test_config_problems_fail_without_leaking_secrets(
    sink: Sink, session: aiohttp.ClientSession
) -> None:
    bad_secret = "whsec_not-base64-$$$-hunter2"
    outcome = await deliver(session, webhook(sink, secret=bad_secret), make_alert(), now())
    assert outcome.kind == "failed" and outcome.error and "hunter2" not in outcome.error
    assert (await deliver(session, Destination(id="x", type="webhook"), make_alert(), now())).kind == "failed"
    assert (
        await deliver(session, Destination(id="x", type="pager", url=sink.url()), make_alert(), now())
    ).kind == "failed"
    invalid = Destination(id="x", type="webhook", url="http://[bad")
    assert (await deliver(session, invalid, make_alert(), now())).kind == "failed"
    assert sink.requests() == []


async def test_slack_delivery_posts_valid_inert_block_kit(sink: Sink, session: aiohttp.ClientSession) -> None:
    destination = Destination(id="newsroom", type="slack", url=sink.url(SLACK_PATH))
    outcome = await deliver(session, destination, make_alert(title=EVIL_TITLE), now())
    assert outcome.kind == "delivered"
    [req] = sink.requests(SLACK_PATH)
    assert req.headers["content-type"] == "application/json" and "webhook-signature" not in req.headers
    message = json.loads(req.body)
    for block in message["blocks"]:
        parsed = Block.parse(block)  # pyright: ignore[reportUnknownMemberType]
        assert parsed is not None
        parsed.validate_json()
    assert "<!channel>" not in req.body.decode() and "<@U123>" not in req.body.decode()


async def test_slack_skips_story_updates(sink: Sink, session: aiohttp.ClientSession) -> None:
    destination = Destination(id="newsroom", type="slack", url=sink.url(SLACK_PATH))
    outcome = await deliver(session, destination, make_alert(event_type="story.updated"), now())
    assert (outcome.kind, outcome.error) == ("delivered", "skipped")
    assert sink.requests() == []


async def test_slack_errors_never_show_the_webhook_token(sink: Sink, session: aiohttp.ClientSession) -> None:
    sink.respond(SLACK_PATH, Reply(status=404, body=f"no_service for {SLACK_PATH}".encode()))
    destination = Destination(id="newsroom", type="slack", url=sink.url(SLACK_PATH))
    outcome = await deliver(session, destination, make_alert(), now())
    assert outcome.kind == "failed" and outcome.error
    assert "TOKENxyzSECRET123" not in outcome.error and "no_service" in outcome.error
    sink.respond(SLACK_PATH, Reply.retry_after("1", status=429))
    limited = await deliver(session, destination, make_alert(), now())
    assert (limited.kind, limited.retry_after_s) == ("retry", 1.0)


@pytest.mark.parametrize("kind", ["teams", "discord"])
async def test_chat_destinations_post_json(sink: Sink, session: aiohttp.ClientSession, kind: str) -> None:
    sink.respond(f"/{kind}", Reply(status=204 if kind == "discord" else 202, body=b""))
    outcome = await deliver(
        session, Destination(id=kind, type=kind, url=sink.url(f"/{kind}")), make_alert(), now()
    )
    assert outcome.kind == "delivered"
    [req] = sink.requests(f"/{kind}")
    body = json.loads(req.body)
    assert ("attachments" in body) if kind == "teams" else (body["allowed_mentions"] == {"parse": []})


async def test_console_prints_a_line(
    capsys: pytest.CaptureFixture[str], session: aiohttp.ClientSession
) -> None:
    outcome = await deliver(session, Destination(id="console", type="console"), make_alert(), now())
    assert outcome.kind == "delivered"
    assert capsys.readouterr().out.startswith("[HIGH] Scale customers exit (91): Acme exits Scale")


async def test_duration_is_measured(sink: Sink, session: aiohttp.ClientSession) -> None:
    sink.respond("/hook", Reply(delay_s=0.2))
    outcome = await deliver(session, webhook(sink), make_alert(), now())
    assert outcome.kind == "delivered" and outcome.duration_ms >= 150


async def test_digest_delivery(sink: Sink, session: aiohttp.ClientSession) -> None:
    items = tuple(make_alert(f"a{i}") for i in range(3))
    digest = make_alert("digest_9", event_type="digest", digest_items=items)
    assert (await deliver(session, webhook(sink), digest, now())).kind == "delivered"
    [req] = sink.requests("/hook")
    body = Webhook(SECRET).verify(req.body, req.headers)
    assert body["type"] == "digest" and [i["alert_id"] for i in body["data"]["items"]] == ["a0", "a1", "a2"]
