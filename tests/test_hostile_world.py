"""Hostile feeds beside healthy ones, through the whole pipeline: every hostile feed ends in a
named status on its row, the healthy feed still delivers, nothing hostile reaches a sink."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

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
