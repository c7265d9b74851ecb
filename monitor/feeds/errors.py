"""Why a feed could not be fetched or read, as data the poller stores on the feed row.

Tree::

    FetchError                      code
    ├── FeedTimeout                 "timeout"          connect or total deadline passed
    ├── FeedTooLarge                "too_large"        body (after decompression) past max_bytes
    ├── BlockedAddress              "blocked_address"  scheme or address refused by the SSRF guard
    ├── FeedHTTPStatus              "http_<status>"    non-2xx/304 answer; carries retry_after_s
    ├── TooManyRedirects            "redirect_loop"    more hops than max_redirects
    ├── FeedConnectionError         "connection"       DNS, refused, reset, TLS, protocol errors
    ├── NotAFeed                    "not_a_feed"       empty body, HTML page, JSON that is not JSON Feed
    └── FeedParseError              "parse_error"      looks like a feed but cannot be read safely

Messages are written by us and never quote the response body, so they are safe to log and to show.
"""

from __future__ import annotations


class FetchError(Exception):
    """Base of every per-feed failure; `code` is a short stable kind for storage and metrics."""

    code: str = "fetch_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FeedTimeout(FetchError):
    code = "timeout"


class FeedTooLarge(FetchError):
    code = "too_large"


class BlockedAddress(FetchError):
    code = "blocked_address"


class FeedHTTPStatus(FetchError):
    """The server answered, but not with a feed; the status and Retry-After drive backoff and disabling."""

    def __init__(self, status: int, retry_after_s: float | None = None, message: str | None = None) -> None:
        super().__init__(message or f"HTTP status {status}")
        self.status = status
        self.retry_after_s = retry_after_s
        self.code = f"http_{status}"


class TooManyRedirects(FetchError):
    code = "redirect_loop"


class FeedConnectionError(FetchError):
    code = "connection"


class NotAFeed(FetchError):
    code = "not_a_feed"


class FeedParseError(FetchError):
    code = "parse_error"
