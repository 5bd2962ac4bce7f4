"""The generic JSON-over-HTTP provider against a loopback sink: the body built from its
field template, its authentication header, and its answers classified."""

from __future__ import annotations

import httpx
import pytest

from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing
from loyalist.messages.channels.http import JsonHttpConfig, JsonHttpSender
from tests.integration.messages.sink import Reply, Sink

SMS = Outgoing(message_id="msg_03", channel="sms", to="+79255070602", text="Код: 1234")


def gateway(sink: Sink, client: httpx.Client) -> JsonHttpSender:
    config = JsonHttpConfig(
        url=sink.url("/api/v2/messages"),
        headers={"Authorization": "Bearer gw-key"},
        fields={"phone": "to", "message": "text", "reference": "message_id"},
        constants={"sender": "SHOP", "priority": 1},
        id_field="message_id",
    )
    return JsonHttpSender(config, client=client)


def test_the_body_follows_the_field_template(sink: Sink, client: httpx.Client) -> None:
    sink.reply(Reply(202, {"message_id": 98431, "state": "accepted"}))

    receipt = gateway(sink, client).send(SMS)

    assert receipt.provider_id == "98431"
    request = sink.last
    assert (request.method, request.path) == ("POST", "/api/v2/messages")
    assert request.headers["authorization"] == "Bearer gw-key"
    assert request.headers["idempotency-key"] == "msg_03"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "sender": "SHOP",
        "priority": 1,
        "phone": "+79255070602",
        "message": "Код: 1234",
        "reference": "msg_03",
    }


def test_data_is_sent_as_an_object(sink: Sink, client: httpx.Client) -> None:
    config = JsonHttpConfig(url=sink.url("/push"), fields={"device": "to", "payload": "data"})
    push = Outgoing("msg_04", "push", "device-1", data={"points": 5, "tags": ["a"]})

    JsonHttpSender(config, client=client).send(push)

    assert sink.last.json() == {"device": "device-1", "payload": {"points": 5, "tags": ["a"]}}


@pytest.mark.parametrize(
    ("reply", "transient", "retry_after"),
    [
        (Reply(503, {"error": "maintenance"}, {"Retry-After": "60"}), True, 60.0),
        (Reply(429, {"error": "slow down"}), True, None),
        (Reply(400, {"error": "invalid phone"}), False, None),
        (Reply(401, {"error": "bad key"}), False, None),
    ],
)
def test_answers_are_classified(
    sink: Sink, client: httpx.Client, reply: Reply, transient: bool, retry_after: float | None
) -> None:
    sink.reply(reply)

    with pytest.raises(DeliveryFailed) as failed:
        gateway(sink, client).send(SMS)

    assert failed.value.transient is transient
    assert failed.value.retry_after == retry_after


def test_an_unknown_field_source_is_refused_at_configuration() -> None:
    with pytest.raises(ValueError, match="password"):
        JsonHttpConfig(url="https://gw.example/", fields={"secret": "password"})


def test_no_url_is_not_configured(client: httpx.Client) -> None:
    with pytest.raises(NotConfigured):
        JsonHttpSender(JsonHttpConfig(), client=client).send(SMS)
