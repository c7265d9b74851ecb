"""Editing the watch config over HTTP: validate a proposed file, test a rule on a headline
before saving, save atomically. The worker picks saved files up without a restart.

A proposed file is validated together with the other current files (cross-references span
files), in a scratch copy of the folder, with the same loader as `monitor config validate`.
Saving writes a temporary file and renames it over the old one, so the worker never reads half
a file. Writes need the API token (`MONITOR_API_TOKEN`): without one they are disabled.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web

from monitor.config.errors import ConfigInvalid
from monitor.config.load import FILES, load_config, summarize
from monitor.configstate import compile_config
from monitor.matching import Matcher


def check_token(request: web.Request, token: str | None) -> None:
    if not token:
        raise web.HTTPForbidden(text='{"error": "writes are disabled: set MONITOR_API_TOKEN"}',
                                content_type="application/json")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise web.HTTPUnauthorized(text='{"error": "missing or wrong bearer token"}',
                                   content_type="application/json")


def _scratch_with(directory: Path, proposed: dict[str, str]) -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="monitor-config-"))
    for name in FILES:
        if name in proposed:
            (scratch / name).write_text(proposed[name], encoding="utf-8")
        elif (directory / name).exists():
            shutil.copyfile(directory / name, scratch / name)
    return scratch


def validate_proposal(directory: Path, proposed: dict[str, str]) -> dict[str, Any]:
    """{"valid", "errors": [{"file", "line", "key_path", "message"}], "summary"}; file names
    are the config's own (topics.yaml), not the scratch folder's."""
    unknown = [n for n in proposed if n not in FILES]
    if unknown:
        return {"valid": False, "summary": None, "errors": [
            {"file": n, "line": None, "key_path": "", "message": f"not a config file (one of {', '.join(FILES)})"}
            for n in unknown]}
    scratch = _scratch_with(directory, proposed)
    try:
        loaded = load_config(scratch)
        compile_config(scratch)
    except ConfigInvalid as exc:
        return {"valid": False, "summary": None, "errors": [
            {"file": Path(e.file).name, "line": e.line, "key_path": e.key_path, "message": e.message}
            for e in exc.errors]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"valid": True, "errors": [], "summary": summarize(loaded.config)}


def matcher_for_proposal(directory: Path, topics_yaml: str) -> Matcher:
    """The matcher a proposed topics.yaml would build (call only after it validated)."""
    scratch = _scratch_with(directory, {"topics.yaml": topics_yaml})
    try:
        return compile_config(scratch).matcher
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def save_file(directory: Path, name: str, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def read_json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text='{"error": "body must be JSON"}', content_type="application/json") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text='{"error": "body must be a JSON object"}', content_type="application/json")
    return body


async def validate_files(directory: Path, proposed: dict[str, str]) -> dict[str, Any]:
    return await asyncio.to_thread(validate_proposal, directory, proposed)
