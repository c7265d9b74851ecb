"""Hostile feeds beside healthy ones, through the whole pipeline: every hostile feed ends in a
named status on its row, the healthy feed still delivers, nothing hostile reaches a sink."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.feeds.parse import MAX_ENTRIES
from monitor.store.tables import Feed, Item
from tests.feed_server import FeedServer, gzip_bomb, hang, redirect, redirect_loop, status, stream, trickle
from tests.pipeline_support import pipeline_for
from tests.sink_server import Sink
from tests.world import Entry, rss, webhook_and_slack_alerts, write_config

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>Acme Corp files &xxe;</title>
<link>https://news.example.org/xxe</link><description>&xxe;</description></item></channel></rss>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""


@pytest.mark.timeout(60)
async def test_hostile_feeds_are_named_and_healthy_feed_delivers(sqlite_url: str, tmp_path: Path) -> None:
    healthy = Entry("Acme Corp signs a supply deal", "https://news.example.org/deal", "Acme Corp deal.")
    arabic = "أكمي تعلن عن صفقة جديدة".encode("cp1256")
    lying = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>'
             + arabic + b"</title><link>https://news.example.org/ar</link></item></channel></rss>")
    async with FeedServer() as server, Sink() as sink:
        server.add("/healthy.xml", rss([healthy]))
        server.add("/hang.xml", hang(60))
        server.add("/trickle.xml", trickle(b"<rss>" + b" " * 4000, interval_s=0.25))
        server.add("/bomb.xml", gzip_bomb(inflated_mib=64))
        server.add("/huge.xml", stream(b"<item><title>filler</title></item>" * 1000, count=200))
        server.add("/loop.xml", redirect_loop())
        server.add("/meta.xml", redirect("http://169.254.169.254/latest/meta-data/"))
        server.add("/login.html", b"<html><head><title>Sign in</title></head><body><form></form></body></html>",
                   content_type="text/html")
        server.add("/empty.xml", b"")
        server.add("/forbidden.xml", status(403, body=b"<html>challenge</html>"))
        server.add("/xxe.xml", XXE)
        server.add("/laughs.xml", LAUGHS)
        server.add("/arabic.xml", lying)
        names = ["healthy", "hang", "trickle", "bomb", "huge", "loop", "meta", "login", "empty", "forbidden",
                 "xxe", "laughs", "arabic"]
        paths = ["/healthy.xml", "/hang.xml", "/trickle.xml", "/bomb.xml", "/huge.xml", "/loop.xml", "/meta.xml",
                 "/login.html", "/empty.xml", "/forbidden.xml", "/xxe.xml", "/laughs.xml", "/arabic.xml"]
        cfg = write_config(tmp_path / "cfg", [(n, server.url(p)) for n, p in zip(names, paths, strict=True)],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            rows = {f.id: f for f in p.db.run(lambda s: s.exec(select(Feed)).all())}
            items = p.db.run(lambda s: s.exec(select(Item)).all())
    kinds = {fid: (r.health, r.last_error_kind) for fid, r in rows.items()}
    assert kinds["healthy"] == ("ok", None)
    assert kinds["hang"] == ("failing", "timeout")
    assert kinds["trickle"] == ("failing", "timeout")
    assert kinds["bomb"] == ("failing", "too_large")
    assert kinds["huge"] == ("failing", "too_large")
    assert kinds["loop"] == ("failing", "redirect_loop")
    assert kinds["meta"] == ("failing", "blocked_address")
    assert kinds["login"] == ("failing", "not_a_feed")
    assert kinds["empty"] == ("failing", "not_a_feed")
    assert kinds["forbidden"] == ("failing", "http_403")
    assert rows["forbidden"].last_status == 403
    stored = " ".join(f"{i.title} {i.summary}" for i in items)
    assert "root:" not in stored and "lollol" not in stored
    assert "أكمي تعلن عن صفقة جديدة" in stored, "Arabic stays Arabic despite the false declaration"
    bodies = [json.loads(r.body) for r in sink.requests("/hook")]
    titles = {b["data"]["item"]["title"] for b in bodies}
    assert healthy.title in titles and "أكمي تعلن عن صفقة جديدة" in titles
    assert all("root:" not in json.dumps(b) for b in bodies)


@pytest.mark.timeout(60)
async def test_odd_dates_duplicate_guids_and_many_entries_never_realert(sqlite_url: str, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.world import FeedWorld

    now = datetime.now(UTC)
    entries = [Entry(f"Acme Corp filing number {i}", f"https://news.example.org/f/{i}", f"Acme Corp {i}",
                     guid=f"g{i}", published=now - timedelta(minutes=i)) for i in range(MAX_ENTRIES + 1000)]
    entries += [
        Entry("Acme Corp from the future", "https://news.example.org/future", "x", guid="fut",
              published=datetime(2099, 1, 1, tzinfo=UTC)),
        Entry("Acme Corp from 1970", "https://news.example.org/epoch", "x", guid="epoch",
              published=datetime(1970, 1, 1, tzinfo=UTC)),
        Entry("Acme Corp undated", "https://news.example.org/undated", "x", guid="undated", published=None),
        Entry("Acme Corp one guid", "https://news.example.org/dup-a", "first", guid="dup"),
        Entry("Acme Corp one guid again", "https://news.example.org/dup-b", "second", guid="dup"),
    ]
    async with FeedWorld() as feeds:
        feeds.etags = False  # a server that changes the body every time (new lastBuildDate) defeats both caches
        feeds.bodies["/big.xml"] = rss(entries[-5:] + entries[:-5])
        cfg = write_config(tmp_path / "cfg", [("big", feeds.url("/big.xml"))],
                           "destinations:\n  - id: console\n    type: console\nsubscriptions: []\n")
        async with pipeline_for(sqlite_url, cfg) as p:
            first = await p.run_once()
            feeds.bodies["/big.xml"] = rss(entries[-5:] + entries[:-5], title="Rebuilt at a new time")
            second = await p.run_once()
            items = p.db.run(lambda s: s.exec(select(Item)).all())
    assert first["new_items"] > 0 and second["new_items"] == 0, "no item is new twice, whatever its date"
    assert len(items) <= MAX_ENTRIES < len(entries), "work per poll is bounded (entries past the cap are not read)"
    future = next(i for i in items if i.title == "Acme Corp from the future")
    assert future.published <= datetime.now(UTC), "future dates are clamped to fetch time"
    assert next(i for i in items if i.title == "Acme Corp from 1970").silent, "old news is stored silently"
    assert not next(i for i in items if i.title == "Acme Corp undated").silent, "undated items count as new"
