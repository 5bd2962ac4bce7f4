"""Webhooks over a real loopback socket: Standard Webhooks signatures checked by the
official ``standardwebhooks`` package (rotation included), failures classified, and the
SSRF guard refusing or pinning the connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from loyalist.clock import ManualClock, SystemClock
from loyalist.messages.channels.base import DeliveryFailed, Outgoing
from loyalist.messages.channels.signing import (
    WebhookSecret,
    WebhookSigner,
    generate_secret,
    rotate_secrets,
)
from loyalist.messages.channels.webhook import WebhookConfig, WebhookSender, webhook_client
from tests.integration.messages.sink import Reply, Sink

OLD = generate_secret()
NEW = generate_secret()
HAPPENED = datetime(2026, 3, 1, 10, 30, 15, 250000, tzinfo=UTC)
LOOPBACK = WebhookConfig(timeout=5.0, allow_private=True)


@pytest.fixture
def guarded() -> Iterator[httpx.Client]:
    with webhook_client(LOOPBACK) as made:
        yield made


def message(sink: Sink, **changes: object) -> Outgoing:
    fields: dict[str, object] = {
        "message_id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        "channel": "webhook",
        "to": sink.url("/hooks/loyalty?shop=1"),
        "subject": "points.changed",
        "data": {"member_id": "m-1", "points": 120, "name": "Анна"},
        "created_at": HAPPENED,
    }
    fields.update(changes)
    return Outgoing(**fields)  # type: ignore[arg-type]


def sender(client: httpx.Client, *secrets: WebhookSecret) -> WebhookSender:
    signer = WebhookSigner(secrets or (WebhookSecret(NEW),))
    return WebhookSender(LOOPBACK, signer, client=client, clock=SystemClock())


def verified(secret: str, sink: Sink) -> object:
    received = sink.last
    return Webhook(secret).verify(received.body, received.headers)


def test_the_official_package_verifies_what_the_endpoint_receives(
    sink: Sink, guarded: httpx.Client
) -> None:
    receipt = sender(guarded).send(message(sink))

    assert receipt.detail == "HTTP 200"
    received = sink.last
    assert (received.method, received.path) == ("POST", "/hooks/loyalty?shop=1")
    assert received.headers["content-type"] == "application/json"
    assert received.headers["webhook-id"] == "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    assert verified(NEW, sink) == {
        "type": "points.changed",
        "timestamp": "2026-03-01T10:30:15.250000Z",
        "data": {"member_id": "m-1", "points": 120, "name": "Анна"},
    }
    with pytest.raises(WebhookVerificationError):
        verified(OLD, sink)


def test_during_rotation_a_receiver_knowing_either_secret_verifies(
    sink: Sink, guarded: httpx.Client
) -> None:
    now = datetime.now(UTC)
    secrets = rotate_secrets([WebhookSecret(OLD)], NEW, now=now, overlap=timedelta(hours=24))

    sender(guarded, *secrets).send(message(sink))

    assert len(sink.last.headers["webhook-signature"].split(" ")) == 2
    assert verified(OLD, sink) == verified(NEW, sink)


def test_after_the_overlap_only_the_new_secret_signs(sink: Sink, guarded: httpx.Client) -> None:
    rotated_at = datetime.now(UTC) - timedelta(hours=25)
    secrets = rotate_secrets([WebhookSecret(OLD)], NEW, now=rotated_at, overlap=timedelta(hours=24))

    sender(guarded, *secrets).send(message(sink))

    assert len(sink.last.headers["webhook-signature"].split(" ")) == 1
    verified(NEW, sink)
    with pytest.raises(WebhookVerificationError):
        verified(OLD, sink)


def test_a_retry_keeps_its_id_and_body_and_is_signed_with_the_attempts_time(
    sink: Sink, guarded: httpx.Client
) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 10, 31, tzinfo=UTC))
    webhooks = WebhookSender(
        LOOPBACK, WebhookSigner([WebhookSecret(NEW)]), client=guarded, clock=clock
    )
    sink.reply(Reply(503))

    with pytest.raises(DeliveryFailed):
        webhooks.send(message(sink))
    clock.advance(timedelta(minutes=30))
    webhooks.send(message(sink))

    first, second = sink.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert (
        int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 1800
    )


@pytest.mark.parametrize(
    ("reply", "transient", "retry_after", "code"),
    [
        (Reply(500), True, None, ""),
        (Reply(502), True, None, ""),
        (Reply(503, headers={"Retry-After": "120"}), True, 120.0, ""),
        (Reply(429, headers={"Retry-After": "Sun, 01 Mar 2026 10:33:00 GMT"}), True, 120.0, ""),
        (Reply(408), True, None, ""),
        (Reply(400), False, None, ""),
        (Reply(404), False, None, ""),
        (Reply(410), False, None, "http_410"),
        (Reply(301, headers={"Location": "https://elsewhere.example/"}), False, None, ""),
    ],
)
def test_answers_are_classified_transient_or_permanent(
    sink: Sink,
    guarded: httpx.Client,
    reply: Reply,
    transient: bool,
    retry_after: float | None,
    code: str,
) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 10, 31, tzinfo=UTC))
    webhooks = WebhookSender(
        LOOPBACK, WebhookSigner([WebhookSecret(NEW)]), client=guarded, clock=clock
    )
    sink.reply(reply)

    with pytest.raises(DeliveryFailed) as failed:
        webhooks.send(message(sink))

    assert failed.value.transient is transient
    assert failed.value.retry_after == retry_after
    assert failed.value.code == code
    assert len(sink.received) == 1  # a redirect is not followed


def test_a_closed_port_is_a_transient_failure(guarded: httpx.Client) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        sender(guarded).send(
            Outgoing("msg_1", "webhook", closed_port_url(), subject="points.changed")
        )

    assert failed.value.transient is True


def test_a_slow_endpoint_times_out_as_transient(sink: Sink) -> None:
    release = threading.Event()
    original = sink.next_reply

    def slow() -> Reply:
        release.wait(5)
        return original()

    sink.next_reply = slow  # type: ignore[method-assign]
    config = WebhookConfig(timeout=0.3, allow_private=True)
    try:
        with webhook_client(config) as impatient:
            webhooks = WebhookSender(config, WebhookSigner([WebhookSecret(NEW)]), client=impatient)
            with pytest.raises(DeliveryFailed) as failed:
                webhooks.send(message(sink))
    finally:
        release.set()

    assert failed.value.transient is True
    assert "timed out" in failed.value.reason


def test_loopback_is_refused_without_allow_private_and_nothing_is_sent(sink: Sink) -> None:
    config = WebhookConfig(timeout=5.0)
    with webhook_client(config) as strict:
        webhooks = WebhookSender(config, WebhookSigner([WebhookSecret(NEW)]), client=strict)
        for url in (
            sink.url("/"),
            f"http://[::ffff:127.0.0.1]:{sink.port}/",
            f"http://localhost:{sink.port}/",
        ):
            with pytest.raises(DeliveryFailed) as failed:
                webhooks.send(message(sink, to=url))
            assert failed.value.transient is False
            assert "loopback" in failed.value.reason

    assert sink.received == []


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://h/", "/relative"]
)
def test_schemes_other_than_http_are_refused(guarded: httpx.Client, url: str) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        sender(guarded).send(Outgoing("msg_1", "webhook", url))

    assert failed.value.transient is False


def test_the_connection_goes_to_the_address_the_guard_checked(sink: Sink) -> None:
    """A name only the guard's resolver knows reaches the sink: the connection is made to
    the checked address, while the request still names the host."""
    asked: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return ["127.0.0.1"]

    with webhook_client(LOOPBACK, resolver=resolver) as pinned:
        webhooks = WebhookSender(LOOPBACK, WebhookSigner([WebhookSecret(NEW)]), client=pinned)
        webhooks.send(message(sink, to=f"http://hooks.shop.invalid:{sink.port}/in"))

    assert asked == [("hooks.shop.invalid", sink.port)]
    assert sink.last.headers["host"] == f"hooks.shop.invalid:{sink.port}"


def test_a_name_resolving_to_a_public_and_a_private_address_is_refused(sink: Sink) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    config = WebhookConfig(timeout=5.0)
    with webhook_client(config, resolver=resolver) as strict:
        webhooks = WebhookSender(config, WebhookSigner([WebhookSecret(NEW)]), client=strict)
        with pytest.raises(DeliveryFailed) as failed:
            webhooks.send(message(sink, to="https://mixed.shop.invalid/in"))

    assert failed.value.transient is False
    assert "10.0.0.7, a private address" in failed.value.reason


def closed_port_url() -> str:
    """A loopback URL on a port nothing listens on any more."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
