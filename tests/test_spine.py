"""The spine end to end in-process: real feed server, real sinks, real database."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from slack_sdk.models.blocks import Block
from sqlmodel import select
from standardwebhooks.webhooks import Webhook

from monitor.store.tables import Alert, DeliveryAttempt, Feed, Item
from tests.pipeline_support import pipeline_for
from tests.sink_server import Sink
from tests.world import SECRET, Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config

pytestmark = pytest.mark.timeout(60)

ACME = Entry("Acme Corp pauses its data contracts", "https://news.example.org/a/1?id=7",
             "Acme Corp said on Monday it would pause contracts.", guid="a-1")
OTHER = Entry("Weather turns cold across the region", "https://news.example.org/w/2", "Snow expected.", guid="w-2")


def verify_webhook(body: bytes, headers: dict[str, str]) -> dict[str, object]:
    """Verify with the independent standardwebhooks implementation, as a receiver would."""
    received = datetime.now(UTC)

    class _Now(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return received

    with mock.patch("standardwebhooks.webhooks.datetime", _Now):
        return Webhook(SECRET).verify(body, headers)  # type: ignore[no-any-return]


async def test_new_item_reaches_webhook_signed_and_slack_once(db_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME, OTHER])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            summary = await p.run_once()
            assert summary["new_items"] == 2
            hooks, slack = sink.requests("/hook"), sink.requests("/slack")
            assert len(hooks) == 1 and len(slack) == 1
            payload = verify_webhook(hooks[0].body, hooks[0].headers)
            assert payload["type"] == "alert.created"
            data = payload["data"]
            assert data["topic"] == "acme-news"  # type: ignore[index]
            assert data["item"]["url"] == ACME.link  # type: ignore[index]
            assert data["item"]["feed"] == "wire"  # type: ignore[index]
            assert data["evidence"], "an alert says why it matched"  # type: ignore[index]
            assert hooks[0].headers["webhook-id"] == data["alert_id"]  # type: ignore[index]
            message = json.loads(slack[0].body)
            for b in message["blocks"]:
                Block.parse(b).validate_json()  # type: ignore[union-attr]
            assert "Acme Corp pauses" in json.dumps(message)
            # a second cycle sees the same items (304) and sends nothing
            await p.run_once()
            assert len(sink.requests()) == 2
            assert feeds.not_modified.get("/a.xml") == 1


async def test_same_item_from_another_feed_with_tracking_params_does_not_alert_twice(
        db_url: str, tmp_path: Path) -> None:
    copy = Entry(ACME.title, ACME.link + "&utm_source=rss&utm_medium=feed", ACME.summary, guid="other-guid")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME])
        feeds.bodies["/b.xml"] = rss([copy])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml")), ("desk", feeds.url("/b.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            feeds.bodies["/a.xml"] = rss([ACME, OTHER])  # the first feed changes; ACME is still old news
            await p.run_once()
            assert len(sink.requests("/hook")) == 1
            assert len(sink.requests("/slack")) == 1
            items = p.db.run(lambda s: s.exec(select(Item)).all())
            assert sorted(i.title for i in items) == sorted([ACME.title, OTHER.title])  # one copy stored


async def test_not_modified_and_unchanged_body_skip_parsing(db_url: str, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/etag.xml"] = rss([ACME])
        feeds.bodies["/plain.xml"] = rss([OTHER])
        cfg = write_config(tmp_path / "cfg", [("etag", feeds.url("/etag.xml")), ("plain", feeds.url("/plain.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            feeds.etags = False  # the server stops sending validators: only our body hash can tell
            with caplog.at_level(logging.INFO):
                await p.run_once()
            events = [(r.getMessage(), getattr(r, "feed_id", None)) for r in caplog.records]
            assert ("feed.unchanged", "etag") in events and ("feed.unchanged", "plain") in events
            assert not [e for e in events if e[0] == "feed.polled"]


async def test_broken_feeds_are_unhealthy_while_others_deliver(db_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/good.xml"] = rss([ACME])
        feeds.status["/error.xml"] = 500
        feeds.bodies["/garbage.xml"] = bytes(range(256)) * 64
        feeds.bodies["/page.html"] = b"<html><head><title>Sign in</title></head><body>login</body></html>"
        feeds.content_type["/page.html"] = "text/html"
        feeds.bodies["/broken.xml"] = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><tit'
        names = ["good", "error", "garbage", "page", "broken"]
        paths = ["/good.xml", "/error.xml", "/garbage.xml", "/page.html", "/broken.xml"]
        cfg = write_config(tmp_path / "cfg", [(n, feeds.url(u)) for n, u in zip(names, paths, strict=True)],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            rows = {f.id: f for f in p.db.run(lambda s: s.exec(select(Feed)).all())}
            assert rows["good"].health == "ok"
            for bad in ("error", "garbage", "page", "broken"):
                assert rows[bad].health == "failing", (bad, rows[bad].last_error)
                assert rows[bad].consecutive_errors == 1 and rows[bad].last_error
                assert rows[bad].next_poll_at > datetime.now(UTC)
            assert rows["error"].last_status == 500
            assert len(sink.requests("/hook")) == 1 and len(sink.requests("/slack")) == 1


async def test_failing_sink_retries_then_dead_letters_then_replay_delivers(db_url: str, tmp_path: Path) -> None:
    from monitor.store import alerts as alert_store

    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME])
        sink.respond("/hook", 500)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack"),
                                                    retry="    retry: {attempts: 3, backoff: 0.1s, max_backoff: 0.2s}\n"))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            hooks = sink.requests("/hook")
            assert len(hooks) == 3, "three attempts, then dead letter"
            assert len({h.headers["webhook-id"] for h in hooks}) == 1, "one id across retries"
            dead = p.db.run(lambda s: alert_store.dead_letters(s))
            assert [d.destination_id for d in dead] == ["analyst"]
            attempts = p.db.run(lambda s: s.exec(select(DeliveryAttempt)).all())
            assert sum(1 for a in attempts if a.outcome == "retry") == 3
            sink.respond("/hook", 200)
            assert p.db.run(lambda s: alert_store.replay_dead(s, datetime.now(UTC))) == 1
            await p.deliverer.settle([d.id for d in dead])
            hooks = sink.requests("/hook")
            assert len(hooks) == 4 and hooks[-1].headers["webhook-id"] == hooks[0].headers["webhook-id"]
            verify_webhook(hooks[-1].body, hooks[-1].headers)
            row = p.db.run(lambda s: s.get(Alert, dead[0].id))
            assert row is not None and row.status == "delivered"


async def test_channel_mention_in_title_is_escaped_for_slack(db_url: str, tmp_path: Path) -> None:
    evil = Entry("<!channel> Acme Corp hires <@U024BE7LH> as chief", "https://news.example.org/evil",
                 "Acme Corp news <!here> <https://evil.example|Click>", guid="evil")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([evil])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
        [msg] = sink.requests("/slack")
        decoded = json.dumps(json.loads(msg.body), ensure_ascii=False)
        text = "\n".join(str(v) for v in _strings(json.loads(msg.body)))
        for needle in ("<!channel>", "<!here>", "<@U024BE7LH>", "<https://evil.example|Click>"):
            assert needle not in text
        assert "Acme Corp hires" in decoded and "&lt;@U024BE7LH&gt;" in decoded


def _strings(x: object) -> list[str]:
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    return [x] if isinstance(x, str) else []


async def test_first_poll_backfill_stores_old_items_silently(db_url: str, tmp_path: Path) -> None:
    old = Entry("Acme Corp opened a plant in 2019", "https://news.example.org/old", "Acme Corp archive",
                guid="old", published=datetime.now(UTC) - timedelta(days=10))
    undated = Entry("Acme Corp undated note", "https://news.example.org/undated", "Acme Corp", guid="u",
                    published=None)
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([old, undated, ACME])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            titles = sorted(json.loads(r.body)["data"]["item"]["title"] for r in sink.requests("/hook"))
            assert titles == [ACME.title, undated.title]
            items = p.db.run(lambda s: s.exec(select(Item)).all())
            assert {i.title: i.silent for i in items}[old.title] is True


async def test_gone_feed_is_disabled(db_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.status["/gone.xml"] = 410
        cfg = write_config(tmp_path / "cfg", [("gone", feeds.url("/gone.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()
            await p.run_once()
            row = p.db.run(lambda s: s.get(Feed, "gone"))
            assert row is not None and row.health == "disabled" and row.last_status == 410
            assert feeds.hits["/gone.xml"] == 1, "a disabled feed is not fetched again"
