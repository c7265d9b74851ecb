"""Pipeline benchmarks (`make bench`): speed as ratios against a naive baseline run in the same
process, never as absolute thresholds in tests.

(a) durable deliveries/s: outbox rows claimed, POSTed and recorded on SQLite, beside the same
    POSTs sent by a plain aiohttp loop with no database: the ratio is the price of durability.
(b) wall time of `monitor poll --once` (a real subprocess) on 20 feeds x 200 items served locally.
(c) alerts per story on a syndication world: one wire story republished by 5 outlets with new
    titles and tracking parameters, plus distinct stories that must stay apart.
(d) peak RSS of this process and of the largest child (`poll --once`).

Everything runs on 127.0.0.1 with worlds written here (tests/world.py, tests/sink_server.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from monitor.logs import setup_logging  # noqa: E402
from monitor.store.db import upgrade  # noqa: E402
from tests.pipeline_support import pipeline_for  # noqa: E402
from tests.sink_server import Sink  # noqa: E402
from tests.world import SECRET, Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config  # noqa: E402

MONITOR = Path(sys.executable).with_name("monitor")
N_DELIVERIES = 500
N_FEEDS, ITEMS_PER_FEED, MATCH_EVERY = 20, 200, 10  # 1 item in 10 mentions Acme Corp
WIRE_TITLE = "Acme Corp to cut 1,200 jobs in Europe"
OUTLET_TITLES = [  # what republication does to a headline: suffixes, case, a verb swapped
    "Acme Corp to cut 1,200 jobs in Europe - Reuters",
    "Acme Corp To Cut 1,200 Jobs In Europe",
    "Acme Corp to cut 1,200 jobs in Europe | The Daily Ledger",
    "Acme Corp will cut 1,200 jobs in Europe",
    "ACME CORP TO CUT 1,200 JOBS IN EUROPE",
]
DISTINCT_TITLES = [  # near in wording or topic, but other news: must not merge with the wire story
    "Acme Corp to cut 300 jobs in Asia",
    "Acme Corp opens a research lab in Lisbon",
    "Globex names a new chief executive",
]


def webhook_only_alerts(hook_url: str) -> str:
    return ("destinations:\n"
            f"  - id: analyst\n    type: webhook\n    url: {hook_url}\n    secret: {SECRET}\n"
            "subscriptions:\n  - destination: analyst\n    topics: ['*']\n")


def acme_entries(n: int, prefix: str = "") -> list[Entry]:
    """Distinct matching items: each headline has its own figure, so no two cluster."""
    return [Entry(f"Acme Corp update {prefix}{i}: site {i} changes plans", f"https://news.example.org/{prefix}a/{i}",
                  f"Acme Corp notice {prefix}{i}.", guid=f"{prefix}acme-{i}") for i in range(n)]


def rss_mb(n: int) -> float:
    return n / 1024  # ru_maxrss is in KiB on Linux


# -- (a) ------------------------------------------------------------------------------------------
async def bench_deliveries(tmp: Path) -> dict[str, float]:
    """Time only the delivery stage: the rows exist (polled and matched) before the clock starts."""
    db_url = f"sqlite:///{tmp / 'a.db'}"
    upgrade(db_url)
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss(acme_entries(N_DELIVERIES))
        cfg = write_config(tmp / "cfg_a", [("wire", feeds.url("/a.xml"))], webhook_only_alerts(sink.url("/hook")))
        async with pipeline_for(db_url, cfg) as p:
            p.sync_feeds()
            for claim in await p.claim_due_feeds(limit=1):
                await p.poll_feed(claim)
            created = await p.match_pending()
            assert len(created) == N_DELIVERIES, len(created)
            t0 = time.perf_counter()
            await p.settle(created)
            durable_s = time.perf_counter() - t0
            delivered = p.db.run(lambda s: s.exec(sa.text(
                "SELECT count(*) FROM alerts WHERE status = 'delivered'")).one()[0])  # type: ignore[call-overload]
        sent = sink.requests("/hook")
        # Baseline: the very same requests (body and signature headers), in a plain loop, no database.
        keep = ("content-type", "webhook-id", "webhook-timestamp", "webhook-signature")
        async with aiohttp.ClientSession() as session:
            t0 = time.perf_counter()
            for r in sent:
                async with session.post(sink.url("/hook"), data=r.body,
                                        headers={k: v for k, v in r.headers.items() if k in keep}) as resp:
                    await resp.read()
                    assert resp.status == 200
            naive_s = time.perf_counter() - t0
    return {"alerts": float(delivered), "durable_per_s": delivered / durable_s,
            "naive_per_s": len(sent) / naive_s}


# -- (b) ------------------------------------------------------------------------------------------
def world_entries(feed: int) -> list[Entry]:
    out = []
    for i in range(ITEMS_PER_FEED):
        n = feed * ITEMS_PER_FEED + i
        if i % MATCH_EVERY == 0:
            out.append(Entry(f"Acme Corp update {n}: site {n} changes plans", f"https://f{feed}.example.org/{i}",
                             f"Acme Corp notice {n}.", guid=f"f{feed}-{i}"))
        else:
            out.append(Entry(f"Weather report {n} for district {n}", f"https://f{feed}.example.org/{i}",
                             f"Rain and wind, bulletin {n}.", guid=f"f{feed}-{i}"))
    return out


async def bench_poll_once(tmp: Path) -> dict[str, float]:
    db_url = f"sqlite:///{tmp / 'b.db'}"
    upgrade(db_url)
    async with FeedWorld() as feeds, Sink() as sink:
        for f in range(N_FEEDS):
            feeds.bodies[f"/f{f}.xml"] = rss(world_entries(f), title=f"Feed {f}")
        cfg = write_config(tmp / "cfg_b", [(f"f{f}", feeds.url(f"/f{f}.xml")) for f in range(N_FEEDS)],
                           webhook_only_alerts(sink.url("/hook")))
        env = dict(os.environ, DATABASE_URL=db_url, MONITOR_CONFIG=str(cfg), MONITOR_ALLOW_PRIVATE_URLS="true",
                   MONITOR_LOG_FORMAT="json")
        t0 = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(str(MONITOR), "poll", "--once", env=env,
                                                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, err = await proc.communicate()
        wall_s = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"poll --once exited {proc.returncode}:\n{err.decode()[-2000:]}")
        records = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
        summary = next(r for r in records if r.get("event") == "poll.done")
        received = len(sink.requests("/hook"))
    return {"wall_s": wall_s, "items": float(summary["new_items"]), "alerts": float(summary["alerts"]),
            "received": float(received)}


# -- (c) ------------------------------------------------------------------------------------------
async def bench_syndication(tmp: Path) -> tuple[dict[tuple[str, str, str], int], dict[str, str], int]:
    """Returns ({(story title, destination, event): count}, {story_id: title}, stories expected)."""
    db_url = f"sqlite:///{tmp / 'c.db'}"
    upgrade(db_url)
    wire = Entry(WIRE_TITLE, "https://wire.example.org/story/8812", "Acme Corp said on Tuesday it would cut "
                 "1,200 jobs across its European plants.", guid="wire-8812")
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/wire.xml"] = rss([wire] + [Entry(t, f"https://wire.example.org/story/{90 + i}",
                                                        f"Report {i}: {t}.", guid=f"wire-{90 + i}")
                                                  for i, t in enumerate(DISTINCT_TITLES)], title="Wire")
        for i, title in enumerate(OUTLET_TITLES):
            link = (f"https://outlet{i}.example.com/business/acme-jobs-{i}?utm_source=rss&utm_medium=feed"
                    f"&fbclid=x{i}")
            feeds.bodies[f"/o{i}.xml"] = rss([Entry(title, link, f"Outlet {i} copy: {wire.summary} More to come.",
                                                    guid=f"o{i}-acme")], title=f"Outlet {i}")
        cfg = write_config(tmp / "cfg_c", [("wire", feeds.url("/wire.xml"))]
                           + [(f"outlet{i}", feeds.url(f"/o{i}.xml")) for i in range(len(OUTLET_TITLES))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        async with pipeline_for(db_url, cfg) as p:
            # The wire first (it breaks the story), then the outlets that republish it.
            p.sync_feeds()
            for ids in (["wire"], [f"outlet{i}" for i in range(len(OUTLET_TITLES))]):
                claims = await p.claim_due_feeds(limit=len(ids), ids=ids)
                await asyncio.gather(*(p.poll_feed(c) for c in claims))
                await p.settle(await p.match_pending())
        counts: dict[tuple[str, str, str], int] = Counter()
        story_title: dict[str, str] = {}
        for r in sink.requests("/hook"):
            msg = json.loads(r.body)
            sid = msg["data"]["story_id"]
            if msg["type"] == "alert.created":
                story_title.setdefault(sid, msg["data"]["item"]["title"])
            counts[(sid, "webhook", msg["type"])] += 1
        slack = [json.dumps(json.loads(r.body), ensure_ascii=False) for r in sink.requests("/slack")]
        for sid, title in story_title.items():
            counts[(sid, "slack", "message")] = sum(1 for m in slack if title in m)
        for m in slack:  # a Slack post we could not tie to a webhook alert's story would be a stray
            if not any(t in m for t in story_title.values()):
                counts[("?", "slack", "message")] += 1
    return counts, story_title, 1 + len(DISTINCT_TITLES)


async def main() -> None:
    setup_logging("text", "WARNING")
    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as d:
        tmp = Path(d)
        t_all = time.perf_counter()

        a = await bench_deliveries(tmp)
        print(f"(a) durable deliveries, SQLite outbox -> local webhook sink ({int(a['alerts'])} alerts, sequential):")
        print(f"    durable   {a['durable_per_s']:8.1f} alerts/s  (claim, sign, POST, record outcome)")
        print(f"    naive     {a['naive_per_s']:8.1f} POSTs/s   (same requests, aiohttp loop, no database)")
        print(f"    ratio     {a['durable_per_s'] / a['naive_per_s']:8.2f} x naive")

        b = await bench_poll_once(tmp)
        print(f"(b) monitor poll --once, {N_FEEDS} feeds x {ITEMS_PER_FEED} items (subprocess, SQLite):")
        print(f"    wall {b['wall_s']:.2f} s for {int(b['items'])} new items, {int(b['alerts'])} alerts "
              f"({int(b['received'])} received by the sink); {b['items'] / b['wall_s']:.0f} items/s end to end")

        counts, titles, expected = await bench_syndication(tmp)
        print(f"(c) syndication: 1 wire story + {len(OUTLET_TITLES)} republications, "
              f"+ {len(DISTINCT_TITLES)} distinct stories:")
        for sid, title in sorted(titles.items(), key=lambda kv: kv[1]):
            print(f"    {title[:46]:<46} webhook alert.created={counts[(sid, 'webhook', 'alert.created')]} "
                  f"story.updated={counts[(sid, 'webhook', 'story.updated')]}  slack={counts[(sid, 'slack', 'message')]}")
        if counts[("?", "slack", "message")]:
            print(f"    unmatched slack posts: {counts[('?', 'slack', 'message')]}")
        wire_sid = next((s for s, t in titles.items() if t == WIRE_TITLE), None)
        merged = len(titles) == expected
        print(f"    stories alerted {len(titles)} of {expected} expected -> distinct stories "
              f"{'kept apart' if merged else 'MERGED OR SPLIT'}; wire story: "
              f"{counts[(wire_sid, 'webhook', 'alert.created')] if wire_sid else 0} alert + "
              f"{counts[(wire_sid, 'webhook', 'story.updated')] if wire_sid else 0} updates to the webhook, "
              f"{counts[(wire_sid, 'slack', 'message')] if wire_sid else 0} Slack post(s)")

        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"(d) peak RSS: bench process {rss_mb(self_kb):.0f} MiB; largest child (poll --once) "
              f"{rss_mb(child_kb):.0f} MiB")
        print(f"total bench time {time.perf_counter() - t_all:.1f} s")


if __name__ == "__main__":
    asyncio.run(main())
