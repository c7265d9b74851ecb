"""The HTTP API (aiohttp): health, readiness, feed states, dead letters, topic testing.

Served by `monitor web` (and `monitor run`). Read-mostly; the only writes are replaying dead
letters, which is the same operation as `monitor alerts replay`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from monitor.configstate import ConfigHolder
from monitor.store import alerts as alert_store
from monitor.store.db import Database, StoreUnavailable
from monitor.store.tables import utcnow
from monitor.views import dead_letter_view, feed_states, masked_config, match_view

DB_KEY = web.AppKey("db", Database)
CONFIG_KEY = web.AppKey("config", ConfigHolder)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    db = request.app[DB_KEY]
    try:
        await asyncio.wait_for(db.arun(alert_store.status_counts), timeout=5)
    except (StoreUnavailable, TimeoutError) as exc:
        return web.json_response({"status": "unavailable", "error": str(exc) or "database timeout"}, status=503)
    return web.json_response({"status": "ready"})


async def feeds(request: web.Request) -> web.Response:
    return web.json_response(await asyncio.to_thread(feed_states, request.app[DB_KEY]))


async def alerts_summary(request: web.Request) -> web.Response:
    db = request.app[DB_KEY]
    return web.json_response({"counts": await db.arun(alert_store.status_counts)})


async def dead_letters(request: web.Request) -> web.Response:
    dest = request.query.get("destination")
    return web.json_response(await asyncio.to_thread(dead_letter_view, request.app[DB_KEY], dest))


async def replay(request: web.Request) -> web.Response:
    body: dict[str, Any] = {}
    if request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "body must be JSON"}, status=400)
    if not isinstance(body, dict):
        return web.json_response({"error": "body must be a JSON object"}, status=400)
    dest, ids = body.get("destination"), body.get("alert_ids")
    n = await request.app[DB_KEY].arun(lambda s: alert_store.replay_dead(s, utcnow(), dest, ids))
    return web.json_response({"requeued": n})


async def topics(request: web.Request) -> web.Response:
    cfg = request.app[CONFIG_KEY].active.config
    return web.json_response([{"id": t.id, "name": t.name, "severity": t.severity} for t in cfg.topics])


async def topics_test(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        text = str(body["text"]) if isinstance(body, dict) else ""
    except (ValueError, KeyError):
        return web.json_response({"error": 'send {"text": "headline", "summary": "..."}'}, status=400)
    matcher = request.app[CONFIG_KEY].active.matcher
    return web.json_response({"matches": match_view(matcher, text, str(body.get("summary", "")))})


async def config_dump(request: web.Request) -> web.Response:
    return web.json_response(masked_config(request.app[CONFIG_KEY].active.config))


def make_app(db: Database, holder: ConfigHolder) -> web.Application:
    app = web.Application(client_max_size=1 << 20)
    app[DB_KEY] = db
    app[CONFIG_KEY] = holder
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/feeds", feeds)
    app.router.add_get("/alerts", alerts_summary)
    app.router.add_get("/alerts/dead", dead_letters)
    app.router.add_post("/alerts/replay", replay)
    app.router.add_get("/topics", topics)
    app.router.add_post("/topics/test", topics_test)
    app.router.add_get("/config", config_dump)
    return app
