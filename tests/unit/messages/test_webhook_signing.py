"""Standard Webhooks signatures checked against the official ``standardwebhooks`` package:
any id, timestamp and body verifies, any change to one of them does not; secrets and
their rotation."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from loyalist.messages.channels.signing import (
    WebhookSecret,
    WebhookSigner,
    generate_secret,
    rotate_secrets,
    secret_key,
)

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OTHER = "whsec_" + base64.b64encode(bytes(range(1, 33))).decode()
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

ids = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="."),
    min_size=1,
    max_size=64,
)
bodies = st.text(max_size=300)
keys = st.binary(min_size=24, max_size=64)


def headers(msg_id: str, timestamp: int, signature: str) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def now_seconds() -> int:
    return int(datetime.now(UTC).timestamp())


@given(key=keys, msg_id=ids, body=bodies, skew=st.integers(-240, 240))
def test_any_message_verifies_with_the_official_package(
    key: bytes, msg_id: str, body: str, skew: int
) -> None:
    secret = "whsec_" + base64.b64encode(key).decode()
    timestamp = now_seconds() + skew
    signature = WebhookSigner([WebhookSecret(secret)]).signature(
        msg_id, timestamp, body.encode(), now=T0
    )

    Webhook(secret).verify(body.encode(), headers(msg_id, timestamp, signature), json_parse=False)


@given(msg_id=ids, timestamp=st.integers(0, 253402300799), body=bodies)
def test_the_signature_is_the_official_one_for_any_timestamp(
    msg_id: str, timestamp: int, body: str
) -> None:
    """Timestamps far from now cannot pass ``verify`` (it refuses old messages), so the
    signature is compared with the package's own ``sign``."""
    ours = WebhookSigner([WebhookSecret(SECRET)]).signature(
        msg_id, timestamp, body.encode(), now=T0
    )

    assert ours == Webhook(SECRET).sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body)


@given(msg_id=ids, body=bodies.filter(bool), data=st.data())
def test_any_changed_character_fails_verification(
    msg_id: str, body: str, data: st.DataObject
) -> None:
    timestamp = now_seconds()
    signature = WebhookSigner([WebhookSecret(SECRET)]).signature(
        msg_id, timestamp, body.encode(), now=T0
    )
    part = data.draw(st.sampled_from(["id", "timestamp", "body", "signature"]))
    sent = {"id": msg_id, "timestamp": str(timestamp), "body": body, "signature": signature}
    original = sent[part]
    # In a signature, only ``v1,`` + the 42 base64 characters that carry whole bits: the
    # 43rd carries 2 bits nobody reads.
    first, last = (3, 44) if part == "signature" else (0, len(original) - 1)
    index = data.draw(st.integers(first, last))
    replacement = data.draw(
        st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").filter(
            lambda c: c != original[index]
        )
    )
    sent[part] = original[:index] + replacement + original[index + 1 :]

    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(
            sent["body"].encode(),
            {
                "webhook-id": sent["id"],
                "webhook-timestamp": sent["timestamp"],
                "webhook-signature": sent["signature"],
            },
            json_parse=False,
        )


def test_rotation_signs_with_both_secrets_newest_first() -> None:
    secrets = rotate_secrets([WebhookSecret(SECRET)], OTHER, now=T0, overlap=timedelta(days=1))
    signer = WebhookSigner(secrets)

    during = signer.signature("msg_1", 1, b"{}", now=T0 + timedelta(hours=23)).split(" ")
    after = signer.signature("msg_1", 1, b"{}", now=T0 + timedelta(days=1)).split(" ")

    assert during == [
        WebhookSigner([WebhookSecret(OTHER)]).signature("msg_1", 1, b"{}", now=T0),
        WebhookSigner([WebhookSecret(SECRET)]).signature("msg_1", 1, b"{}", now=T0),
    ]
    assert after == during[:1]


def test_rotating_again_shortens_no_overlap_and_drops_expired_secrets() -> None:
    third = generate_secret()
    first = rotate_secrets([WebhookSecret(SECRET)], OTHER, now=T0, overlap=timedelta(hours=2))

    second = rotate_secrets(first, third, now=T0 + timedelta(hours=1), overlap=timedelta(days=7))
    later = rotate_secrets(
        second, generate_secret(), now=T0 + timedelta(hours=3), overlap=timedelta(0)
    )

    assert second == (
        WebhookSecret(third),
        WebhookSecret(OTHER, T0 + timedelta(days=7, hours=1)),
        WebhookSecret(SECRET, T0 + timedelta(hours=2)),
    )
    assert len(later) == 1


@pytest.mark.parametrize(
    "secret",
    [
        "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",  # no prefix
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"x" * 23).decode(),  # too short
        "whsec_" + base64.b64encode(b"x" * 65).decode(),  # too long
    ],
)
def test_malformed_secrets_are_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="webhook secret"):
        secret_key(secret)


def test_a_generated_secret_holds_32_random_bytes() -> None:
    first, second = generate_secret(), generate_secret()

    assert len(secret_key(first)) == 32
    assert first != second


@pytest.mark.parametrize("msg_id", ["", "msg.1", "msg 1", "msg\n1", "сообщение"])
def test_ids_that_would_make_the_signed_content_ambiguous_are_refused(msg_id: str) -> None:
    with pytest.raises(ValueError, match="webhook id"):
        WebhookSigner([WebhookSecret(SECRET)]).signature(msg_id, 1, b"{}", now=T0)


def test_an_endpoint_without_an_active_secret_cannot_sign() -> None:
    expired = WebhookSecret(SECRET, expires_at=T0)

    with pytest.raises(ValueError, match="no active signing secret"):
        WebhookSigner([expired]).signature("msg_1", 1, b"{}", now=T0)
