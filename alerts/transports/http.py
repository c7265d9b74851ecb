"""POST one JSON body and turn whatever happens into an `Outcome` (the only I/O in `alerts`).

aiohttp errors are translated where they enter (httpx's `map_httpcore_exceptions` style) into
`alerts.errors.DeliveryError`s and those into an `Outcome`, so callers get data, not exceptions.
Guards: a total time limit per request (`asyncio.timeout`), redirects never followed (a
receiver must not bounce a signed alert elsewhere), at most 64 KiB of any response read, and
error texts scrubbed of the URL and secrets (Slack/Discord/Teams URLs embed tokens).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import aiohttp

from alerts.delivery import parse_retry_after
from alerts.errors import DeliveryError, Gone, Permanent, Retryable
from alerts.model import Outcome
from alerts.render.text import clean_text, truncate

MAX_RESPONSE_BYTES = 64 * 1024
ERROR_TEXT_MAX = 200
USER_AGENT = "news-monitor-alerts/0.1"


@dataclass(frozen=True)
class Reply:
    """What came back: status, the headers we care about, and the first bytes of the body."""

    status: int
    retry_after: str | None
    body_head: bytes


def _is_blocked(exc: BaseException) -> bool:
    """True for the monitor's address-guard refusal, which we cannot import: any exception in
    the chain whose class (or a base class) is named like `...Blocked...`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if any("Blocked" in cls.__name__ for cls in type(current).__mro__):
            return True
        current = current.__cause__ or current.__context__
    return False


def scrub(text: str, url: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the destination URL (or its path/query, which may hold tokens) or any
    secret, on one short line."""
    path_and_query = url.split("://", 1)[-1].partition("/")[2]
    for needle in (url, path_and_query, *secrets):
        if len(needle) >= 6:
            text = text.replace(needle, "***")
    return truncate(clean_text(text), ERROR_TEXT_MAX)


def classify(reply: Reply, now: datetime) -> None:
    """Raise the `DeliveryError` a non-2xx reply means; return for success."""
    status = reply.status
    if 200 <= status < 300:
        return
    detail = clean_text(reply.body_head[:ERROR_TEXT_MAX].decode("utf-8", "replace"))
    message = f"HTTP {status}" + (f": {detail}" if detail else "")
    if status == 429 or status == 408 or status >= 500:
        raise Retryable(message, status=status, retry_after_s=parse_retry_after(reply.retry_after, now))
    if status == 410:
        raise Gone(message, status=status)
    if 300 <= status < 400:
        raise Permanent(f"HTTP {status}: redirects are not followed", status=status)
    raise Permanent(message, status=status)


async def _read_head(response: aiohttp.ClientResponse, chunks: list[bytes]) -> None:
    """Read at most MAX_RESPONSE_BYTES into `chunks`; a bigger body is left unread and the
    connection closed, so a receiver streaming gigabytes costs us 64 KiB."""
    size = 0
    while size < MAX_RESPONSE_BYTES:
        chunk = await response.content.read(MAX_RESPONSE_BYTES - size)
        if not chunk:
            return
        chunks.append(chunk)
        size += len(chunk)
    if not response.content.at_eof():
        response.close()


async def _post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: Mapping[str, str], timeout_s: float
) -> Reply:
    """The raw exchange. A 2xx whose body then stalls still counts: the receiver accepted it."""
    status: int | None = None
    retry_after: str | None = None
    chunks: list[bytes] = []
    try:
        async with asyncio.timeout(timeout_s):
            async with session.post(
                url, data=body, headers=dict(headers), allow_redirects=False, raise_for_status=False
            ) as response:
                status, retry_after = response.status, response.headers.get("Retry-After")
                await _read_head(response, chunks)
    except TimeoutError:
        if status is None:
            raise Retryable(f"timed out after {timeout_s:g}s") from None
    except aiohttp.InvalidURL:
        raise Permanent("invalid destination URL") from None
    except Exception as exc:
        if _is_blocked(exc):
            raise Permanent(f"address blocked: {type(exc).__name__}") from None
        if status is not None:
            pass  # the status line arrived; a broken body does not change what it said
        elif isinstance(exc, aiohttp.ClientError | OSError):
            raise Retryable(f"{type(exc).__name__}: {exc}") from None
        else:
            raise
    return Reply(status=status, retry_after=retry_after, body_head=b"".join(chunks))


async def post_json(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout_s: float,
    now: datetime,
    secrets: Iterable[str] = (),
) -> Outcome:
    """POST `body` as application/json and report an `Outcome` with the time it took."""
    all_headers = {"content-type": "application/json", "user-agent": USER_AGENT, **headers}
    started = time.monotonic()
    status: int | None = None
    try:
        reply = await _post(session, url, body, all_headers, timeout_s)
        status = reply.status
        classify(reply, now)
    except DeliveryError as err:
        return outcome_from_error(err, started, url, secrets)
    return Outcome("delivered", status=status, duration_ms=_elapsed_ms(started))


def outcome_from_error(
    err: DeliveryError, started: float, url: str = "", secrets: Iterable[str] = ()
) -> Outcome:
    """The `Outcome` an error stands for, its message scrubbed."""
    error = scrub(err.message, url, secrets) if url else truncate(err.message, ERROR_TEXT_MAX)
    duration_ms = _elapsed_ms(started)
    if isinstance(err, Retryable):
        return Outcome("retry", err.status, err.retry_after_s, error, duration_ms)
    if isinstance(err, Gone):
        return Outcome("gone", err.status, None, error, duration_ms)
    return Outcome("failed", err.status, None, error, duration_ms)


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
