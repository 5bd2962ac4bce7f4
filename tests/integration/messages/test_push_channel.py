"""Push providers against a loopback sink: FCM HTTP v1 and RuStore's ``messages:send``
requests, their real answers and errors classified."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from loyalist.clock import ManualClock
from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing
from loyalist.messages.channels.push import FcmConfig, FcmSender, RuStoreConfig, RuStoreSender
from tests.integration.messages.sink import Reply, Sink

DEVICE = "bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1"
PUSH = Outgoing(
    message_id="msg_02",
    channel="push",
    to=DEVICE,
    subject="Баллы начислены",
    text="+120 баллов за заказ 1001",
    data={"order": "1001", "points": 120, "deep_link": "shop://loyalty"},
)
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


def fcm_error(status: int, google: str, message: str, fcm: str | None) -> Reply:
    error: dict[str, object] = {"code": status, "message": message, "status": google}
    if fcm is not None:
        error["details"] = [{"@type": FCM_ERROR, "errorCode": fcm}]
    return Reply(status, {"error": error})


def fcm(sink: Sink, client: httpx.Client) -> FcmSender:
    config = FcmConfig(
        project_id="shop-loyalty-b5ae1",
        access_token="ya29.c.b0Aaek",
        base_url=sink.url("").rstrip("/"),
    )
    clock = ManualClock(datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    return FcmSender(config, client=client, clock=clock)


def test_fcm_gets_messages_send_with_the_bearer_token(sink: Sink, client: httpx.Client) -> None:
    name = "projects/shop-loyalty-b5ae1/messages/0:1500415314455276%31bd1c9631bd1c96"
    sink.reply(Reply(200, {"name": name}))

    receipt = fcm(sink, client).send(PUSH)

    assert receipt.provider_id == name
    request = sink.last
    assert (request.method, request.path) == (
        "POST",
        "/v1/projects/shop-loyalty-b5ae1/messages:send",
    )
    assert request.headers["authorization"] == "Bearer ya29.c.b0Aaek"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "message": {
            "token": DEVICE,
            "notification": {"title": "Баллы начислены", "body": "+120 баллов за заказ 1001"},
            "data": {"order": "1001", "points": "120", "deep_link": "shop://loyalty"},
        }
    }


def test_fcm_asks_a_token_callable_before_every_request(sink: Sink, client: httpx.Client) -> None:
    issued = iter(["ya29.first", "ya29.second"])
    config = FcmConfig(
        project_id="p", access_token=lambda: next(issued), base_url=sink.url("").rstrip("/")
    )
    sender = FcmSender(config, client=client)
    sink.reply(
        Reply(200, {"name": "projects/p/messages/1"}), Reply(200, {"name": "projects/p/messages/2"})
    )

    sender.send(PUSH)
    sender.send(PUSH)

    assert [r.headers["authorization"] for r in sink.received] == [
        "Bearer ya29.first",
        "Bearer ya29.second",
    ]


@pytest.mark.parametrize(
    ("reply", "transient", "code", "retry_after"),
    [
        (
            fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"),
            False,
            "UNREGISTERED",
            None,
        ),
        (
            fcm_error(
                400,
                "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token",
                "INVALID_ARGUMENT",
            ),
            False,
            "INVALID_ARGUMENT",
            None,
        ),
        (
            fcm_error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH"),
            False,
            "SENDER_ID_MISMATCH",
            None,
        ),
        (
            Reply(
                503,
                fcm_error(
                    503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE"
                ).body,
                {"Retry-After": "30"},
            ),
            True,
            "UNAVAILABLE",
            30.0,
        ),
        (
            fcm_error(
                429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric", "QUOTA_EXCEEDED"
            ),
            True,
            "QUOTA_EXCEEDED",
            None,
        ),
        (
            fcm_error(500, "INTERNAL", "Internal error encountered.", "INTERNAL"),
            True,
            "INTERNAL",
            None,
        ),
        (
            fcm_error(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token",
                None,
            ),
            True,
            "UNAUTHENTICATED",
            None,
        ),
        (Reply(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}), True, "", None),
    ],
)
def test_fcm_errors_are_classified(
    sink: Sink,
    client: httpx.Client,
    reply: Reply,
    transient: bool,
    code: str,
    retry_after: float | None,
) -> None:
    sink.reply(reply)

    with pytest.raises(DeliveryFailed) as failed:
        fcm(sink, client).send(PUSH)

    assert failed.value.transient is transient
    assert failed.value.code == code
    assert failed.value.retry_after == retry_after


def rustore(sink: Sink, client: httpx.Client) -> RuStoreSender:
    config = RuStoreConfig(
        project_id="-Yv4b5cM2yfXm4bZ6-9dqcDdn6xdXLGCDA",
        service_token="ss_token_abc123",
        base_url=sink.url("").rstrip("/"),
    )
    return RuStoreSender(config, client=client)


def test_rustore_gets_the_fcm_shaped_request_with_its_service_token(
    sink: Sink, client: httpx.Client
) -> None:
    sink.reply(Reply(200, {}))

    receipt = rustore(sink, client).send(PUSH)

    assert receipt.provider_id is None
    request = sink.last
    assert request.path == "/v1/projects/-Yv4b5cM2yfXm4bZ6-9dqcDdn6xdXLGCDA/messages:send"
    assert request.headers["authorization"] == "Bearer ss_token_abc123"
    assert request.json() == {
        "message": {
            "token": DEVICE,
            "notification": {"title": "Баллы начислены", "body": "+120 баллов за заказ 1001"},
            "data": {"order": "1001", "points": "120", "deep_link": "shop://loyalty"},
        }
    }


@pytest.mark.parametrize(
    ("status", "google", "transient"),
    [
        (404, "NOT_FOUND", False),
        (400, "INVALID_ARGUMENT", False),
        (403, "PERMISSION_DENIED", False),
        (503, "UNAVAILABLE", True),
    ],
)
def test_rustore_errors_are_classified(
    sink: Sink, client: httpx.Client, status: int, google: str, transient: bool
) -> None:
    sink.reply(fcm_error(status, google, "push token not found", None))

    with pytest.raises(DeliveryFailed) as failed:
        rustore(sink, client).send(PUSH)

    assert failed.value.transient is transient
    # RuStore's NOT_FOUND is its "token no longer registered"
    assert failed.value.code == ("UNREGISTERED" if google == "NOT_FOUND" else google)


def test_push_without_a_project_is_not_configured(client: httpx.Client) -> None:
    with pytest.raises(NotConfigured):
        FcmSender(FcmConfig(access_token="t"), client=client).send(PUSH)
    with pytest.raises(NotConfigured):
        RuStoreSender(RuStoreConfig(project_id="p"), client=client).send(PUSH)
