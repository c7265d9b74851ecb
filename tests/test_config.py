"""Watch config: the README example validates; every mistake is reported with file, line and
key path; the running config survives an invalid edit."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor.config.errors import ConfigInvalid
from monitor.config.load import load_config
from monitor.configstate import ConfigHolder
from tests.world import TOPICS_YAML

README_FEEDS = """\
feeds:
  - id: techcrunch
    url: https://techcrunch.com/feed/
    interval: 10m          # default 15m; s/m/h suffixes
"""
README_ALERTS = """\
destinations:
  - id: analyst-api
    type: webhook
    url: https://hooks.example.com/news
    secret: ${ANALYST_WEBHOOK_SECRET}   # Standard Webhooks secret, whsec_...
  - id: newsroom
    type: slack
    url: ${NEWSROOM_SLACK_WEBHOOK}
subscriptions:
  - destination: newsroom
    topics: ["*"]                      # or a list of topic ids
    mode: instant
"""
ENV = {"ANALYST_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
       "NEWSROOM_SLACK_WEBHOOK": "https://hooks.slack.com/services/T000/B000/XXXX"}


def make(tmp_path: Path, feeds: str = README_FEEDS, topics: str = TOPICS_YAML, alerts: str = README_ALERTS) -> Path:
    d = tmp_path / "cfg"
    d.mkdir(exist_ok=True)
    (d / "feeds.yaml").write_text(textwrap.dedent(feeds), encoding="utf-8")
    (d / "topics.yaml").write_text(textwrap.dedent(topics), encoding="utf-8")
    (d / "alerts.yaml").write_text(textwrap.dedent(alerts), encoding="utf-8")
    return d


def errors_of(directory: Path, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigInvalid) as info:
        load_config(directory, env=ENV if env is None else env)
    return [str(e) for e in info.value.errors]


def test_readme_example_is_accepted(tmp_path: Path) -> None:
    cfg = load_config(make(tmp_path), env=ENV).config
    assert cfg.feeds[0].interval_s == 600
    assert cfg.destinations[1].url == ENV["NEWSROOM_SLACK_WEBHOOK"]


def test_default_config_is_valid() -> None:
    cfg = load_config(Path(__file__).parent.parent / "config", env={}).config
    assert {t.id for t in cfg.topics} == {"scale-customers-exit", "wang-meta-role", "scale-labor-legal",
                                          "meta-scale-deal", "meta-ai-talent", "llama4-benchmarks", "meta-defense"}
    assert any(d.type == "console" for d in cfg.destinations)


def test_empty_lists_are_valid(tmp_path: Path) -> None:
    d = make(tmp_path, feeds="feeds: []\n", topics="entities: []\ntopics: []\n",
             alerts="destinations: []\nsubscriptions: []\n")
    assert load_config(d, env={}).config.feeds == []


def test_unset_variable_is_located(tmp_path: Path) -> None:
    errs = errors_of(make(tmp_path), env={"ANALYST_WEBHOOK_SECRET": ENV["ANALYST_WEBHOOK_SECRET"]})
    assert errs == [f"{tmp_path}/cfg/alerts.yaml:8: destinations[1].url: environment variable "
                    "NEWSROOM_SLACK_WEBHOOK is not set"]


def test_typo_bad_url_duplicate_id_and_unknown_refs_all_reported(tmp_path: Path) -> None:
    feeds = """\
    feeds:
      - id: wire
        url: https://example.com/a.xml
        intervall: 10m
      - id: wire
        url: ftp://example.com/b.xml
    """
    d = make(tmp_path, feeds=feeds)
    errs = errors_of(d)
    f = f"{d}/feeds.yaml"
    assert f"{f}:4: feeds[0].intervall: unknown key (typo?)" in errs
    assert any(e.startswith(f"{f}:6: feeds[1].url:") and "not an http(s) URL" in e for e in errs)
    # duplicates are cross-checks: reported once the schema is satisfied
    d = make(tmp_path, feeds="feeds:\n  - {id: wire, url: 'https://a.example/x'}\n"
                             "  - {id: wire, url: 'https://b.example/y'}\n")
    assert errors_of(d) == [f"{d}/feeds.yaml:3: feeds[1].id: duplicate id 'wire' (first at feeds[0])"]


def test_subscription_to_unknown_topic_and_destination(tmp_path: Path) -> None:
    alerts = """\
    destinations:
      - id: newsroom
        type: slack
        url: https://hooks.slack.com/services/T/B/X
    subscriptions:
      - destination: nowhere
        topics: [acme-news, no-such-topic]
    """
    d = make(tmp_path, alerts=alerts)
    errs = errors_of(d)
    assert f"{d}/alerts.yaml:6: subscriptions[0].destination: unknown destination 'nowhere'" in errs
    assert f"{d}/alerts.yaml:7: subscriptions[0].topics[1]: unknown topic 'no-such-topic'" in errs


def test_topic_naming_unknown_entity(tmp_path: Path) -> None:
    topics = TOPICS_YAML.replace("{entity: globex}", "{entity: globexx}")
    d = make(tmp_path, topics=topics)
    errs = errors_of(d)
    assert len(errs) == 1 and errs[0].startswith(f"{d}/topics.yaml:")
    assert "topics[1].rules" in errs[0] and "globexx" in errs[0]


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    d = make(tmp_path, feeds="feeds:\n  - id: a\n    url: [unclosed\n")
    [err] = errors_of(d)
    assert err.startswith(f"{d}/feeds.yaml:") and "YAML syntax error" in err


def test_unknown_top_level_key(tmp_path: Path) -> None:
    d = make(tmp_path, feeds="feed:\n  - id: a\n")
    assert errors_of(d) == [f"{d}/feeds.yaml:1: feed: unknown key (expected one of: feeds)"]


def test_invalid_edit_keeps_running_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    d = make(tmp_path)
    holder = ConfigHolder.load(d)
    before = holder.active
    (d / "feeds.yaml").write_text("feeds:\n  - id: x\n    url: not a url\n", encoding="utf-8")
    assert holder.reload_if_changed() is False
    assert holder.active.config is before.config
    (d / "feeds.yaml").write_text("feeds:\n  - id: x\n    url: https://example.com/x.xml\n", encoding="utf-8")
    assert holder.reload_if_changed() is True
    assert [f.id for f in holder.active.config.feeds] == ["x"]


def test_durations_and_minimum_interval(tmp_path: Path) -> None:
    d = make(tmp_path, feeds="feeds:\n  - {id: a, url: 'https://a.example/x', interval: 5s, backfill: 1h30m}\n")
    f = load_config(d, env=ENV).config.feeds[0]
    assert (f.interval_s, f.backfill_s) == (5, 5400)
    d = make(tmp_path, feeds="feeds:\n  - {id: a, url: 'https://a.example/x', interval: 2s}\n")
    [err] = errors_of(d)
    assert "feeds[0].interval" in err and "greater than or equal to 5" in err


def test_digest_needs_a_valid_cron_and_quiet_hours_a_real_zone(tmp_path: Path) -> None:
    alerts = """\
    destinations:
      - id: newsroom
        type: slack
        url: https://hooks.slack.com/services/T/B/X
    subscriptions:
      - destination: newsroom
        mode: digest
        schedule: "every morning"
      - destination: newsroom
        quiet_hours: {start: "22:00", end: "7am", timezone: Mars/Olympus}
    """
    d = make(tmp_path, alerts=alerts)
    errs = errors_of(d)
    assert any(e.startswith(f"{d}/alerts.yaml:6: subscriptions[0]:") and "cron" in e for e in errs)
    assert any(e.startswith(f"{d}/alerts.yaml:10: subscriptions[1].quiet_hours.end:") for e in errs)
    assert any("subscriptions[1].quiet_hours.timezone" in e and "time zone" in e for e in errs)


async def test_a_topic_that_would_match_everything_is_warned(tmp_path: Path) -> None:
    import asyncio
    import os
    import sys

    topics = TOPICS_YAML.replace("topics:\n", """\
  - id: filler
    name: Common words
    aliases: [a, the, of, in, for, as, new, "في", "من", "على"]
topics:
  - id: everything
    name: Too broad
    rules: {any_of: [{entity: filler}]}
""")
    d = make(tmp_path, topics=topics)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "config", "validate", str(d), stdout=asyncio.subprocess.PIPE,
        env={**os.environ, **ENV})
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0
    text = out.decode()
    assert "warning: topic 'everything' matched" in text and "acme-news" not in text.split("warning:", 1)[1]


def test_default_config_has_no_broad_topic() -> None:
    from monitor.configstate import compile_config

    assert compile_config(Path(__file__).parent.parent / "config").warnings == ()
