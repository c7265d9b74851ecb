"""Operators edit the watch config over HTTP: validate with located errors, test a rule on a
headline before saving, save atomically (token required), the running config follows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from monitor.api.app import make_app
from monitor.configstate import ConfigHolder
from monitor.store.db import Database
from tests.world import TOPICS_YAML, write_config

pytestmark = pytest.mark.timeout(30)
TOKEN = "s3cret-token"


@pytest.fixture
async def api(sqlite_url: str, tmp_path: Path) -> AsyncIterator[tuple[str, ConfigHolder]]:
    cfg = write_config(tmp_path / "cfg", [("a", "https://example.com/a.xml")], "destinations: []\nsubscriptions: []\n")
    holder = ConfigHolder.load(cfg)
    db = Database(sqlite_url)
    runner = web.AppRunner(make_app(db, holder, TOKEN))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", holder
    await runner.cleanup()
    db.dispose()


async def test_validate_reports_located_errors(api: tuple[str, ConfigHolder]) -> None:
    base, _ = api
    bad = "feeds:\n  - id: a\n    url: https://example.com/a.xml\n    intervall: 5m\n"
    async with aiohttp.ClientSession() as http:
        async with http.post(base + "/config/validate", json={"files": {"feeds.yaml": bad}}) as r:
            assert r.status == 422
            body = await r.json()
    assert body["errors"] == [{"file": "feeds.yaml", "line": 4, "key_path": "feeds[0].intervall",
                               "message": "unknown key (typo?)"}]


async def test_rule_tested_on_a_headline_before_saving(api: tuple[str, ConfigHolder]) -> None:
    base, holder = api
    proposed = TOPICS_YAML.replace('aliases: ["Globex"]', 'aliases: ["Globex", "Initech"]')
    async with aiohttp.ClientSession() as http:
        async with http.post(base + "/topics/test", json={"text": "Initech expands"}) as r:
            assert (await r.json())["matches"] == []
        async with http.post(base + "/topics/test", json={"text": "Initech expands", "topics_yaml": proposed}) as r:
            assert [m["topic"] for m in (await r.json())["matches"]] == ["globex-news"]
    assert "Initech" not in (holder.directory / "topics.yaml").read_text(), "testing saves nothing"


async def test_save_needs_token_refuses_invalid_and_applies_valid(api: tuple[str, ConfigHolder]) -> None:
    base, holder = api
    path = holder.directory / "feeds.yaml"
    before = path.read_text()
    good = "feeds:\n  - id: b  # a comment survives\n    url: https://example.com/b.xml\n"
    async with aiohttp.ClientSession() as http:
        async with http.put(base + "/config/feeds.yaml", data=good) as r:
            assert r.status == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        async with http.put(base + "/config/feeds.yaml", data="feeds: [{id: b, url: nope}]", headers=auth) as r:
            assert r.status == 422 and (await r.json())["errors"][0]["key_path"] == "feeds[0].url"
        assert path.read_text() == before, "an invalid file is never written"
        async with http.put(base + "/config/feeds.yaml", data=good, headers=auth) as r:
            assert r.status == 200
    assert path.read_text() == good
    assert [f.id for f in holder.active.config.feeds] == ["b"]


async def test_writes_are_disabled_without_a_token(sqlite_url: str, tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n")
    db = Database(sqlite_url)
    runner = web.AppRunner(make_app(db, ConfigHolder.load(cfg), None))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{runner.addresses[0][1]}"
            async with http.post(base + "/alerts/replay", json={}, headers={"Authorization": "Bearer x"}) as r:
                assert r.status == 403
            async with http.put(base + "/config/feeds.yaml", data="feeds: []\n") as r:
                assert r.status == 403
    finally:
        await runner.cleanup()
        db.dispose()
