"""Message events for webhook endpoints: a member's message reaching an outcome
(``message.sent``, ``message.failed``, …) sends one signed webhook per subscribed endpoint,
through the outbox, without the content or the address; a webhook's own outcome sends none."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import MessageChannel, MessageKind, WebhookEvent
from loyalist.messages.samples import sample_context
from loyalist.settings import (
    InboundSettings,
    MessageSettings,
    ProgramPolicy,
    Settings,
    SmtpSettings,
)
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, bearer
from tests.conftest import TEST_KEY
from tests.integration.helpers import run_jobs
from tests.integration.messages.sink import Reply, Sink, running_sink
from tests.integration.messaging import BASE_URL, SENDER, enrol, messages_of, queue
from tests.smtp import SmtpSink
from tests.smtp import running_sink as running_smtp

ENDPOINTS = "/api/v1/webhook-endpoints"
ANNA = "anna@example.com"
POSTMARK_PASSWORD = "postmark-secret"


@pytest.fixture
def clock() -> ManualClock:
    """Now: receivers refuse a webhook-timestamp more than five minutes off their clock."""
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with running_smtp() as running:
        yield running


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, smtp: SmtpSink
) -> Iterator[Loyalist]:
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        smtp=SmtpSettings(host="127.0.0.1", port=smtp.port, timeout_seconds=5),
        messages=MessageSettings(
            sender=SENDER,
            base_url=BASE_URL,
            webhook_allow_private=True,
            webhook_timeout_seconds=5,
        ),
        inbound=InboundSettings(postmark_password=POSTMARK_PASSWORD),
    )
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def _register(client: TestClient, keys: Keys, url: str, *types: str) -> str:
    response = client.post(
        ENDPOINTS,
        json={"url": url, "event_types": list(types)},
        headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
    )
    assert response.status_code == 201, response.text
    assert response.json()["endpoint"]["event_types"] == sorted(types)
    secret: str = response.json()["secret"]
    return secret


def _shipped(member_id: int, order: str, kind: MessageKind = MessageKind.TRANSACTIONAL) -> Any:
    return messages.MessageDraft(
        member_id=member_id,
        kind=kind,
        channel=MessageChannel.EMAIL,
        journey="shipping",
        natural_key=order,
        template_key=TemplateKey.SHIPPED.value,
        locale="en",
        time_zone="UTC",
        context=sample_context(TemplateKey.SHIPPED, "en"),
    )


def test_each_outcome_sends_one_signed_webhook_without_content_or_address(
    client: TestClient, keys: Keys, app: Loyalist, smtp: SmtpSink, http_sink: Sink
) -> None:
    secret = _register(client, keys, http_sink.url("/events"), "message.sent", "message.failed")
    _register(client, keys, http_sink.url("/points"), "points.awarded")
    anna = enrol(app, "M1", email=ANNA)
    nomail = enrol(app, "M2")
    muted = enrol(app, "M3", email="bob@example.com", marketing_email=False)
    [sent] = queue(app, _shipped(anna, "A-1"))
    [failed] = queue(app, _shipped(nomail, "A-2"))
    queue(app, _shipped(muted, "A-3", MessageKind.MARKETING))  # suppressed: not subscribed

    run_jobs(app)

    assert len(smtp.received) == 1
    bodies = {}
    for received in http_sink.received:
        assert received.path == "/events"
        body = Webhook(secret).verify(received.body, received.headers)
        bodies[body["type"]] = body["data"]
    assert len(http_sink.received) == 2
    assert set(bodies) == {"message.sent", "message.failed"}
    assert bodies["message.sent"] == {
        "member_id": "M1",
        "message_id": sent,
        "channel": "email",
        "kind": "transactional",
        "journey": "shipping",
        "template_key": "shipped",
        "status": "sent",
        "reason": None,
        "at": bodies["message.sent"]["at"],
    }
    assert datetime.fromisoformat(bodies["message.sent"]["at"])
    assert bodies["message.failed"]["message_id"] == failed
    assert bodies["message.failed"]["member_id"] == "M2"
    assert bodies["message.failed"]["reason"] == "the member has no email address"
    everything = b"".join(r.body for r in http_sink.received).decode()
    assert ANNA not in everything
    assert "has shipped" not in everything  # no content
    # the webhooks themselves were sent and raised no message event of their own
    hooks = [m for m in messages_of(app, "M1") + messages_of(app, "M2") if m.channel == "webhook"]
    assert sorted((m.template_key, m.status) for m in hooks) == [
        ("message.failed", "sent"),
        ("message.sent", "sent"),
    ]
    assert [m.status for m in messages_of(app, "M3")] == ["suppressed"]


def test_a_webhook_failing_for_good_raises_no_message_event(
    client: TestClient, keys: Keys, app: Loyalist, http_sink: Sink
) -> None:
    secret = _register(client, keys, http_sink.url("/events"), "message.failed", "message.sent")
    with running_sink() as refusing:
        refusing.default = Reply(400, {"error": "no"})
        _register(client, keys, refusing.url("/refuse"), "message.failed", "message.sent")
        nomail = enrol(app, "M2")
        queue(app, _shipped(nomail, "A-2"))

        run_jobs(app)

        assert len(refusing.received) == 1
    [received] = http_sink.received
    assert Webhook(secret).verify(received.body, received.headers)["type"] == "message.failed"
    hooks = [m for m in messages_of(app, "M2") if m.channel == "webhook"]
    # one per endpoint; the refused one failed and notified no one
    assert sorted(m.status for m in hooks) == ["failed", "sent"]


def test_nothing_is_queued_for_types_no_endpoint_subscribed_to(
    client: TestClient, keys: Keys, app: Loyalist, smtp: SmtpSink, http_sink: Sink
) -> None:
    _register(client, keys, http_sink.url("/events"), "message.delivered", "message.capped")
    anna = enrol(app, "M1", email=ANNA)
    queue(app, _shipped(anna, "A-1"))

    run_jobs(app)

    assert len(smtp.received) == 1
    assert http_sink.received == []
    assert [m.channel for m in messages_of(app, "M1")] == ["email"]


def test_a_providers_delivery_report_sends_message_delivered(
    client: TestClient, keys: Keys, app: Loyalist, smtp: SmtpSink, http_sink: Sink
) -> None:
    secret = _register(client, keys, http_sink.url("/events"), "message.delivered")
    anna = enrol(app, "M1", email=ANNA)
    [sent] = queue(app, _shipped(anna, "A-1"))
    run_jobs(app)
    assert len(smtp.received) == 1
    assert http_sink.received == []  # sent: not subscribed
    report = {  # Postmark's delivery webhook, our address and metadata
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Recipient": ANNA,
        "DeliveredAt": "2019-11-05T16:33:54.9070259Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {"loyalist-message": sent},
    }
    basic = base64.b64encode(f"loyalist:{POSTMARK_PASSWORD}".encode()).decode()
    response = client.post(
        "/api/v1/providers/postmark/events",
        json=report,
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.json()["delivered"] == 1

    run_jobs(app)

    [received] = http_sink.received
    body = Webhook(secret).verify(received.body, received.headers)
    assert body["type"] == "message.delivered"
    assert (body["data"]["message_id"], body["data"]["status"]) == (sent, "delivered")
    assert body["data"]["reason"] == "Postmark delivered"


def test_the_endpoint_api_offers_the_message_events(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    offered = set(schema["components"]["schemas"]["WebhookEvent"]["enum"])
    assert {e.value for e in WebhookEvent if e.value.startswith("message.")} == {
        "message.sent",
        "message.delivered",
        "message.failed",
        "message.suppressed",
        "message.capped",
        "message.not_configured",
    }
    assert {e.value for e in WebhookEvent} <= offered
