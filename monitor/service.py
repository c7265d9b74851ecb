"""Process entry points: `web`, `worker`, `run` (both in one process) and one `poll --once`.

Signals: SIGTERM/SIGINT stop claiming new work, hand in-flight alerts back to the outbox and
exit well within the lease, so the next worker resends them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from monitor.api.app import make_app
from monitor.configstate import ConfigHolder
from monitor.feeds.fetch import FetchLimits
from monitor.feeds.guard import make_session
from monitor.logs import get_logger, log_event
from monitor.pipeline import Pipeline
from monitor.scheduler import Worker
from monitor.settings import Settings
from monitor.store.db import Database, upgrade

log = get_logger(__name__)


def prepare_database(settings: Settings) -> Database:
    """SQLite is embedded: migrate it on start so `monitor run` just works. PostgreSQL is shared
    by many processes: migrations are the Procfile's `release` step, not every worker's."""
    if settings.is_sqlite:
        upgrade(settings.database_url)
    return Database(settings.database_url)


@contextlib.asynccontextmanager
async def http_session(settings: Settings) -> AsyncIterator[aiohttp.ClientSession]:
    session = make_session(allow_private=settings.allow_private_urls, limits=FetchLimits())
    try:
        yield session
    finally:
        await session.close()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log_event(log, "service.stopping")


async def _reload_forever(holder: ConfigHolder, every_s: float) -> None:
    """A web-only process still answers /topics/test with the config operators just saved."""
    while True:
        await asyncio.sleep(every_s)
        await asyncio.to_thread(holder.reload_if_changed)


async def _start_web(settings: Settings, db: Database, holder: ConfigHolder) -> web.AppRunner:
    runner = web.AppRunner(make_app(db, holder, settings.api_token), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    log_event(log, "web.started", host=settings.host, port=settings.port)
    return runner


async def serve(settings: Settings, *, web_on: bool, worker_on: bool) -> None:
    db = await asyncio.to_thread(prepare_database, settings)
    holder = await asyncio.to_thread(ConfigHolder.load, settings.config_dir)
    runner = await _start_web(settings, db, holder) if web_on else None
    worker: Worker | None = None
    async with http_session(settings) as session:
        try:
            if worker_on:
                worker = Worker(Pipeline(db, settings, holder, session))
                await worker.start()
            else:
                reloader = asyncio.create_task(_reload_forever(holder, settings.config_reload_s))
            await _until_signalled()
        finally:
            if worker is not None:
                await worker.stop()
            else:
                reloader.cancel()
            if runner is not None:
                await runner.cleanup()
            db.dispose()


async def poll_once(settings: Settings) -> dict[str, int]:
    db = await asyncio.to_thread(prepare_database, settings)
    holder = await asyncio.to_thread(ConfigHolder.load, settings.config_dir)
    async with http_session(settings) as session:
        pipeline = Pipeline(db, settings, holder, session)
        try:
            return await pipeline.run_once()
        finally:
            await pipeline.deliverer.shutdown()
            db.dispose()
