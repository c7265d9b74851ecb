"""The address guard on, as in production: feeds and webhooks that point inside the network are
refused at connect time, a listener on 127.0.0.1 sees zero requests, every case is named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from alerts import deliver
from alerts.model import Alert, AlertItem, Destination
from monitor.config.errors import ConfigInvalid
from monitor.config.load import load_config
from monitor.configstate import ConfigHolder
from monitor.feeds.guard import make_session
from monitor.pipeline import Pipeline
from monitor.settings import Settings
from monitor.store.db import Database
from monitor.store.tables import Feed
from tests.sink_server import Sink
from tests.world import Entry, FeedWorld, rss, write_config

pytestmark = pytest.mark.timeout(60)
ALERT = Alert(alert_id="msg_x", event_type="alert.created", story_id="st", topic="acme-news", topic_name="Acme",
              severity="high", score=90, item=AlertItem("Acme Corp", "https://news.example.org/a",
                                                         "https://news.example.org/a", "wire", None))


async def test_feeds_inside_the_network_are_refused_and_never_reached(sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds:
        feeds.bodies["/a.xml"] = rss([Entry("Acme Corp news", "https://news.example.org/a")])
        port = feeds.port
        forms = {"loopback": f"http://127.0.0.1:{port}/a.xml", "name": f"http://localhost:{port}/a.xml",
                 "dotted-name": f"http://localhost.:{port}/a.xml", "hex": f"http://0x7f000001:{port}/a.xml",
                 "v6": f"http://[::1]:{port}/a.xml", "mapped": f"http://[::ffff:127.0.0.1]:{port}/a.xml",
                 "zero": f"http://0.0.0.0:{port}/a.xml", "metadata": "http://169.254.169.254/latest/meta-data/"}
        cfg = write_config(tmp_path / "cfg", list(forms.items()),
                           "destinations:\n  - id: console\n    type: console\nsubscriptions: []\n")
        settings = Settings(database_url=sqlite_url, config_dir=cfg, allow_private_urls=False)
        db = Database(sqlite_url)
        session = make_session(allow_private=False)
        try:
            p = Pipeline(db, settings, ConfigHolder.load(cfg), session)
            await p.run_once()
            rows = {f.id: f for f in db.run(lambda s: s.exec(select(Feed)).all())}
        finally:
            await session.close()
            db.dispose()
        assert feeds.hits == {}, "the listener on 127.0.0.1 saw no request"
        assert {fid: (r.health, r.last_error_kind) for fid, r in rows.items()} == {
            fid: ("failing", "blocked_address") for fid in forms}


async def test_webhook_inside_the_network_is_refused_and_never_reached() -> None:
    async with Sink() as sink:
        session = make_session(allow_private=False)
        try:
            for url in (sink.url("/hook"), f"http://localhost:{sink.port}/hook", f"http://[::1]:{sink.port}/hook"):
                outcome = await deliver(session, Destination("d", "webhook", url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                                        ALERT, datetime.now(UTC))
                assert outcome.kind == "failed", (url, outcome)
        finally:
            await session.close()
        assert sink.requests() == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://example.com/",
                                 "javascript:alert(1)"])
def test_non_http_schemes_are_refused_in_config(tmp_path: Path, url: str) -> None:
    cfg = write_config(tmp_path / "cfg", [("f", url)],
                       f"destinations:\n  - id: d\n    type: webhook\n    url: '{url}'\nsubscriptions: []\n")
    with pytest.raises(ConfigInvalid) as info:
        load_config(cfg, env={})
    where = sorted(e.key_path for e in info.value.errors)
    assert where == ["destinations[0]", "feeds[0].url"]
