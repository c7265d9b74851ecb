"""The `monitor` command as users run it: a real subprocess, real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.sink_server import Sink
from tests.world import TOPICS_YAML, Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config

pytestmark = pytest.mark.timeout(90)
MONITOR = [sys.executable, "-m", "monitor"]


async def monitor(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None,
                  cwd: Path | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *MONITOR, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, **(env or {})}, cwd=cwd)
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=80)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_match_prints_one_line_per_input_in_order(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n")
    lines = [{"id": "1", "title": "Acme Corp hires a new chief", "summary": ""},
             {"id": "2", "title": "Nothing to see", "summary": "weather"},
             {"id": "3", "title": "أكمي تعلن نتائجها", "summary": "", "lang": "ar"},
             {"id": "4", "title": "Globex and Acme Corp sign a deal", "summary": "", "url": "https://x.example/4"}]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode() + b"\n"
    code, out, _ = await monitor("match", "-", "--config", str(cfg), stdin=stdin, cwd=tmp_path)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["topics"] == ["acme-news"] and rows[1]["topics"] == []
    assert rows[2]["topics"] == ["acme-news"]
    assert set(rows[3]["topics"]) == {"acme-news", "globex-news"}
    m = rows[0]["matches"][0]
    assert m["topic"] == "acme-news" and 0 <= m["score"] <= 100 and m["evidence"]


async def test_config_validate_exit_codes(tmp_path: Path) -> None:
    good = write_config(tmp_path / "good", [("a", "https://example.com/a.xml")],
                        "destinations: []\nsubscriptions: []\n")
    code, out, _ = await monitor("config", "validate", str(good))
    assert code == 0 and out.startswith("config OK") and "1 feeds" in out
    bad = write_config(tmp_path / "bad", [("a", "https://example.com/a.xml")],
                       "destinations: []\nsubscriptions:\n  - destination: nope\n")
    code, out, _ = await monitor("config", "validate", str(bad))
    assert code == 1
    assert f"{bad}/alerts.yaml:3: subscriptions[0].destination: unknown destination 'nope'" in out


async def test_validate_prints_retry_horizon(tmp_path: Path) -> None:
    alerts = ("destinations:\n  - id: hook\n    type: webhook\n    url: https://hooks.example.com/x\n"
              "    retry: {attempts: 10, backoff: 5s, max_backoff: 10h}\n  - id: default\n    type: webhook\n"
              "    url: https://hooks.example.com/y\nsubscriptions: []\n")
    cfg = write_config(tmp_path / "cfg", [], alerts)
    code, out, _ = await monitor("config", "validate", str(cfg))
    assert code == 0
    assert "destination hook (webhook): 10 attempts over 42m 35s" in out
    assert "destination default (webhook): 10 attempts over 3d" in out


async def test_poll_once_delivers_and_feeds_json_reports_state(tmp_path: Path) -> None:
    acme = Entry("Acme Corp wins a contract", "https://news.example.org/acme", "Acme Corp news.", guid="g1")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([acme])
        feeds.status["/broken.xml"] = 503
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml")), ("broken", feeds.url("/broken.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "MONITOR_CONFIG": str(cfg),
               "MONITOR_ALLOW_PRIVATE_URLS": "true"}
        code, out, err = await monitor("poll", "--once", env=env, cwd=tmp_path)
        assert code == 0, err
        assert out == "", "poll --once prints nothing on stdout"
        assert "Traceback" not in err
        assert len(sink.requests("/hook")) == 1 and len(sink.requests("/slack")) == 1
        code, out, _ = await monitor("poll", "--once", env=env, cwd=tmp_path)
        assert code == 0 and len(sink.requests()) == 2
        code, out, _ = await monitor("feeds", "--json", env=env, cwd=tmp_path)
        states = {f["id"]: f for f in json.loads(out)}
        assert set(states["wire"]) == {"id", "url", "health", "last_status", "last_error",
                                       "consecutive_errors", "next_poll"}
        assert states["wire"]["health"] == "ok" and states["broken"]["health"] == "failing"
        assert states["broken"]["last_status"] == 503 and states["broken"]["consecutive_errors"] == 2


async def test_poll_once_with_invalid_config_fails_clearly(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations:\n  - id: x\n    type: pager\nsubscriptions: []\n")
    code, out, err = await monitor("poll", "--once", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}",
                                                          "MONITOR_CONFIG": str(cfg)})
    assert code == 1 and "alerts.yaml:3: destinations[0].type" in err and "Traceback" not in err


async def test_topics_test_explains(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n", topics_yaml=TOPICS_YAML)
    code, out, _ = await monitor("topics", "test", "Acme Corp buys a stake in Globex", "--config", str(cfg))
    assert code == 0 and "acme-news" in out and "globex-news" in out


async def test_dead_letters_listed_and_replayed(tmp_path: Path) -> None:
    acme = Entry("Acme Corp wins a contract", "https://news.example.org/acme", "Acme Corp news.", guid="g1")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([acme])
        sink.respond("/hook", 400)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "MONITOR_CONFIG": str(cfg),
               "MONITOR_ALLOW_PRIVATE_URLS": "true"}
        assert (await monitor("poll", "--once", env=env))[0] == 0
        code, out, _ = await monitor("alerts", "dead", "--json", env=env)
        dead = json.loads(out)
        assert [d["destination"] for d in dead] == ["analyst"] and dead[0]["last_status"] == 400
        sink.respond("/hook", 200)
        code, out, _ = await monitor("alerts", "replay", "--destination", "analyst", env=env)
        assert code == 0 and "re-queued 1" in out
        assert (await monitor("poll", "--once", env=env))[0] == 0
        hooks = sink.requests("/hook")
        assert len(hooks) == 2 and hooks[0].headers["webhook-id"] == hooks[1].headers["webhook-id"]


async def test_json_logs_one_object_per_line_on_stderr(tmp_path: Path) -> None:
    acme = Entry("Acme Corp wins a contract", "https://news.example.org/acme", "Acme Corp news.", guid="g1")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([acme])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "MONITOR_CONFIG": str(cfg),
               "MONITOR_ALLOW_PRIVATE_URLS": "true", "MONITOR_LOG_FORMAT": "json"}
        code, out, err = await monitor("poll", "--once", env=env)
    assert code == 0 and out == ""
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    events = {r["event"] for r in records}
    assert {"feed.polled", "alert.delivered"} <= events
    delivered = [r for r in records if r["event"] == "alert.delivered"]
    assert all(r["alert_id"].startswith("msg_") and r["attempt"] == 1 for r in delivered)
    assert "whsec_" not in err, "secrets are never logged"


async def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n")
    env = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none", "MONITOR_CONFIG": str(cfg)}
    code, out, err = await monitor("poll", "--once", env=env)
    assert code == 2 and "database unavailable" in err and "Traceback" not in err
