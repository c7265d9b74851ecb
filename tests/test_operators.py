"""Operators who make mistakes, against a running pipeline: a broken edit is refused with
file:line:key and the pipeline keeps delivering with the config it had; an edit that removes a
topic or a destination with queued alerts never drops them silently (the topic's alerts still go
out with their snapshotted payload; the destination's are cancelled with a reason)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.store.tables import Alert
from tests.pipeline_support import pipeline_for
from tests.sink_server import Reply, Sink
from tests.world import SECRET, TOPICS_YAML, Entry, FeedWorld, rss, write_config

pytestmark = pytest.mark.timeout(60)
ACME = Entry("Acme Corp recalls its routers", "https://news.example.org/acme", "Acme Corp recall.", guid="a1")
LATER = Entry("Acme Corp names a new chief", "https://news.example.org/acme-2", "Acme Corp chief.", guid="a2")


def alerts_yaml(hook_url: str, secret: str = "${HOOK_SECRET}", extra_dest: str = "", secret_key: str = "secret"
                ) -> str:
    return ("destinations:\n"
            f"  - id: analyst\n    type: webhook\n    url: {hook_url}\n    {secret_key}: {secret}\n{extra_dest}"
            "subscriptions:\n  - destination: analyst\n    topics: ['*']\n")


BROKEN_EDITS = {
    # name: (file, new text given the hook URL, expected "file:line: key" prefix, expected message part)
    "yaml-syntax": ("feeds.yaml", lambda url: "feeds:\n  - id: wire\n    url: [unclosed\n", "feeds.yaml:", "YAML"),
    "duplicate-id": ("alerts.yaml", lambda url: alerts_yaml(
        url, extra_dest=f"  - id: analyst\n    type: webhook\n    url: {url}\n"),
        "alerts.yaml:6: destinations[1].id", "duplicate id 'analyst'"),
    "unknown-key": ("alerts.yaml", lambda url: alerts_yaml(url, secret_key="secert"),
                    "alerts.yaml:5: destinations[0].secert", "unknown key"),
    "unset-secret": ("alerts.yaml", lambda url: alerts_yaml(url, secret="${NO_SUCH_HOOK_SECRET}"),
                     "alerts.yaml:5: destinations[0].secret", "NO_SUCH_HOOK_SECRET is not set"),
}


@pytest.mark.parametrize("edit", list(BROKEN_EDITS))
async def test_broken_edit_is_refused_located_and_the_running_config_keeps_delivering(
        edit: str, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    monkeypatch.delenv("NO_SUCH_HOOK_SECRET", raising=False)
    file, text, where, message = BROKEN_EDITS[edit]
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))], alerts_yaml(sink.url("/hook")))
        async with pipeline_for(sqlite_url, cfg) as p:
            await p.run_once()
            before = p.holder.active
            (cfg / file).write_text(text(sink.url("/hook")), encoding="utf-8")
            caplog.set_level(logging.WARNING)
            assert p.holder.reload_if_changed() is False
            assert p.holder.active.config is before.config
            errors = [str(getattr(r, "error", "")) for r in caplog.records if r.getMessage() == "config.invalid"]
            assert any(e.startswith(f"{cfg}/{where}") and message in e for e in errors), errors
            assert any(r.getMessage() == "config.kept" for r in caplog.records)
            assert p.holder.reload_if_changed() is False, "the same broken files are not re-read"
            # the pipeline keeps polling and delivering with the config it had
            feeds.bodies["/a.xml"] = rss([ACME, LATER])
            await p.run_once()
        bodies = [json.loads(r.body) for r in sink.requests("/hook")]
        assert [b["data"]["item"]["title"] for b in bodies] == [ACME.title, LATER.title]


async def test_removed_topic_with_queued_alert_still_delivers_its_snapshot(db_url: str, tmp_path: Path) -> None:
    clock = [datetime.now(UTC)]
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME])
        sink.respond("/hook", Reply.retry_after("120"), 200)
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           alerts_yaml(sink.url("/hook"), secret=SECRET))
        async with pipeline_for(db_url, cfg, clock=lambda: clock[0]) as p:
            await p.run_once()
            [row] = p.db.run(lambda s: s.exec(select(Alert)).all())
            assert row.status == "pending" and row.topic == "acme-news"
            # the operator removes the topic (and its entity) while the alert waits for its retry
            topics = TOPICS_YAML.replace('  - id: acme\n    name: Acme Corp\n    aliases: ["Acme Corp", "أكمي"]\n', "")
            topics = topics.replace("  - id: acme-news\n    name: Acme news\n    rules: {all_of: [{entity: acme}]}\n", "")
            (cfg / "topics.yaml").write_text(topics, encoding="utf-8")
            assert p.holder.reload_if_changed() is True
            assert [t.id for t in p.holder.active.config.topics] == ["globex-news"]
            clock[0] += timedelta(seconds=121)
            await p.deliverer.settle([row.id])
            after = p.db.run(lambda s: s.get(Alert, row.id))
        assert after is not None and after.status == "delivered"
        first, second = sink.requests("/hook")
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == row.id
        data = json.loads(second.body)["data"]
        assert data["topic"] == "acme-news" and data["item"]["title"] == ACME.title


async def test_removed_destination_with_queued_alerts_is_cancelled_with_a_reason(
        db_url: str, tmp_path: Path) -> None:
    clock = [datetime.now(UTC)]
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME])
        sink.respond("/old", Reply.retry_after("120"))
        old = f"  - id: old\n    type: webhook\n    url: {sink.url('/old')}\n"
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           alerts_yaml(sink.url("/hook"), secret=SECRET, extra_dest=old)
                           + "  - destination: old\n    topics: ['*']\n")
        async with pipeline_for(db_url, cfg, clock=lambda: clock[0]) as p:
            await p.run_once()
            rows = {r.destination_id: r for r in p.db.run(lambda s: s.exec(select(Alert)).all())}
            assert rows["old"].status == "pending" and rows["analyst"].status == "delivered"
            (cfg / "alerts.yaml").write_text(alerts_yaml(sink.url("/hook"), secret=SECRET), encoding="utf-8")
            assert p.holder.reload_if_changed() is True
            clock[0] += timedelta(seconds=600)
            await p.deliverer.deliver_due()
            await p.deliverer.wait_senders()
            after = p.db.run(lambda s: s.get(Alert, rows["old"].id))
        assert len(sink.requests("/old")) == 1, "a removed destination gets no more requests"
        assert after is not None and after.status == "cancelled"
        assert after.last_error and "removed" in after.last_error
