"""Faults below the service: SQLite locked by another process, the SQLite disk full, PostgreSQL
unreachable. Each ends in something an operator can read: the cycle waits and finishes, or the
command exits non-zero with one line (no traceback); /readyz says 503 while the store is gone."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from monitor.api.app import make_app
from monitor.configstate import ConfigHolder
from monitor.store.db import Database, upgrade
from monitor.store.tables import Alert
from tests.pipeline_support import pipeline_for
from tests.sink_server import Sink
from tests.world import Entry, FeedWorld, rss, webhook_and_slack_alerts, write_config

ACME = Entry("Acme Corp recalls its routers", "https://news.example.org/acme", "Acme Corp recall.", guid="a1")
GLOBEX = Entry("Globex opens a plant", "https://news.example.org/globex", "Globex plant.", guid="g1")
CLOSED_PG = "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1
LOCK_S = 7.0  # longer than /readyz's 5 s database timeout
LOCKER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
"""


async def monitor(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **env})
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


@asynccontextmanager
async def api(db: Database, cfg: Path) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(make_app(db, ConfigHolder.load(cfg)))) as client:
        yield client


@pytest.mark.timeout(60)
async def test_sqlite_locked_by_another_process_cycle_waits_and_readyz_503_then_200(
        sqlite_url: str, tmp_path: Path) -> None:
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME, GLOBEX])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        web_db = Database(sqlite_url)
        try:
            async with pipeline_for(sqlite_url, cfg) as p, api(web_db, cfg) as client:
                assert (await client.get("/readyz")).status == 200
                locker = await asyncio.create_subprocess_exec(
                    sys.executable, "-c", LOCKER, sqlite_url.removeprefix("sqlite:///"), str(LOCK_S),
                    stdout=asyncio.subprocess.PIPE)
                assert locker.stdout is not None
                assert (await asyncio.wait_for(locker.stdout.readline(), 10)).strip() == b"locked"
                locked_at = time.monotonic()
                during = await client.get("/readyz")
                assert during.status == 503 and (await during.json())["status"] == "unavailable"
                assert locker.returncode is None, "the lock is still held: the cycle starts under it"
                summary = await asyncio.wait_for(p.run_once(), timeout=40)
                cycle_done_s = time.monotonic() - locked_at
                assert cycle_done_s >= LOCK_S - 0.5, "the cycle waited for the lock instead of failing"
                assert await asyncio.wait_for(locker.wait(), 10) == 0
                after = await client.get("/readyz")
                assert after.status == 200 and (await after.json())["status"] == "ready"
                rows = p.db.run(lambda s: s.exec(select(Alert)).all())
        finally:
            web_db.dispose()
    print(f"\nsqlite locked {LOCK_S}s: cycle finished {cycle_done_s:.2f}s after the lock was taken")
    assert summary == {"feeds": 1, "new_items": 2, "alerts": 4}
    assert sorted(r.status for r in rows) == ["delivered"] * 4, "nothing lost while the file was locked"
    assert len(sink.requests("/hook")) == 2 and len(sink.requests("/slack")) == 2


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root and mount(8)); skipped where it cannot be made."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a 1 MiB tmpfs, which needs root and mount(8)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(directory: Path) -> Path:
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


@pytest.mark.timeout(90)
async def test_sqlite_disk_full_poll_once_fails_in_one_line_then_recovers_losing_nothing(
        tiny_disk: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tiny_disk / 'monitor.db'}"
    upgrade(url)
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/a.xml"] = rss([ACME, GLOBEX])
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                           webhook_and_slack_alerts(sink.url("/hook"), sink.url("/slack")))
        env = {"DATABASE_URL": url, "MONITOR_CONFIG": str(cfg), "MONITOR_ALLOW_PRIVATE_URLS": "true"}
        filler = fill(tiny_disk)
        code, _, err = await monitor("poll", "--once", env=env)
        assert code == 2 and "Traceback" not in err, err
        [line] = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert line.startswith("error: database unavailable:")
        assert sink.requests() == [], "nothing is sent that could not be recorded"
        filler.unlink()
        code, _, err = await monitor("poll", "--once", env=env)
        assert code == 0, err
        code, out, _ = await monitor("feeds", "--json", env=env)
    assert code == 0 and [f["health"] for f in json.loads(out)] == ["ok"]
    hooks = [json.loads(r.body)["data"]["item"]["title"] for r in sink.requests("/hook")]
    assert sorted(hooks) == sorted([ACME.title, GLOBEX.title]), "each alert once, none lost"
    assert len(sink.requests("/slack")) == 2


@pytest.mark.timeout(60)
async def test_postgres_unreachable_poll_once_exits_nonzero_in_one_line(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [("wire", "http://127.0.0.1:9/a.xml")], "destinations: []\nsubscriptions: []\n")
    code, out, err = await monitor("poll", "--once", env={"DATABASE_URL": CLOSED_PG, "MONITOR_CONFIG": str(cfg)})
    assert code != 0 and out == ""
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("error: database unavailable:")


@pytest.mark.timeout(30)
async def test_postgres_unreachable_readyz_is_503(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n")
    db = Database(CLOSED_PG)
    try:
        async with api(db, cfg) as client:
            assert (await client.get("/healthz")).status == 200, "alive, just not ready"
            resp = await client.get("/readyz")
            body = await resp.json()
    finally:
        db.dispose()
    assert resp.status == 503 and body["status"] == "unavailable" and body["error"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", [("feeds", "--json"), ("alerts", "dead"), ("alerts", "replay")])
async def test_postgres_unreachable_operator_commands_fail_in_one_line(command: tuple[str, ...],
                                                                       tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg", [], "destinations: []\nsubscriptions: []\n")
    code, _, err = await monitor(*command, env={"DATABASE_URL": CLOSED_PG, "MONITOR_CONFIG": str(cfg)})
    assert code == 2 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("error: database unavailable:")


@pytest.mark.timeout(120)
@pytest.mark.skipif(not os.environ.get("MONITOR_TEST_POSTGRES_URL"), reason="needs MONITOR_TEST_POSTGRES_URL")
async def test_postgres_connections_killed_under_load_lose_nothing(tmp_path: Path) -> None:
    """What a PostgreSQL restart does to a running worker: every connection dies mid-work. The
    pool reconnects, failed transactions roll back and are redone; nothing is lost or doubled."""
    import asyncio as aio
    import uuid

    import sqlalchemy as sa

    from monitor.store.db import StoreUnavailable, upgrade
    from tests.pipeline_support import pipeline_for
    from tests.sink_server import Reply, Sink
    from tests.world import SECRET, Entry, FeedWorld, rss, write_config

    base = os.environ["MONITOR_TEST_POSTGRES_URL"].replace("postgres://", "postgresql://")
    name = f"monitor_kill_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    kills = 0

    def kill_connections() -> int:
        with admin.connect() as c:
            return len(c.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                         "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": name}).all())

    try:
        entries = [Entry(f"Acme Corp dispatch {i}: depot {i * 17}", f"https://news.example.org/k/{i}", "Acme Corp")
                   for i in range(40)]
        async with FeedWorld() as feeds, Sink() as sink:
            feeds.bodies["/a.xml"] = rss(entries)
            sink.respond("/hook", Reply(delay_s=0.01))
            cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/a.xml"))],
                               f"destinations:\n  - id: analyst\n    type: webhook\n    url: {sink.url('/hook')}\n"
                               f"    secret: {SECRET}\nsubscriptions:\n  - destination: analyst\n")
            async with pipeline_for(url, cfg) as p:
                async def killer() -> None:
                    nonlocal kills
                    for _ in range(12):
                        await aio.sleep(0.1)
                        kills += await aio.to_thread(kill_connections)

                async def cycles() -> None:
                    for _ in range(30):  # a worker's loop: a failed cycle is simply run again
                        try:
                            await p.run_once()
                            ids = p.db.run(lambda s: list(s.exec(sa.select(Alert.id)).scalars()))
                            await p.deliverer.settle(ids)
                        except StoreUnavailable:
                            await aio.sleep(0.05)
                            continue
                        open_rows = p.db.run(lambda s: s.exec(
                            sa.select(sa.func.count()).select_from(Alert).where(Alert.status != "delivered")).one())
                        if len(ids) == 40 and open_rows[0] == 0:
                            return

                await aio.gather(killer(), cycles())
                ids = p.db.run(lambda s: list(s.exec(sa.select(Alert.id)).scalars()))
        sent = {}
        for r in sink.requests("/hook"):
            title = json.loads(r.body)["data"]["item"]["title"]
            sent.setdefault(title, set()).add(r.headers["webhook-id"])
        assert kills > 0, "connections were killed while it worked"
        assert len(ids) == 40 and len(sent) == 40, "nothing lost"
        assert all(len(v) == 1 for v in sent.values()), "no item under two ids"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
