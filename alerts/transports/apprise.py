"""Email, ntfy, Telegram, Matrix and the ~100 other services Apprise speaks, through one
`type: apprise` destination whose `url` is an Apprise URL (`mailtos://...`, `ntfys://topic`).

Apprise does its own networking and reports only success or failure, so a failure is a retry
(the outbox's schedule and dead letters apply) and there is no status code or Retry-After.
Apprise connects on its own: the SSRF address guard does not cover these URLs, which is why
they come only from the operator's config, never from feed content.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from types import ModuleType

from alerts.model import Alert, Destination, Outcome
from alerts.render.console import render_console
from alerts.render.text import clean_text, truncate

TITLE_MAX = 250


def _apprise() -> ModuleType:
    """Imported on first use (most deployments never need it); its import of the deprecated
    `imghdr` module is not our users' concern."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:  # Apprise's plugins import it lazily; cache it now, quietly
            import imghdr  # noqa: F401
        except ImportError:  # Python 3.13+: Apprise ships its own shim
            pass
        import apprise  # type: ignore[import-untyped]
    return apprise


def apprise_url_error(url: str) -> str | None:
    """Why `url` is not a usable Apprise URL, or None (checked when the config loads)."""
    if _apprise().Apprise().add(url):
        return None
    return "not an Apprise URL this installation can use (see https://github.com/caronc/apprise/wiki)"


def render_apprise(alert: Alert) -> tuple[str, str]:
    """(title, plain-text body): chat-neutral text, cleaned of control and bidi characters."""
    if alert.event_type == "digest":
        title = f"Digest: {len(alert.digest_items)} alerts"
    else:
        topic = clean_text(alert.topic_name or alert.topic)
        title = f"[{clean_text(alert.severity).upper()}] {topic}: {clean_text(alert.item.title)}"
    body = render_console(alert)
    why = "; ".join(f"{clean_text(e.alias)} \u2192 \u201c{clean_text(e.text)}\u201d" for e in alert.evidence[:3])
    if why:
        body += f"\nWhy: {why}"
    return truncate(title, TITLE_MAX), body


async def send_apprise(destination: Destination, alert: Alert) -> Outcome:
    apprise = _apprise()
    started = time.monotonic()
    if alert.event_type == "story.updated":
        return Outcome("delivered", error="skipped")
    notifier = apprise.Apprise()
    if not destination.url or not notifier.add(destination.url):
        return Outcome("failed", error="not a usable Apprise URL")
    title, body = render_apprise(alert)
    try:
        async with asyncio.timeout(destination.timeout_s):
            ok = await notifier.async_notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
    except TimeoutError:
        ok = False
    ms = int((time.monotonic() - started) * 1000)
    return Outcome("delivered", duration_ms=ms) if ok else Outcome("retry", error="apprise: not sent", duration_ms=ms)
