"""Standard Webhooks signing and verification (pure: time and secrets are passed in).

The signed content is `"{msg_id}.{timestamp_s}.{body}"`, HMAC-SHA256 keyed with the
base64-decoded secret, sent as `webhook-signature: v1,<base64>`. Receivers may list several
space-separated signatures so a secret can be rotated without dropping requests; `verify`
accepts a request when any signature matches any of the secrets it is given.
See https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping, Sequence

from alerts.errors import InvalidSecret, InvalidSignature

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_S = 300


def _secret_key(secret: str) -> bytes:
    """Decode `whsec_<base64>` (or bare base64) to the HMAC key; padding may be omitted."""
    encoded = secret.removeprefix(SECRET_PREFIX).strip()
    encoded += "=" * (-len(encoded) % 4)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        # The message deliberately does not echo the secret.
        raise InvalidSecret("webhook secret must be 'whsec_' followed by base64") from None
    if not key:
        raise InvalidSecret("webhook secret must not be empty")
    return key


def check_secret(secret: str) -> None:
    """Raise `InvalidSecret` (a ValueError) for a secret `sign` could not use; for config loading."""
    _secret_key(secret)


def _digest(key: bytes, msg_id: str, timestamp_s: int, body: bytes) -> bytes:
    to_sign = f"{msg_id}.{timestamp_s}.".encode() + body
    return hmac.new(key, to_sign, hashlib.sha256).digest()


def sign(secret: str, msg_id: str, timestamp_s: int, body: bytes) -> str:
    """The `webhook-signature` value for one message: `v1,<base64 hmac-sha256>`."""
    digest = _digest(_secret_key(secret), msg_id, timestamp_s, body)
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(secret: str | None, msg_id: str, timestamp_s: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers; without a secret the request goes unsigned."""
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp_s)}
    if secret is not None:
        headers["webhook-signature"] = sign(secret, msg_id, timestamp_s, body)
    return headers


def _parse_signatures(value: str) -> list[bytes]:
    """The decodable `v1` signatures in a header; unknown versions and junk are skipped."""
    found: list[bytes] = []
    for part in value.split():
        version, sep, encoded = part.partition(",")
        if not sep or version != SIGNATURE_VERSION:
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def verify(
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    now_s: int,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> None:
    """Raise `InvalidSignature` unless some signature in `headers` matches some secret.

    Timestamps further than `tolerance_s` from `now_s` in either direction are refused, so a
    captured request cannot be replayed later. Header names are matched case-insensitively.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id = lowered.get("webhook-id", "")
    timestamp = lowered.get("webhook-timestamp", "").strip()
    signature = lowered.get("webhook-signature", "")
    if not (msg_id and timestamp and signature):
        raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise InvalidSignature("webhook-timestamp is not an integer")
    if len(timestamp) > 20:  # int() refuses past 4300 digits; no real clock needs more than 20
        raise InvalidSignature("webhook-timestamp outside the tolerance window")
    timestamp_s = int(timestamp)
    if abs(now_s - timestamp_s) > tolerance_s:
        raise InvalidSignature("webhook-timestamp outside the tolerance window")
    candidates = _parse_signatures(signature)
    if not candidates:
        raise InvalidSignature("no well-formed v1 signature")
    for secret in secrets:
        expected = _digest(_secret_key(secret), msg_id, timestamp_s, body)
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return
    raise InvalidSignature("no matching signature")
