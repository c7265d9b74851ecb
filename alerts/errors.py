"""Errors raised by the `alerts` package.

Tree::

    AlertsError
    ├── InvalidSecret (also ValueError)   a Standard Webhooks secret that is not `whsec_<base64>`
    ├── InvalidSignature                  `verify` refused a request (bad/missing/stale)
    └── DeliveryError                     one attempt did not deliver; carries no secret
        ├── Retryable(retry_after_s)      5xx, 408, 429, timeouts, connection errors
        └── Permanent                     3xx, other 4xx, refused address, bad config
            └── Gone                      410: the receiver asks us to stop

Transports raise `DeliveryError`s where aiohttp errors enter and turn them into an `Outcome`
at their edge, so callers only ever see data (an `Outcome`), never an exception.
Messages never contain secrets or full destination URLs (Slack/Discord URLs embed tokens).
"""

from __future__ import annotations


class AlertsError(Exception):
    """Base of every error this package raises."""


class InvalidSecret(AlertsError, ValueError):
    """A webhook secret that cannot be used to sign; raised at config time by `check_secret`."""


class InvalidSignature(AlertsError):
    """A webhook request whose signature headers do not verify."""


class DeliveryError(AlertsError):
    """One delivery attempt failed; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Retryable(DeliveryError):
    """Worth trying again later, no sooner than `retry_after_s` when the receiver said so."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after_s = retry_after_s


class Permanent(DeliveryError):
    """Trying again with the same request will not help."""


class Gone(Permanent):
    """The receiver answered 410 Gone: the destination should be disabled."""
