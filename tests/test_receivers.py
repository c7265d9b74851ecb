"""Receivers are respected: Slack pacing, 410 disables a destination, a circuit opens on an
endpoint that keeps failing, quiet hours hold alerts, digests gather them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block
from sqlmodel import select

from monitor.digests import gather_digest
from monitor.store import alerts as alert_store
from monitor.store.tables import Alert, DestinationState
from tests.pipeline_support import pipeline_for
from tests.sink_server import Sink
from tests.world import SECRET, Entry, FeedWorld, rss, write_config

pytestmark = pytest.mark.timeout(60)


def acme_items(n: int) -> list[Entry]:
    return [Entry(f"Acme Corp item number {i} with distinct words {i * 7919}", f"https://news.example.org/{i}",
                  f"Acme Corp story {i}.") for i in range(n)]


def alerts_yaml(*destinations: str, subs: str) -> str:
    return "destinations:\n" + "".join(destinations) + "subscriptions:\n" + subs


def slack_dest(url: str, extra: str = "") -> str:
    return f"  - id: newsroom\n    type: slack\n    url: {url}\n{extra}"


def hook_dest(dest_id: str, url: str, extra: str = "") -> str:
    return f"  - id: {dest_id}\n    type: webhook\n    url: {url}\n    secret: {SECRET}\n{extra}"


async def test_slack_is_paced_to_one_message_per_second(sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(3))
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           alerts_yaml(slack_dest(sink.url("/slack")), subs="  - destination: newsroom\n"))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
        times = [r.time for r in sink.requests("/slack")]
        assert len(times) == 3
        assert all(b - a >= 0.9 for a, b in zip(times, times[1:], strict=False))  # a lower bound, never flaky


async def test_429_retry_after_is_waited_out_within_the_cycle(sqlite_url: str, tmp_path: Path) -> None:
    from tests.sink_server import Reply

    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(1))
        sink.respond("/hook", Reply.retry_after("1"), 200)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           alerts_yaml(hook_dest("analyst", sink.url("/hook")), subs="  - destination: analyst\n"))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            rows = p.db.run(lambda s: s.exec(select(Alert)).all())
        hooks = sink.requests("/hook")
        assert len(hooks) == 2 and hooks[1].time - hooks[0].time >= 1.0
        assert [r.status for r in rows] == ["delivered"]


async def test_gone_disables_destination_others_continue_replay_reenables(sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(3))
        sink.respond("/gone", 410)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(
            hook_dest("old", sink.url("/gone")), hook_dest("analyst", sink.url("/hook")),
            subs="  - destination: old\n  - destination: analyst\n"))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            assert len(sink.requests("/gone")) == 1, "no more sends after a 410"
            assert len(sink.requests("/hook")) == 3
            state = p.db.run(lambda s: s.get(DestinationState, "old"))
            assert state is not None and state.disabled_reason and "410" in state.disabled_reason
            rows = p.db.run(lambda s: s.exec(select(Alert).where(Alert.destination_id == "old")).all())
            assert sorted(r.status for r in rows) == ["dead", "pending", "pending"]
            sink.respond("/gone", 200)
            n = p.db.run(lambda s: alert_store.replay_dead(s, datetime.now(UTC), "old"))
            assert n == 1
            await p.deliverer.settle([r.id for r in rows])
            assert len(sink.requests("/gone")) == 4
            ids = [r.headers["webhook-id"] for r in sink.requests("/gone")]
            assert ids[0] in ids[1:], "the replayed alert keeps its webhook-id"


async def test_circuit_opens_on_an_endpoint_that_keeps_failing(sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(12))
        sink.respond("/down", 503)
        retry = "    retry: {attempts: 5, backoff: 0.05s, max_backoff: 0.1s}\n"
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(
            hook_dest("down", sink.url("/down"), retry), hook_dest("analyst", sink.url("/hook")),
            subs="  - destination: down\n  - destination: analyst\n"))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            state = p.db.run(lambda s: s.get(DestinationState, "down"))
            rows = p.db.run(lambda s: s.exec(select(Alert).where(Alert.destination_id == "down")).all())
        assert len(sink.requests("/hook")) == 12, "a failing receiver does not hold up the others"
        assert state is not None and state.circuit_open_until is not None
        assert len(sink.requests("/down")) == alert_store.CIRCUIT_FAILURES, "sending stopped when the circuit opened"
        assert all(r.status == "pending" for r in rows), "nothing lost: they wait for the circuit"


async def test_quiet_hours_hold_instant_alerts_until_the_window_ends(sqlite_url: str, tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    clock = [now]
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(1))
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(
            slack_dest(sink.url("/slack")),
            subs="  - destination: newsroom\n    quiet_hours: {start: '22:00', end: '07:00', timezone: UTC}\n"))
        async with pipeline_for(sqlite_url, cfg, clock=lambda: clock[0]) as p:
            await p.run_once()
            assert sink.requests("/slack") == []
            [row] = p.db.run(lambda s: s.exec(select(Alert)).all())
            assert row.status == "pending" and row.next_attempt_at == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
            clock[0] = datetime(2026, 11, 26, 7, 0, 1, tzinfo=UTC)
            await p.deliverer.settle([row.id])
        assert len(sink.requests("/slack")) == 1


async def test_digest_gathers_held_alerts_into_one_message(sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(4))
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(
            slack_dest(sink.url("/slack")),
            subs="  - id: morning\n    destination: newsroom\n    mode: digest\n    schedule: '0 8 * * *'\n"))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            assert sink.requests("/slack") == []
            digest_id = p.db.run(lambda s: gather_digest(s, "morning", "newsroom", datetime.now(UTC)))
            assert digest_id is not None
            assert p.db.run(lambda s: gather_digest(s, "morning", "newsroom", datetime.now(UTC))) is None
            await p.deliverer.settle([digest_id])
        [msg] = sink.requests("/slack")
        body = json.loads(msg.body)
        for b in body["blocks"]:
            Block.parse(b).validate_json()  # type: ignore[union-attr]
        text = json.dumps(body)
        assert all(f"Acme Corp item number {i}" in text for i in range(4))


async def test_a_burst_for_slack_goes_out_as_roll_ups_and_webhooks_stay_single(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first poll of a busy feed must not queue a message a second for minutes in a channel:
    past the threshold, Slack gets roll-ups, each alert in exactly one of them; the unpaced
    webhook still gets one request per alert."""
    from monitor import delivering

    monkeypatch.setattr(delivering, "ROLLUP_AFTER", 5)
    monkeypatch.setattr(delivering, "ROLLUP_SIZE", 4)
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_items(12))
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(
            slack_dest(sink.url("/slack")), hook_dest("analyst", sink.url("/hook")),
            subs="  - destination: newsroom\n  - destination: analyst\n"))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            rows = p.db.run(lambda s: list(s.exec(select(Alert).where(Alert.destination_id == "newsroom")).all()))
        messages = sink.requests("/slack")
        assert len(messages) == 3
        texts = []
        for msg in messages:
            body = json.loads(msg.body)
            for b in body["blocks"]:
                Block.parse(b).validate_json()  # type: ignore[union-attr]
            texts.append(json.dumps(body))
        for i in range(12):
            assert sum(f"Acme Corp item number {i} " in t for t in texts) == 1, i
        assert sorted(r.status for r in rows if r.event_type == "alert.created") == ["digested"] * 12
        assert sorted(r.status for r in rows if r.event_type == "digest") == ["delivered"] * 3
        assert len(sink.requests("/hook")) == 12


def test_quiet_until_handles_windows_across_midnight() -> None:
    from monitor.config.model import QuietHours
    from monitor.outbox import quiet_until

    q = QuietHours(start="22:00", end="07:00", timezone="UTC")
    assert quiet_until(q, datetime(2026, 1, 1, 12, 0, tzinfo=UTC)) is None
    assert quiet_until(q, datetime(2026, 1, 1, 23, 0, tzinfo=UTC)) == datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
    assert quiet_until(q, datetime(2026, 1, 2, 3, 0, tzinfo=UTC)) == datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
    day = QuietHours(start="09:00", end="17:00", timezone="Asia/Dubai")
    assert quiet_until(day, datetime(2026, 1, 1, 6, 0, tzinfo=UTC)) == datetime(2026, 1, 1, 13, 0, tzinfo=UTC)
