"""Are healthy feeds still polled on time beside hostile ones? (`python bench/bench_hostile.py`)

Runs the real worker (`monitor worker`, a subprocess on SQLite) for RUN_S seconds twice: with
HEALTHY feeds alone (the baseline), then with the same healthy feeds beside ten hostile ones
(hang, trickle, gzip bomb, 200 MB body, redirect loop, HTML, garbage, XXE, 10,000 entries, 500),
all at interval 5s. Lateness of one poll = the moment the healthy feed's request arrives at its
server minus the `next_poll_at` the database held for that feed at that moment (the schedule);
each feed's first poll is left out. Prints mean, p95 and max lateness and the ratio of the two
runs. The hostile feeds are served from a separate process so serving them does not slow the
healthy server's clock.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from tests.feed_server import (  # noqa: E402
    FeedServer,
    gzip_bomb,
    hang,
    redirect_loop,
    status,
    stream,
    trickle,
)
from tests.world import Entry, rss, write_config  # noqa: E402

RUN_S = float(os.environ.get("BENCH_HOSTILE_RUN_S", "25"))
HEALTHY = 5
XXE = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>'
       b"<link>https://news.example.org/xxe</link></item></channel></rss>")


def serve_hostile(port_q: mp.Queue[int]) -> None:  # type: ignore[type-arg]
    async def main() -> None:
        async with FeedServer() as server:
            server.add("/hang.xml", hang(3600))
            server.add("/trickle.xml", trickle(b"<rss>" + b" " * 100_000, interval_s=0.25))
            server.add("/bomb.xml", gzip_bomb(inflated_mib=1024))
            server.add("/huge.xml", stream(b"<item><title>filler</title></item>" * 2000, count=3000))  # ~200 MB
            server.add("/loop.xml", redirect_loop())
            server.add("/login.html", b"<html><body><form>Sign in</form></body></html>", content_type="text/html")
            server.add("/garbage.xml", os.urandom(50_000), content_type="application/rss+xml")
            server.add("/xxe.xml", XXE)
            server.add("/big.xml", rss([Entry(f"Filler story number {i}", f"https://news.example.org/f/{i}",
                                              f"Nothing to see {i}.") for i in range(10_000)]))
            server.add("/error.xml", status(500))
            port_q.put(server.port)
            await asyncio.Event().wait()

    asyncio.run(main())


HOSTILE_PATHS = ["/hang.xml", "/trickle.xml", "/bomb.xml", "/huge.xml", "/loop.xml", "/login.html",
                 "/garbage.xml", "/xxe.xml", "/big.xml", "/error.xml"]


def scheduled_at(db_path: Path, feed_id: str) -> datetime | None:
    con = sqlite3.connect(db_path, timeout=5)
    try:
        row = con.execute("SELECT next_poll_at FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    finally:
        con.close()
    if not row or row[0] is None:
        return None
    return datetime.fromisoformat(str(row[0])).replace(tzinfo=UTC)


async def run(with_hostile: bool, hostile_port: int, work: Path) -> list[float]:
    db_path = work / ("hostile.db" if with_hostile else "alone.db")
    body = rss([Entry("A quiet day at the harbour", "https://news.example.org/harbour", "Nothing happened.")])
    lateness: list[float] = []
    seen: set[str] = set()

    async def handle(request: web.Request) -> web.Response:
        arrived = datetime.now(UTC)
        feed_id = request.path.strip("/").removesuffix(".xml")
        if feed_id in seen:
            due = await asyncio.to_thread(scheduled_at, db_path, feed_id)
            if due is not None:
                lateness.append((arrived - due).total_seconds())
        seen.add(feed_id)
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{name}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    feeds = [(f"healthy{i}", f"http://127.0.0.1:{port}/healthy{i}.xml") for i in range(HEALTHY)]
    if with_hostile:
        feeds += [(p.strip("/").split(".")[0], f"http://127.0.0.1:{hostile_port}{p}") for p in HOSTILE_PATHS]
    cfg = write_config(work / ("cfg-hostile" if with_hostile else "cfg-alone"), feeds,
                       "destinations: []\nsubscriptions: []\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "MONITOR_CONFIG": str(cfg),
           "MONITOR_ALLOW_PRIVATE_URLS": "true", "MONITOR_LOG_LEVEL": "ERROR"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "monitor", "worker", env=env,
                                                stderr=asyncio.subprocess.DEVNULL)
    try:
        await asyncio.sleep(RUN_S)
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 30)
        await runner.cleanup()
    if with_hostile:
        con = sqlite3.connect(db_path)
        states = con.execute("SELECT id, health, last_error_kind FROM feeds WHERE id NOT LIKE 'healthy%' "
                             "ORDER BY id").fetchall()
        con.close()
        print("hostile feed states: " + ", ".join(f"{i}={h}/{k}" for i, h, k in states))
    return lateness


def describe(name: str, xs: list[float]) -> str:
    if not xs:
        return f"{name:<28} no polls measured"
    p95 = sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]
    return (f"{name:<28} polls={len(xs):>3}  mean={statistics.mean(xs):6.3f}s  p95={p95:6.3f}s  "
            f"max={max(xs):6.3f}s")


async def main() -> None:
    ctx = mp.get_context("spawn")
    port_q: mp.Queue[int] = ctx.Queue()  # type: ignore[type-arg]
    server = ctx.Process(target=serve_hostile, args=(port_q,), daemon=True)
    server.start()
    try:
        hostile_port = port_q.get(timeout=30)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            print(f"healthy feeds: {HEALTHY} at interval 5s; {RUN_S:g}s of `monitor worker` per run")
            t0 = time.monotonic()
            alone = await run(False, hostile_port, work)
            print(describe("healthy alone (baseline)", alone))
            beside = await run(True, hostile_port, work)
            print(describe("healthy beside 10 hostile", beside))
            if alone and beside:
                print(f"ratio (beside / alone): mean x{statistics.mean(beside) / max(statistics.mean(alone), 1e-3):.2f}"
                      f"  max x{max(beside) / max(max(alone), 1e-3):.2f}   ({time.monotonic() - t0:.0f}s)")
    finally:
        server.terminate()
        server.join(10)


if __name__ == "__main__":
    asyncio.run(main())
