"""The long-running worker: APScheduler ticks claim due feeds, config edits apply without a
restart, an invalid edit keeps the running config."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.configstate import ConfigHolder
from monitor.feeds.fetch import FetchLimits
from monitor.pipeline import Pipeline
from monitor.scheduler import Worker
from monitor.service import http_session
from monitor.settings import Settings
from monitor.store.db import Database
from monitor.store.tables import Feed
from tests.sink_server import Sink
from tests.world import Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config

pytestmark = pytest.mark.timeout(60)


async def wait_until(predicate: object, timeout_s: float = 20.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not predicate():  # type: ignore[operator]
            await asyncio.sleep(0.05)


async def test_worker_polls_on_schedule_and_applies_config_edits(db_url: str, tmp_path: Path) -> None:
    first = Entry("Acme Corp opens a lab", "https://news.example.org/lab", "Acme Corp lab.")
    later = Entry("Globex names a new chief", "https://news.example.org/chief", "Globex news.")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([first])
        feeds.bodies["/b.xml"] = rss([later])
        alerts = webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack"))
        cfg = write_config(tmp_path / "cfg", [("a", feeds.url("/a.xml"))], alerts)
        settings = Settings(database_url=db_url, config_dir=cfg, allow_private_urls=True, tick_s=0.1,
                            config_reload_s=0.2, lease_s=10)
        db = Database(db_url)
        async with http_session(settings) as session:
            worker = Worker(Pipeline(db, settings, ConfigHolder.load(cfg), session,
                                     limits=FetchLimits(total_timeout_s=5)))
            await worker.start()
            try:
                await sink.wait_for("/hook", 1, timeout_s=20)
                # the feed is polled again when its 5 s interval is due (a 304 this time)
                await wait_until(lambda: feeds.not_modified.get("/a.xml", 0) >= 1)
                # an invalid edit is refused; the worker goes on with the old config
                (cfg / "feeds.yaml").write_text("feeds:\n  - id: b\n    url: nope\n", encoding="utf-8")
                await asyncio.sleep(0.6)
                assert [f.id for f in worker.p.holder.active.config.feeds] == ["a"]
                # a valid edit adds a feed without a restart
                write_config(cfg, [("a", feeds.url("/a.xml")), ("b", feeds.url("/b.xml"))], alerts)
                await sink.wait_for("/hook", 2, timeout_s=20)
                await sink.wait_for("/slack", 2, timeout_s=20)
            finally:
                await worker.stop()
        rows = {f.id: f for f in db.run(lambda s: s.exec(select(Feed)).all())}
        db.dispose()
        assert set(rows) == {"a", "b"} and all(r.claimed_by is None for r in rows.values())
        assert all(r.next_poll_at and r.next_poll_at > datetime(2026, 1, 1, tzinfo=UTC) for r in rows.values())
        assert len(sink.requests("/slack")) == 2


async def test_two_workers_never_poll_one_feed_at_once(db_url: str, tmp_path: Path) -> None:
    from monitor.store import feeds as feed_store

    cfg = write_config(tmp_path / "cfg", [(f"f{i}", f"https://example.com/{i}.xml") for i in range(10)],
                       "destinations: []\nsubscriptions: []\n")
    holder = ConfigHolder.load(cfg)
    db = Database(db_url)
    now = datetime.now(UTC)
    db.run(lambda s: feed_store.sync_feeds(s, list(holder.active.config.feeds), now))
    a = db.run(lambda s: feed_store.claim_due_feeds(s, now, "w1", 30, 6, skip_locked=db.is_postgres))
    b = db.run(lambda s: feed_store.claim_due_feeds(s, now, "w2", 30, 6, skip_locked=db.is_postgres))
    assert len(a) == 6 and len(b) == 4 and not {c.id for c in a} & {c.id for c in b}
    assert db.run(lambda s: feed_store.claim_due_feeds(s, now, "w3", 30, 6)) == []
    # a worker that died: its lease runs out and another worker claims its feeds
    from datetime import timedelta

    later = now + timedelta(seconds=31)
    c = db.run(lambda s: feed_store.claim_due_feeds(s, later, "w3", 30, 20))
    assert {x.id for x in c} == {x.id for x in a + b}
    db.dispose()
