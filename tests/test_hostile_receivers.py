"""Hostile receivers through the whole pipeline (feed -> match -> outbox -> POST -> record), and
hostile senders against our own receiving side (`alerts.sign.verify`).

Each hostile webhook gets its own destination beside two steady ones; one `run_once` must
return, every hostile destination must end in a named status (delivered / dead / pending with a
next attempt, destination disabled), the steady destinations must receive everything, and dead
letters must replay with the webhook-id they were first sent with.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from alerts.errors import InvalidSignature
from alerts.sign import sign, signature_headers, verify
from monitor.store import alerts as alert_store
from monitor.store.tables import Alert, DeliveryAttempt, DestinationState
from tests.pipeline_support import pipeline_for
from tests.sink_server import Reply, Sink
from tests.world import SECRET, Entry, FeedWorld, rss, write_config

FAST = "    retry: {attempts: 3, backoff: 0.05s, max_backoff: 0.1s}\n"
REDIRECTS = (301, 302, 307, 308)
HUGE_BYTES = 200 * 1024 * 1024


def hook(dest_id: str, url: str, extra: str = "") -> str:
    return f"  - id: {dest_id}\n    type: webhook\n    url: {url}\n    secret: {SECRET}\n{extra}"


def world_alerts(sink: Sink) -> tuple[str, list[str]]:
    """Two steady destinations on every topic; each hostile one on `acme-news` only (one alert)."""
    hostile = {
        "hang": ("/hang", "    timeout: 1s\n    retry: {attempts: 2, backoff: 0.1s, max_backoff: 0.1s}\n"),
        "defer": ("/defer", ""),  # default policy: 429 + Retry-After 120 is deferred, not waited
        "soon": ("/soon", FAST),
        "dated": ("/dated", FAST),
        "down": ("/down", "    retry: {attempts: 5, backoff: 0.05s, max_backoff: 0.2s}\n"),
        "down6": ("/down6", "    retry: {attempts: 6, backoff: 0.05s, max_backoff: 0.2s}\n"),
        "huge": ("/huge", ""),
        "gone": ("/gone", ""),
        **{f"r{code}": (f"/r{code}", "") for code in REDIRECTS},
    }
    dests = hook("steady", sink.url("/steady")) + f"  - id: newsroom\n    type: slack\n    url: {sink.url('/slack')}\n"
    dests += "".join(hook(d, sink.url(path), extra) for d, (path, extra) in hostile.items())
    subs = "  - destination: steady\n    topics: ['*']\n  - destination: newsroom\n    topics: ['*']\n"
    subs += "".join(f"  - destination: {d}\n    topics: [acme-news]\n" for d in hostile)
    return "destinations:\n" + dests + "subscriptions:\n" + subs, list(hostile)


def script_sink(sink: Sink, http_date: datetime) -> None:
    sink.respond("/hang", Reply.hang_forever())
    sink.respond("/defer", Reply.retry_after("120"))
    sink.respond("/soon", Reply.retry_after("1.5"), 200)
    sink.respond("/dated", Reply.retry_after(format_datetime(http_date, usegmt=True)), 200)
    sink.respond("/down", 500)
    sink.respond("/down6", 500)
    sink.respond("/huge", Reply.huge(HUGE_BYTES))
    sink.respond("/gone", 410)
    for code in REDIRECTS:
        sink.respond(f"/r{code}", Reply.redirect(sink.url("/target"), status=code))


async def alerts_dead_cli(db_url: str, cfg: Path) -> list[dict[str, object]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "alerts", "dead", "--json", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, "DATABASE_URL": db_url, "MONITOR_CONFIG": str(cfg)})
    out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, err.decode()
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.mark.timeout(90)
async def test_hostile_receivers_end_named_others_keep_pace_nothing_lost(
        db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    entries = [Entry("Acme Corp recalls its routers", "https://news.example.org/acme", "Acme Corp recall."),
               Entry("Globex opens a plant", "https://news.example.org/globex-1", "Globex plant."),
               Entry("Globex wins a tender", "https://news.example.org/globex-2", "Globex tender.")]
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(entries)
        http_date = (datetime.now(UTC) + timedelta(seconds=4)).replace(microsecond=0)
        script_sink(sink, http_date)
        alerts_yaml, hostile = world_alerts(sink)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml)
        async with pipeline_for(db_url, cfg) as p:
            started_at, t0 = datetime.now(UTC), time.monotonic()
            summary = await asyncio.wait_for(p.run_once(), timeout=60)  # returns: 120 s is deferred, not waited
            cycle_s = time.monotonic() - t0
            rows = {r.destination_id: r for r in p.db.run(lambda s: s.exec(select(Alert)).all())
                    if r.destination_id in hostile}
            attempts = p.db.run(lambda s: s.exec(select(DeliveryAttempt)).all())
            states = p.db.run(alert_store.destination_states)
            all_rows = p.db.run(lambda s: s.exec(select(Alert)).all())

            # steady destinations got every alert, the hostile ones never held them up
            assert summary["alerts"] == len(all_rows) == 3 * 2 + len(hostile)
            assert len(sink.requests("/steady")) == 3 and len(sink.requests("/slack")) == 3
            # nothing lost: every row is final, or pending with a next attempt
            for r in all_rows:
                assert r.status in ("delivered", "dead") or (r.status == "pending" and r.next_attempt_at), r
            status = {d: rows[d].status for d in hostile}
            assert status == {"hang": "dead", "defer": "pending", "soon": "delivered", "dated": "delivered",
                              "down": "dead", "down6": "pending", "huge": "delivered", "gone": "dead",
                              **{f"r{c}": "dead" for c in REDIRECTS}}
            # hang: the destination's own 1 s timeout, twice, then a dead letter
            assert len(sink.requests("/hang")) == 2 and "timed out after 1s" in (rows["hang"].last_error or "")
            # 429 + Retry-After: 120 -> deferred at least 120 s, one request only
            assert len(sink.requests("/defer")) == 1 and rows["defer"].last_status == 429
            assert rows["defer"].next_attempt_at >= started_at + timedelta(seconds=119)
            # 429 + Retry-After: 1.5 (and an HTTP date) -> waited out within the cycle, not sooner
            soon = sink.requests("/soon")
            assert len(soon) == 2 and soon[1].time - soon[0].time >= 1.5
            dated = sink.requests("/dated")
            assert len(dated) == 2 and dated[1].received_at >= http_date
            # 500 "for an hour": every retry made, then a dead letter ...
            assert len(sink.requests("/down")) == 5 and rows["down"].last_status == 500
            # ... unless attempts outnumber the circuit breaker: then it waits behind the open circuit
            assert len(sink.requests("/down6")) == alert_store.CIRCUIT_FAILURES
            assert states["down6"].circuit_open_until is not None
            assert rows["down6"].next_attempt_at > started_at
            # 200 with a 200 MB body: delivered, and the body was not read
            assert sink.bytes_streamed("/huge") < HUGE_BYTES // 4
            # redirects are failures, and the target never sees the signed alert
            for code in REDIRECTS:
                assert rows[f"r{code}"].last_status == code and len(sink.requests(f"/r{code}")) == 1
            assert sink.requests("/target") == []
            # 410: dead, destination disabled, operator told by the log and `monitor alerts dead`
            assert states["gone"].disabled_reason and "410" in states["gone"].disabled_reason
            assert any(r.getMessage() == "destination.disabled" and getattr(r, "destination", "") == "gone"
                       for r in caplog.records)
            dead = await alerts_dead_cli(db_url, cfg)
            assert sorted(str(d["destination"]) for d in dead) == sorted(
                ["hang", "down", "gone", *(f"r{c}" for c in REDIRECTS)])

            report = {d: round(max((a.at for a in attempts if a.alert_id == rows[d].id), default=started_at).timestamp()
                               - started_at.timestamp(), 2) for d in hostile}
            steady_s = max(r.time for r in sink.requests("/steady") + sink.requests("/slack")) - t0
            print(f"\nhostile receivers: cycle {cycle_s:.2f}s; steady+slack all sent by {steady_s:.2f}s; "
                  f"time to reach status per destination: {report}")

            # dead letters replay with the webhook-id they were first sent with
            first_ids = {d: sink.requests(f"/{d}")[0].headers["webhook-id"]
                         for d in ("hang", "down", "gone", *(f"r{c}" for c in REDIRECTS))}
            for path in first_ids:
                sink.respond(f"/{path}", 200)
            assert p.db.run(lambda s: alert_store.replay_dead(s, datetime.now(UTC))) == len(first_ids)
            await asyncio.wait_for(p.deliverer.settle([rows[d].id for d in first_ids]), timeout=20)
            for d, wid in first_ids.items():
                last = sink.requests(f"/{d}")[-1]
                assert last.headers["webhook-id"] == wid, d
                assert p.db.run(lambda s, i=rows[d].id: s.get(Alert, i)).status == "delivered"  # type: ignore[union-attr,misc]
            gone_state = p.db.run(lambda s: s.get(DestinationState, "gone"))
            assert gone_state is not None and gone_state.disabled_reason is None


# -- our receiving side: only InvalidSignature ever escapes `verify` ---------------------------
NOW_S = 1_700_000_000
BODY = b'{"type":"alert.created"}'
OTHER = "whsec_" + "bmV3LXNlY3JldC1rZXktZm9yLXJvdGF0aW9uIQ=="
header_names = st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "Webhook-Signature",
                                "WEBHOOK-TIMESTAMP", "x-other"])
junk = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.builds(lambda n: "1" * n, st.integers(min_value=18, max_value=6000)),
    st.builds(lambda parts: " ".join(parts), st.lists(st.sampled_from(
        ["v1,", "v1", ",", "v1,AAAA", "v2,abc", "v1,=", "v1,!!", "v1," + "A" * 44, "\u00e9", "\x00"]), max_size=5)),
)


def _signed(now_s: int) -> dict[str, str]:
    return signature_headers(SECRET, "msg_1", now_s, BODY)


@pytest.mark.timeout(60)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base_offset=st.integers(min_value=-10**6, max_value=10**6), edits=st.dictionaries(header_names, junk, max_size=4),
       body=st.binary(max_size=64))
def test_verify_fuzzed_headers_raise_only_invalid_signature(base_offset: int, edits: dict[str, str],
                                                            body: bytes) -> None:
    headers = _signed(NOW_S + base_offset)
    for k, v in edits.items():
        headers = {h: val for h, val in headers.items() if h.lower() != k.lower()} | {k: v}
    try:
        verify([SECRET, OTHER], headers, body, now_s=NOW_S)
    except InvalidSignature:
        pass


def test_verify_refuses_an_absurdly_long_timestamp_as_invalid_signature() -> None:
    headers = _signed(NOW_S) | {"webhook-timestamp": "1" * 5000}
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers, BODY, now_s=NOW_S)


@pytest.mark.parametrize("offset_s", [-301, 301])
def test_rotation_pair_outside_the_window_is_still_refused(offset_s: int) -> None:
    """Two valid signatures (old and new secret) do not widen the ±300 s replay window."""
    sent_s = NOW_S + offset_s
    both = _signed(sent_s)
    both["webhook-signature"] = f"{sign(OTHER, 'msg_1', sent_s, BODY)} {both['webhook-signature']}"
    verify([OTHER, SECRET], both, BODY, now_s=sent_s)
    with pytest.raises(InvalidSignature):
        verify([OTHER, SECRET], both, BODY, now_s=NOW_S)
