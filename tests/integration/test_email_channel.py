"""The SMTP sender against a real SMTP server on loopback: what arrives, parsed with the
stdlib ``email`` package, and how refusals and outages are classified."""

from __future__ import annotations

import gc
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing
from loyalist.messages.channels.email import SmtpConfig, SmtpSender
from tests.smtp import SmtpSink, free_port, running_sink

FROM = "Магазин <loyalty@shop.example>"


def sender_for(port: int) -> SmtpSender:
    return SmtpSender(SmtpConfig(host="127.0.0.1", port=port, sender=FROM, timeout=5))


def outgoing(to: str = "anna@example.com", **extra: object) -> Outgoing:
    fields: dict[str, object] = {
        "message_id": "msg_0123456789abcdef01234567",
        "channel": "email",
        "to": to,
        "subject": "Ваш заказ A-1 подтверждён",
        "text": "Спасибо за заказ!\n",
        "html": "<p>Спасибо за заказ!</p>",
        "created_at": datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    } | extra
    return Outgoing(**fields)  # type: ignore[arg-type]


def test_sends_multipart_text_and_html_with_an_encoded_cyrillic_subject(sink: SmtpSink) -> None:
    sender = sender_for(sink.port)
    receipt = sender.send(outgoing())
    sender.close()

    [message] = sink.received
    raw_headers = sink.raw[0].split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "=?utf-8?" in raw_headers  # RFC 2047 encoded words, no raw UTF-8 in headers
    assert message["Subject"] == "Ваш заказ A-1 подтверждён"
    assert message["To"] == "anna@example.com"
    assert message["From"].addresses[0].addr_spec == "loyalty@shop.example"
    assert message["Message-ID"] == "<msg_0123456789abcdef01234567@shop.example>"
    assert receipt.provider_id == message["Message-ID"]
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content().splitlines() == ["Спасибо за заказ!"]
    assert "List-Unsubscribe" not in message


def test_headers_of_the_message_travel_as_given(sink: SmtpSink) -> None:
    sender = sender_for(sink.port)
    link = "https://shop.example/unsubscribe/abc"
    sender.send(
        outgoing(
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        )
    )
    sender.close()

    [message] = sink.received
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_message_id_is_the_same_on_every_send(sink: SmtpSink) -> None:
    sender = sender_for(sink.port)
    sender.send(outgoing())
    sender.send(outgoing())
    sender.close()

    assert len(set(sink.message_ids())) == 1
    assert len(sink.received) == 2


def test_a_5xx_refusal_is_permanent_and_the_connection_keeps_working(sink: SmtpSink) -> None:
    sink.refused.add("gone@example.com")
    sender = sender_for(sink.port)

    with pytest.raises(DeliveryFailed) as refused:
        sender.send(outgoing("gone@example.com"))
    sender.send(outgoing())
    sender.close()

    assert refused.value.transient is False
    assert "550" in refused.value.reason
    assert len(sink.received) == 1


def test_a_4xx_reply_is_transient(sink: SmtpSink) -> None:
    sink.deferred.add("later@example.com")
    sender = sender_for(sink.port)

    with pytest.raises(DeliveryFailed) as deferred:
        sender.send(outgoing("later@example.com"))
    sender.close()

    assert deferred.value.transient is True
    assert "451" in deferred.value.reason


def test_sends_from_many_threads_share_at_most_the_configured_connections(
    sink: SmtpSink,
) -> None:
    sender = SmtpSender(
        SmtpConfig(host="127.0.0.1", port=sink.port, sender=FROM, timeout=5, connections=3)
    )
    ids = [f"msg_{n:024x}" for n in range(24)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(lambda i: sender.send(outgoing(message_id=i)), ids))
    sender.close()

    assert sorted(sink.message_ids()) == sorted(f"<{i}@shop.example>" for i in ids)
    assert [r.provider_id for r in receipts] == [f"<{i}@shop.example>" for i in ids]
    assert 1 <= len(sink.peers) <= 3


def test_a_failed_connection_is_given_up_so_the_next_send_opens_another() -> None:
    with running_sink() as sink:
        port = sink.port
    sender = sender_for(port)  # one connection at most
    for _ in range(3):  # each failure must give its slot back, or the next send would wait
        with pytest.raises(DeliveryFailed):
            sender.send(outgoing())
    with running_sink(port) as back:
        done = ThreadPoolExecutor(max_workers=1).submit(sender.send, outgoing())
        assert done.result(timeout=10).provider_id == "<msg_0123456789abcdef01234567@shop.example>"
        sender.close()
        assert len(back.received) == 1


def test_an_unreachable_server_is_transient() -> None:
    sender = sender_for(free_port())

    with pytest.raises(DeliveryFailed) as down:
        sender.send(outgoing())

    assert down.value.transient is True
    assert "unreachable" in down.value.reason


def test_without_a_host_the_channel_is_not_configured() -> None:
    sender = SmtpSender(SmtpConfig(host="", port=25, sender=FROM))

    with pytest.raises(NotConfigured):
        sender.send(outgoing())


def test_a_connection_that_fails_while_opening_is_closed(sink: SmtpSink) -> None:
    """STARTTLS the server does not offer: the connection made before it is closed at once
    (not left to the garbage collector, with a ResourceWarning)."""
    sender = SmtpSender(
        SmtpConfig(host="127.0.0.1", port=sink.port, sender=FROM, security="starttls", timeout=5)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(DeliveryFailed) as refused:
            sender.send(outgoing())
        del refused
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
