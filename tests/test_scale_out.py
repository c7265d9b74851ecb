"""Several workers on one database: each feed polled once, each item matched once, each alert
sent once (claims with FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.pipeline import Pipeline
from monitor.store.tables import Alert, Match
from tests.pipeline_support import pipeline_for
from tests.sink_server import Reply, Sink
from tests.world import SECRET, Entry, FeedWorld, rss, write_config

pytestmark = pytest.mark.timeout(90)


async def test_three_workers_share_the_work_without_duplicates(db_url: str, tmp_path: Path) -> None:
    entries = [Entry(f"Acme Corp bulletin {i}: plant {i * 31} update", f"https://news.example.org/{i}",
                     f"Acme Corp item {i}") for i in range(60)]
    async with FeedWorld() as feeds, Sink() as sink:
        for f in range(3):
            feeds.bodies[f"/{f}.xml"] = rss(entries[f * 20:(f + 1) * 20])
        sink.respond("/hook", Reply(delay_s=0.01))
        cfg = write_config(tmp_path / "cfg", [(f"f{f}", feeds.url(f"/{f}.xml")) for f in range(3)],
                           f"destinations:\n  - id: analyst\n    type: webhook\n    url: {sink.url('/hook')}\n"
                           f"    secret: {SECRET}\nsubscriptions:\n  - destination: analyst\n")
        async def worker_cycle(p: Pipeline) -> None:
            """What a worker's tick and stage consumers do: claim what is due, poll, match, deliver."""
            claims = await p.claim_due_feeds(limit=10)
            await asyncio.gather(*(p.poll_feed(c) for c in claims))
            created = await p.match_pending()
            await p.deliverer.settle(created)

        async with pipeline_for(db_url, cfg) as a, pipeline_for(db_url, cfg) as b, pipeline_for(db_url, cfg) as c:
            await asyncio.to_thread(a.sync_feeds)
            await asyncio.gather(worker_cycle(a), worker_cycle(b), worker_cycle(c))
            # whatever one worker claimed and another still waits on, a last sweep settles
            ids = a.db.run(lambda s: list(s.exec(select(Alert.id)).all()))
            await asyncio.gather(a.deliverer.settle(ids), b.deliverer.settle(ids))
            matches = a.db.run(lambda s: s.exec(select(Match)).all())
            statuses = Counter(a.db.run(lambda s: list(s.exec(select(Alert.status)).all())))
    assert len(matches) == 60, "each item matched once"
    assert statuses == {"delivered": 60}
    sent = Counter(r.headers["webhook-id"] for r in sink.requests("/hook"))
    assert len(sent) == 60 and max(sent.values()) == 1, "each alert sent exactly once"
    assert sum(feeds.hits.values()) == 3, "each feed fetched once"
