"""Standard Webhooks signing, checked against the independent `standardwebhooks` package."""

from __future__ import annotations

import base64
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from alerts.errors import InvalidSecret, InvalidSignature
from alerts.sign import check_secret, sign, signature_headers, verify

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
NEW_SECRET = "whsec_" + base64.b64encode(b"n" * 32).decode()
BODY = '{"type":"alert.created","data":{"title":"Acmé"}}'.encode()


def test_signature_verifies_with_the_reference_library() -> None:
    now_s = int(time.time())
    headers = signature_headers(SECRET, "alrt_1", now_s, BODY)
    assert headers["webhook-id"] == "alrt_1" and headers["webhook-timestamp"] == str(now_s)
    assert Webhook(SECRET).verify(BODY, headers) == {"type": "alert.created", "data": {"title": "Acmé"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(NEW_SECRET).verify(BODY, headers)


def test_known_vector() -> None:
    # Example from the Standard Webhooks spec / reference test suite.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


def test_unsigned_when_no_secret() -> None:
    assert "webhook-signature" not in signature_headers(None, "a", 1, b"{}")


def test_check_secret_rejects_non_base64_without_echoing_it() -> None:
    check_secret(SECRET)
    check_secret(SECRET.removeprefix("whsec_"))
    check_secret(SECRET.rstrip("="))  # unpadded base64 is accepted, like the reference library
    for bad in ("whsec_not base64!!", "whsec_", "hunter2-$ecret"):
        with pytest.raises(InvalidSecret) as info:
            check_secret(bad)
        assert bad not in str(info.value)
        assert isinstance(info.value, ValueError)


def test_verify_accepts_good_and_rejects_tampered() -> None:
    headers = signature_headers(SECRET, "alrt_1", 1_000_000, BODY)
    verify([SECRET], headers, BODY, now_s=1_000_000)
    verify([SECRET], {k.upper(): v for k, v in headers.items()}, BODY, now_s=1_000_000)
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers, BODY + b" ", now_s=1_000_000)
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers | {"webhook-id": "alrt_2"}, BODY, now_s=1_000_000)


@pytest.mark.parametrize(
    "signature",
    ["", "v1", "v1,", "v1,!!!notbase64", "v2," + "A" * 44, "garbage", "v1,AAAA", ",,,", "v1a,xyz v1 v1;abc"],
)
def test_verify_rejects_malformed_signatures(signature: str) -> None:
    headers = {"webhook-id": "a", "webhook-timestamp": "1000000", "webhook-signature": signature}
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers, BODY, now_s=1_000_000)


@pytest.mark.parametrize("timestamp", ["abc", "", "-5", "1e6", "１０"])
def test_verify_rejects_malformed_timestamps(timestamp: str) -> None:
    headers = signature_headers(SECRET, "a", 1_000_000, BODY) | {"webhook-timestamp": timestamp}
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers, BODY, now_s=1_000_000)


@pytest.mark.parametrize("offset_s", [-301, 301, -10_000])
def test_verify_rejects_stale_and_future_timestamps(offset_s: int) -> None:
    sent_s = 1_000_000
    headers = signature_headers(SECRET, "a", sent_s, BODY)
    verify([SECRET], headers, BODY, now_s=sent_s + 300)
    verify([SECRET], headers, BODY, now_s=sent_s - 300)
    with pytest.raises(InvalidSignature):
        verify([SECRET], headers, BODY, now_s=sent_s + offset_s)


def test_verify_accepts_during_secret_rotation() -> None:
    old = signature_headers(SECRET, "a", 1_000_000, BODY)
    new_sig = sign(NEW_SECRET, "a", 1_000_000, BODY)
    both = old | {"webhook-signature": f"{new_sig} {old['webhook-signature']}"}
    verify([NEW_SECRET], both, BODY, now_s=1_000_000)  # receiver already rotated
    verify([SECRET], both, BODY, now_s=1_000_000)  # receiver not yet rotated
    verify([NEW_SECRET, SECRET], old, BODY, now_s=1_000_000)  # receiver accepts both secrets
    now_s = int(time.time())
    live = signature_headers(SECRET, "a", now_s, BODY)
    live["webhook-signature"] = f"{sign(NEW_SECRET, 'a', now_s, BODY)} {live['webhook-signature']}"
    assert Webhook(NEW_SECRET).verify(BODY, live) and Webhook(SECRET).verify(BODY, live)
    with pytest.raises(InvalidSignature):
        verify([NEW_SECRET], old, BODY, now_s=1_000_000)


def test_verify_requires_all_headers() -> None:
    headers = signature_headers(SECRET, "a", 1_000_000, BODY)
    for missing in headers:
        with pytest.raises(InvalidSignature):
            verify([SECRET], {k: v for k, v in headers.items() if k != missing}, BODY, now_s=1_000_000)
