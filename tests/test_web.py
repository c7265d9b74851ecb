"""The HTTP API served by `monitor web`, over a real socket."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from monitor.api.app import make_app
from monitor.configstate import ConfigHolder
from monitor.store.db import Database
from tests.world import write_config

pytestmark = pytest.mark.timeout(30)


async def test_health_ready_feeds_topics(sqlite_url: str, tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [("a", "https://example.com/a.xml")],
                       "destinations:\n  - id: s\n    type: slack\n    url: https://hooks.slack.com/services/T/B/SECRET\n"
                       "subscriptions: []\n")
    db = Database(sqlite_url)
    runner = web.AppRunner(make_app(db, ConfigHolder.load(cfg), "tok"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/healthz") as r:
                assert r.status == 200 and (await r.json())["status"] == "ok"
            async with http.get(base + "/readyz") as r:
                assert r.status == 200
            async with http.get(base + "/feeds") as r:
                assert r.status == 200 and await r.json() == []
            async with http.post(base + "/topics/test", json={"text": "Globex buys Acme Corp"}) as r:
                topics = {m["topic"] for m in (await r.json())["matches"]}
                assert topics == {"acme-news", "globex-news"}
            async with http.post(base + "/topics/test", data=b"not json") as r:
                assert r.status == 400
            async with http.get(base + "/config") as r:
                text = await r.text()
                assert "SECRET" not in text and "hooks.slack.com" in text
            async with http.post(base + "/alerts/replay", json={}, headers={"Authorization": "Bearer tok"}) as r:
                assert r.status == 200 and (await r.json()) == {"requeued": 0}
        db.dispose()
        # a database that went away: not ready, but the process is still healthy
        bad = Database(f"sqlite:///{tmp_path}/missing/dir/x.db")
        runner2 = web.AppRunner(make_app(bad, ConfigHolder.load(cfg)))
        await runner2.setup()
        site2 = web.TCPSite(runner2, "127.0.0.1", 0)
        await site2.start()
        try:
            async with aiohttp.ClientSession() as http:
                base2 = f"http://127.0.0.1:{runner2.addresses[0][1]}"
                async with http.get(base2 + "/readyz") as r:
                    assert r.status == 503
                async with http.get(base2 + "/healthz") as r:
                    assert r.status == 200
        finally:
            await runner2.cleanup()
            bad.dispose()
    finally:
        await runner.cleanup()
