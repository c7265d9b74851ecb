"""Test world for pipeline tests: feeds we write, served by a real aiohttp server on
127.0.0.1, and config folders pointing at them."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape

from aiohttp import web

TOPICS_YAML = """\
entities:
  - id: acme
    name: Acme Corp
    aliases: ["Acme Corp", "أكمي"]
  - id: globex
    name: Globex
    aliases: ["Globex"]
topics:
  - id: acme-news
    name: Acme news
    rules: {all_of: [{entity: acme}]}
  - id: globex-news
    name: Globex news
    severity: high
    rules: {all_of: [{entity: globex}]}
"""


@dataclass
class Entry:
    title: str
    link: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = field(default_factory=lambda: datetime.now(UTC) - timedelta(hours=1))


def rss(entries: list[Entry], title: str = "Test feed") -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
             f"<title>{escape(title)}</title><link>https://news.example.org/</link><description>t</description>"]
    for e in entries:
        parts.append(f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>")
        if e.guid:
            parts.append(f'<guid isPermaLink="false">{escape(e.guid)}</guid>')
        if e.published:
            parts.append(f"<pubDate>{format_datetime(e.published)}</pubDate>")
        parts.append(f"<description>{escape(e.summary)}</description></item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


class FeedWorld:
    """Serves `bodies[path]` with ETag/304 and gzip; `status[path]` overrides the answer."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.status: dict[str, int] = {}
        self.content_type: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}
        self.etags = True
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FeedWorld:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, t: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._runner:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path
        self.hits[path] = self.hits.get(path, 0) + 1
        if path in self.status:
            return web.Response(status=self.status[path], text="error")
        body = self.bodies.get(path)
        if body is None:
            return web.Response(status=404)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.etags and request.headers.get("If-None-Match") == etag:
            self.not_modified[path] = self.not_modified.get(path, 0) + 1
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"Content-Type": self.content_type.get(path, "application/rss+xml")}
        if self.etags:
            headers["ETag"] = etag
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body)
        return web.Response(body=body, headers=headers)


def write_config(directory: Path, feeds: list[tuple[str, str]], alerts_yaml: str,
                 topics_yaml: str = TOPICS_YAML, interval: str = "5s") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "topics.yaml").write_text(topics_yaml, encoding="utf-8")
    (directory / "feeds.yaml").write_text("feeds:\n" + "".join(
        f"  - id: {fid}\n    url: {url}\n    interval: {interval}\n" for fid, url in feeds) if feeds
        else "feeds: []\n", encoding="utf-8")
    (directory / "alerts.yaml").write_text(alerts_yaml, encoding="utf-8")
    return directory


SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def webhook_and_slack_alerts(hook_url: str, slack_url: str, retry: str = "") -> str:
    return (
        "destinations:\n"
        f"  - id: analyst\n    type: webhook\n    url: {hook_url}\n    secret: {SECRET}\n{retry}"
        f"  - id: newsroom\n    type: slack\n    url: {slack_url}\n{retry}"
        "subscriptions:\n"
        "  - destination: analyst\n    topics: ['*']\n"
        "  - destination: newsroom\n    topics: ['*']\n"
    )
