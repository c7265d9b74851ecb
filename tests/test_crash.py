"""Crash safety of the real `monitor worker` process: SIGKILL at random points and SIGTERM
mid-delivery, against a real feed server, a real webhook sink and a real SQLite file.

The outbox promises at-least-once delivery with a stable id: a worker may die after the
receiver got a POST but before the outcome was recorded, so the same webhook-id may arrive
twice (receivers dedupe on it); what must never happen is an alert lost, or one item sent
under two ids (the receiver could not dedupe that). These tests kill the process for real,
because an in-process "crash" cannot stop a thread mid-commit or drop a socket mid-request.
Randomness is seeded; assertions are on counts, never on timing (speed is `make bench`).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.sink_server import Recorded, Reply, Sink
from tests.world import SECRET, Entry, FeedWorld, rss, write_config

pytestmark = pytest.mark.timeout(180)

MONITOR = Path(sys.executable).with_name("monitor")
N_ALERTS = 300
MIN_KILLS = 20
SEED = 20261125
CRASH_LEASE_S = 2.0  # short, so the in-flight alerts of a killed worker are reclaimed quickly
DEADLINE_S = 120.0  # the whole kill/restart loop, generous; a healthy run needs far less
STARTUP_BOUND_S = 30.0  # how long a worker may take to log worker.started


def webhook_only_alerts(hook_url: str) -> str:
    """One webhook destination, no rate limit: every send is limited only by the sink."""
    return (
        "destinations:\n"
        f"  - id: analyst\n    type: webhook\n    url: {hook_url}\n    secret: {SECRET}\n"
        "subscriptions:\n"
        "  - destination: analyst\n    topics: ['*']\n"
    )


def numbered_entries(n: int) -> list[Entry]:
    """`n` distinct items that all match `acme-news`. Each title carries its own number, and
    story clustering keeps headlines with different figures apart, so each item is one story
    and exactly one alert."""
    return [Entry(f"Acme Corp update #{i}: plant {i} changes its shift plan",
                  f"https://news.example.org/acme/{i}", f"Acme Corp notice number {i} for site {i}.",
                  guid=f"acme-{i}") for i in range(n)]


def worker_env(db_url: str, config_dir: Path, lease_s: float) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": db_url, "MONITOR_CONFIG": str(config_dir), "MONITOR_ALLOW_PRIVATE_URLS": "true",
                "MONITOR_TICK_S": "0.2", "MONITOR_LEASE_S": str(lease_s), "MONITOR_LOG_LEVEL": "INFO"})
    return env


async def spawn_worker(env: dict[str, str], log_path: Path) -> asyncio.subprocess.Process:
    """Its own session, so a kill reaches only this worker; stderr to a file we can read back."""
    with log_path.open("ab") as log:
        return await asyncio.create_subprocess_exec(
            str(MONITOR), "worker", env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=log, start_new_session=True)


async def wait_started(proc: asyncio.subprocess.Process, log_path: Path, offset: int) -> None:
    """Until this life of the worker logged `worker.started` (bounded)."""
    async with asyncio.timeout(STARTUP_BOUND_S):
        while b"event=worker.started" not in log_path.read_bytes()[offset:]:
            if proc.returncode is not None:
                raise AssertionError(f"worker exited with {proc.returncode} before starting:\n"
                                     + log_path.read_text(errors="replace")[offset:][-3000:])
            await asyncio.sleep(0.02)


def outbox(db_url: str) -> list[tuple[str, str]]:
    """(id, status) of every alert row, read with a plain engine as an operator would."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as c:
            return [(r[0], r[1]) for r in c.execute(sa.text("SELECT id, status FROM alerts"))]
    finally:
        engine.dispose()


def attempt_outcomes(db_url: str) -> Counter[str]:
    """Outcomes recorded in the delivery log: a killed worker records none."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as c:
            return Counter({r[0]: int(r[1]) for r in c.execute(
                sa.text("SELECT outcome, count(*) FROM delivery_attempts GROUP BY outcome"))})
    finally:
        engine.dispose()


def hook_id_and_title(r: Recorded) -> tuple[str, str]:
    return r.headers["webhook-id"], json.loads(r.body)["data"]["item"]["title"]


@dataclass
class CrashLog:
    """What the kill loop saw, for the report and the assertions."""

    kills: int = 0
    kills_mid_delivery: int = 0  # kills that left rows claimed ('delivering')
    in_flight: dict[str, float] = field(default_factory=dict[str, float])  # alert id -> monotonic kill time


async def test_sigkill_at_random_points_loses_nothing_and_never_changes_an_id(
        sqlite_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    entries = numbered_entries(N_ALERTS)
    crash = CrashLog()
    log_path = tmp_path / "worker.log"
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/wire.xml"] = rss(entries, title="Wire")
        sink.respond("/hook", Reply(delay_s=0.05))  # slow enough that kills land mid-request
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/wire.xml"))], webhook_only_alerts(sink.url("/hook")))
        env = worker_env(sqlite_url, cfg, CRASH_LEASE_S)
        started = time.monotonic()
        while crash.kills < MIN_KILLS:
            assert time.monotonic() - started < DEADLINE_S, f"kill loop over {DEADLINE_S}s; see {log_path}"
            offset = log_path.stat().st_size if log_path.exists() else 0
            proc = await spawn_worker(env, log_path)
            if rng.random() < 0.2:  # now and then, die during start-up (config load, migrations, sync)
                await asyncio.sleep(rng.uniform(0.05, 0.6))
            else:
                await wait_started(proc, log_path, offset)
                await asyncio.sleep(rng.uniform(0.0, 1.0))
            os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
            killed_at = time.monotonic()
            crash.kills += 1
            claimed = [aid for aid, status in outbox(sqlite_url) if status == "delivering"]
            crash.kills_mid_delivery += bool(claimed)
            for aid in claimed:
                crash.in_flight.setdefault(aid, killed_at)
        # A last worker drains the outbox; then it is stopped gracefully.
        offset = log_path.stat().st_size
        proc = await spawn_worker(env, log_path)
        try:
            await wait_started(proc, log_path, offset)
            while True:
                rows = outbox(sqlite_url)
                if len(rows) == N_ALERTS and all(st in ("delivered", "dead") for _, st in rows):
                    break
                assert time.monotonic() - started < DEADLINE_S, (
                    f"outbox not drained in {DEADLINE_S}s: {Counter(st for _, st in rows)}; see {log_path}")
                await asyncio.sleep(0.1)
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                await proc.wait()
        requests = sink.requests("/hook")

    ids_by_title: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, float] = {}
    last_seen: dict[str, float] = {}
    for r in requests:
        aid, title = hook_id_and_title(r)
        ids_by_title[title].add(aid)
        first_seen.setdefault(aid, r.time)
        last_seen[aid] = r.time
    per_id = Counter(hook_id_and_title(r)[0] for r in requests)
    lost = [e.title for e in entries if e.title not in ids_by_title]
    two_ids = {t: ids for t, ids in ids_by_title.items() if len(ids) > 1}
    same_id_repeats = sum(n - 1 for n in per_id.values())
    recovered = [aid for aid in crash.in_flight if aid in last_seen and last_seen[aid] > crash.in_flight[aid]]
    resend_after_s = [last_seen[aid] - crash.in_flight[aid] for aid in recovered]
    rows = outbox(sqlite_url)
    print(f"\ncrash: alerts={N_ALERTS} kills={crash.kills} kills_mid_delivery={crash.kills_mid_delivery} "
          f"lost={len(lost)} two_ids={len(two_ids)} same_id_repeats={same_id_repeats} "
          f"in_flight_at_kill={len(crash.in_flight)} recovered={len(recovered)} "
          f"requests={len(requests)} max_resend_after_kill_s={max(resend_after_s, default=0.0):.1f} "
          f"lease_s={CRASH_LEASE_S} wall_s={time.monotonic() - started:.1f}")

    assert crash.kills >= MIN_KILLS
    assert crash.kills_mid_delivery > 0, "no kill landed mid-delivery: the test proved nothing"
    assert lost == [], f"lost alerts: {lost[:5]}"
    assert two_ids == {}, f"items sent under two webhook-ids: {list(two_ids.items())[:3]}"
    assert len(rows) == N_ALERTS, "one outbox row per item, however often the worker died"
    assert Counter(st for _, st in rows) == {"delivered": N_ALERTS}
    assert set(per_id) == {aid for aid, _ in rows}, "the sink saw exactly the outbox's ids"
    # Every alert a dead worker held was sent again by a later worker, found by its expired lease
    # (a row left 'delivering' forever, or parked behind a retry backoff, would miss the drain).
    assert sorted(recovered) == sorted(crash.in_flight)
    # ... by its lease, not by the retry schedule (whose next step is minutes away): no attempt
    # ever failed, so nothing was parked behind a backoff.
    assert set(attempt_outcomes(sqlite_url)) == {"delivered"}


async def test_sigterm_mid_delivery_hands_claims_back_and_exits_within_the_lease(
        sqlite_url: str, tmp_path: Path) -> None:
    lease_s = 15.0
    log_path = tmp_path / "worker.log"
    entries = numbered_entries(3)
    async with FeedWorld() as feeds, Sink() as sink:
        feeds.bodies["/wire.xml"] = rss(entries, title="Wire")
        sink.respond("/hook", Reply(delay_s=10.0))
        cfg = write_config(tmp_path / "cfg", [("wire", feeds.url("/wire.xml"))], webhook_only_alerts(sink.url("/hook")))
        proc = await spawn_worker(worker_env(sqlite_url, cfg, lease_s), log_path)
        try:
            await wait_started(proc, log_path, 0)
            await sink.wait_for("/hook", count=1, timeout_s=STARTUP_BOUND_S)
            claimed_before = [aid for aid, st in outbox(sqlite_url) if st == "delivering"]
            proc.send_signal(signal.SIGTERM)
            sent_at = time.monotonic()
            try:
                rc = await asyncio.wait_for(proc.wait(), timeout=lease_s)
            except TimeoutError:
                raise AssertionError(f"worker still running {lease_s}s after SIGTERM; see {log_path}") from None
            exit_s = time.monotonic() - sent_at
        finally:
            if proc.returncode is None:
                os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
    rows = outbox(sqlite_url)
    statuses = Counter(st for _, st in rows)
    print(f"\nsigterm: exit_s={exit_s:.2f} rc={rc} lease_s={lease_s} claimed_before={len(claimed_before)} "
          f"outbox={dict(statuses)}")
    assert rc == 0, log_path.read_text(errors="replace")[-3000:]
    assert claimed_before, "the worker had claimed the alert it was sending"
    assert statuses["delivering"] == 0, "no row stays claimed by a worker that stopped"
    assert statuses["pending"] == len(entries), "claims were handed back for the next worker"
    assert "event=delivery.released" in log_path.read_text(errors="replace")

