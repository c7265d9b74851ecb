"""Build a real Pipeline (real database, real HTTP session) for a test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from monitor.configstate import ConfigHolder
from monitor.feeds.fetch import FetchLimits
from monitor.pipeline import Pipeline
from monitor.service import http_session
from monitor.settings import Settings
from monitor.store.db import Database


@asynccontextmanager
async def pipeline_for(db_url: str, config_dir: Path, clock: Callable[[], datetime] | None = None,
                       ) -> AsyncIterator[Pipeline]:
    settings = Settings(database_url=db_url, config_dir=config_dir, allow_private_urls=True, lease_s=30)
    db = Database(db_url)
    holder = ConfigHolder.load(config_dir)
    try:
        async with http_session(settings) as session:
            p = Pipeline(db, settings, holder, session, clock=clock or (lambda: datetime.now(UTC)),
                         limits=FetchLimits(connect_timeout_s=2, total_timeout_s=5, max_bytes=2 << 20))
            try:
                yield p
            finally:
                await p.deliverer.shutdown()
    finally:
        db.dispose()
