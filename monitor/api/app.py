"""The HTTP API (aiohttp): health, readiness, feed states, dead letters, topic testing and
config editing.

Served by `monitor web` (and `monitor run`). Reads are open; writes (replaying dead letters,
saving a config file) need `Authorization: Bearer $MONITOR_API_TOKEN`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from monitor.api.config_edit import (
    check_token,
    matcher_for_proposal,
    read_json_object,
    save_file,
    validate_files,
)
from monitor.config.load import FILES
from monitor.configstate import ConfigHolder
from monitor.store import alerts as alert_store
from monitor.store.db import Database, StoreUnavailable
from monitor.store.tables import utcnow
from monitor.views import dead_letter_view, feed_states, masked_config, match_view

DB_KEY = web.AppKey("db", Database)
CONFIG_KEY = web.AppKey("config", ConfigHolder)
TOKEN_KEY = web.AppKey("token", str)


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
    check_token(request, request.app[TOKEN_KEY])
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
    """Which topics a headline matches and why; with "topics_yaml", under a proposed topics
    file instead of the running one (test a rule before saving it)."""
    body = await read_json_object(request)
    text = body.get("text")
    if not isinstance(text, str):
        return web.json_response({"error": 'send {"text": "headline", "summary": "..."}'}, status=400)
    holder = request.app[CONFIG_KEY]
    matcher = holder.active.matcher
    proposed = body.get("topics_yaml")
    if isinstance(proposed, str):
        result = await validate_files(holder.directory, {"topics.yaml": proposed})
        if not result["valid"]:
            return web.json_response(result, status=422)
        matcher = await asyncio.to_thread(matcher_for_proposal, holder.directory, proposed)
    return web.json_response({"matches": match_view(matcher, text, str(body.get("summary", "")))})


async def config_validate(request: web.Request) -> web.Response:
    """Body: {"files": {"topics.yaml": "...yaml..."}}; other files are taken from the running folder."""
    body = await read_json_object(request)
    files = body.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return web.json_response({"error": 'send {"files": {"feeds.yaml": "..."}}'}, status=400)
    result = await validate_files(request.app[CONFIG_KEY].directory, files)
    return web.json_response(result, status=200 if result["valid"] else 422)


async def config_save(request: web.Request) -> web.Response:
    """PUT the YAML text of one file: saved only if the whole config stays valid."""
    check_token(request, request.app[TOKEN_KEY])
    name = request.match_info["name"]
    if name not in FILES:
        return web.json_response({"error": f"unknown file; one of {', '.join(FILES)}"}, status=404)
    text = await request.text()
    holder = request.app[CONFIG_KEY]
    result = await validate_files(holder.directory, {name: text})
    if not result["valid"]:
        return web.json_response(result, status=422)
    await asyncio.to_thread(save_file, holder.directory, name, text)
    await asyncio.to_thread(holder.reload_if_changed)
    return web.json_response({"saved": name, **result})


async def config_dump(request: web.Request) -> web.Response:
    return web.json_response(masked_config(request.app[CONFIG_KEY].active.config))


def make_app(db: Database, holder: ConfigHolder, api_token: str | None = None) -> web.Application:
    app = web.Application(client_max_size=1 << 20)
    app[DB_KEY] = db
    app[CONFIG_KEY] = holder
    app[TOKEN_KEY] = api_token or ""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/feeds", feeds)
    app.router.add_get("/alerts", alerts_summary)
    app.router.add_get("/alerts/dead", dead_letters)
    app.router.add_post("/alerts/replay", replay)
    app.router.add_get("/topics", topics)
    app.router.add_post("/topics/test", topics_test)
    app.router.add_get("/config", config_dump)
    app.router.add_post("/config/validate", config_validate)
    app.router.add_put("/config/{name}", config_save)
    return app
