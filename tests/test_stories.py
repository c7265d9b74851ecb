"""One story, one alert: syndicated copies fold into the first item's story; distinct stories
about the same company stay apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.store.tables import Alert, Story
from monitor.stories import StoryRef, find_story, same_story, title_key
from tests.pipeline_support import pipeline_for
from tests.sink_server import Sink
from tests.world import Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_title_key_drops_outlet_suffix_case_and_punctuation() -> None:
    assert title_key("Acme Corp Buys Globex - Reuters") == title_key("acme corp buys globex!")
    assert title_key("Acme Corp buys Globex | The Verge") == "acme corp buys globex"


def test_near_duplicate_headlines_are_one_story_but_figures_must_agree() -> None:
    assert same_story(title_key("Acme Corp buys Globex for $2 billion"),
                      title_key("Acme Corp buys Globex for $2 billion, sources say"))
    assert not same_story(title_key("Acme Corp buys Globex for $2 billion"),
                          title_key("Acme Corp buys Globex for $3 billion"))
    assert not same_story(title_key("Acme Corp loses its biggest customer"),
                          title_key("Acme Corp faces labor lawsuit from contractors"))


def test_find_story_needs_a_common_topic_and_the_window() -> None:
    ref = StoryRef("st1", title_key("Acme Corp buys Globex"), "h1", frozenset({"acme-news"}), NOW)
    assert find_story([ref], title="Acme Corp buys Globex", content_hash="x",
                      topics=frozenset({"acme-news"}), now=NOW) == ref
    assert find_story([ref], title="Acme Corp buys Globex", content_hash="x",
                      topics=frozenset({"other"}), now=NOW) is None
    assert find_story([ref], title="Acme Corp buys Globex", content_hash="x",
                      topics=frozenset({"acme-news"}), now=NOW + timedelta(days=4)) is None
    assert find_story([ref], title="unrelated words entirely", content_hash="h1",
                      topics=frozenset(), now=NOW) == ref


@pytest.mark.timeout(60)
async def test_syndicated_wire_story_alerts_once_per_subscription(db_url: str, tmp_path: Path) -> None:
    wire = Entry("Acme Corp agrees to buy Globex in $2 billion deal",
                 "https://wire.example/acme-globex", "Acme Corp said on Tuesday it agreed to buy Globex.")
    copies = [
        Entry("Acme Corp agrees to buy Globex in $2 billion deal - Daily Planet",
              "https://planet.example/biz/acme?utm_source=wire", wire.summary),
        Entry("Acme Corp Agrees to Buy Globex in $2 Billion Deal", "https://bugle.example/2026/acme-globex",
              "Acme Corp agreed on Tuesday to buy Globex, the company said."),
        Entry("Acme Corp agrees to buy Globex in $2 billion deal, sources say", "https://herald.example/a/1",
              "Reporting by the wire."),
    ]
    distinct = Entry("Acme Corp faces labor lawsuit from contractors", "https://wire.example/acme-lawsuit",
                     "Contractors sued Acme Corp over pay.")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/wire.xml"] = rss([wire, distinct])
        for i, c in enumerate(copies):
            feeds.bodies[f"/o{i}.xml"] = rss([c])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/wire.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            await p.run_once()  # the wire first
            (cfg / "feeds.yaml").write_text("feeds:\n" + "".join(
                f"  - id: {fid}\n    url: {feeds.url(path)}\n    interval: 5s\n"
                for fid, path in [("wire", "/wire.xml"), ("planet", "/o0.xml"), ("bugle", "/o1.xml"),
                                  ("herald", "/o2.xml")]))
            assert p.holder.reload_if_changed()
            await p.run_once()
            stories = p.db.run(lambda s: s.exec(select(Story)).all())
            alerts = p.db.run(lambda s: s.exec(select(Alert)).all())
        assert len(stories) == 2, "the lawsuit is another story; the copies are one"
        deal = next(s for s in stories if "globex" in s.title_key)
        assert deal.item_count == 4 and sorted(json.loads(deal.outlets)) == ["bugle", "herald", "planet", "wire"]
        created = [(a.story_id, a.topic, a.destination_id) for a in alerts if a.event_type == "alert.created"]
        assert len(created) == len(set(created)), "at most one alert per story, topic and subscription"
        lawsuit = next(s for s in stories if s.id != deal.id)
        assert sorted(created) == sorted(
            [(deal.id, t, d) for t in ("acme-news", "globex-news") for d in ("analyst", "newsroom")]
            + [(lawsuit.id, "acme-news", d) for d in ("analyst", "newsroom")])
        updates = [a for a in alerts if a.event_type == "story.updated"]
        assert len(updates) == 3 * 2 and {a.destination_id for a in updates} == {"analyst"}
        slack = sink.requests("/slack")
        assert len(slack) == 3, "Slack hears of each story once per topic, never of copies"
        events = [json.loads(r.body) for r in sink.requests("/hook")]
        assert sorted(e["type"] for e in events) == ["alert.created"] * 3 + ["story.updated"] * 6
        upd = next(e for e in events if e["type"] == "story.updated")
        assert upd["data"]["story_id"] == deal.id and "wire" in upd["data"]["also_reported_by"]
