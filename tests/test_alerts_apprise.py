"""`type: apprise` destinations, through Apprise's own JSON notifier to a real local sink."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts import deliver
from alerts.model import Alert, AlertItem, Destination, Evidence
from alerts.transports.apprise import apprise_url_error, render_apprise
from monitor.config.errors import ConfigInvalid
from monitor.config.load import load_config
from tests.sink_server import Sink
from tests.world import write_config

pytestmark = pytest.mark.timeout(30)

ALERT = Alert(alert_id="msg_1", event_type="alert.created", story_id="st_1", topic="acme-news",
              topic_name="Acme news", severity="high", score=90,
              item=AlertItem(title="Acme Corp <!channel> buys \u202eGlobex", url="https://news.example.org/a",
                             canonical_url="https://news.example.org/a", feed="wire",
                             published=datetime(2026, 11, 25, 9, 41, tzinfo=UTC)),
              evidence=(Evidence("acme-news:rules", "Acme Corp", "Acme Corp", 100),))


def test_render_is_plain_text_with_evidence() -> None:
    title, body = render_apprise(ALERT)
    assert title.startswith("[HIGH] Acme news: Acme Corp") and "\u202e" not in title
    assert "https://news.example.org/a" in body and "Why: Acme Corp" in body


async def test_apprise_json_notifier_reaches_a_sink_and_failures_retry() -> None:
    async with Sink() as sink:
        url = f"json://127.0.0.1:{sink.port}/apprise"
        assert apprise_url_error(url) is None
        outcome = await deliver(None, Destination("ops", "apprise", url), ALERT, datetime.now(UTC))  # type: ignore[arg-type]
        assert outcome.ok
        [req] = sink.requests("/apprise")
        sent = json.loads(req.body)
        assert sent["title"].startswith("[HIGH] Acme news") and "news.example.org/a" in sent["message"]
        sink.respond("/apprise", 500)
        outcome = await deliver(None, Destination("ops", "apprise", url), ALERT, datetime.now(UTC))  # type: ignore[arg-type]
        assert outcome.kind == "retry"


def test_config_refuses_an_unusable_apprise_url(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations:\n  - id: ops\n    type: apprise\n"
                                             "    url: nosuchservice://x\nsubscriptions: []\n")
    with pytest.raises(ConfigInvalid) as info:
        load_config(cfg, env={})
    assert "alerts.yaml:2: destinations[0]" in str(info.value.errors[0])
    ok = write_config(tmp_path / "ok", [], "destinations:\n  - id: ops\n    type: apprise\n"
                                           "    url: ntfys://ntfy.sh/newsroom-alerts\nsubscriptions: []\n")
    assert load_config(ok, env={}).config.destinations[0].type == "apprise"
