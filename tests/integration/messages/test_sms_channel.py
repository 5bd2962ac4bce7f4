"""SMS providers against a loopback sink: the exact request Twilio and SMS.ru expect, and
their real success and error answers classified."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import httpx
import pytest

from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing
from loyalist.messages.channels.sms import SmsRuConfig, SmsRuSender, TwilioConfig, TwilioSender
from tests.integration.messages.sink import Reply, Sink

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
SMS = Outgoing(
    message_id="msg_01",
    channel="sms",
    to="+79255070602",
    text="Вам начислено 120 баллов. STOP — отписаться",
)


def form(body: bytes) -> dict[str, list[str]]:
    return parse_qs(body.decode(), strict_parsing=True)


def twilio(sink: Sink, client: httpx.Client, **changes: str) -> TwilioSender:
    fields = {
        "account_sid": SID,
        "auth_token": TOKEN,
        "from_number": "+15017122661",
        "base_url": sink.url("").rstrip("/"),
    }
    fields.update(changes)
    return TwilioSender(TwilioConfig(**fields), client=client)  # type: ignore[arg-type]


TWILIO_QUEUED = {
    "account_sid": SID,
    "api_version": "2010-04-01",
    "body": SMS.text,
    "date_created": "Thu, 05 Mar 2026 10:00:00 +0000",
    "direction": "outbound-api",
    "error_code": None,
    "error_message": None,
    "from": "+15017122661",
    "messaging_service_sid": None,
    "num_segments": "1",
    "price": None,
    "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "status": "queued",
    "to": "+79255070602",
    "uri": f"/2010-04-01/Accounts/{SID}/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json",
}


def twilio_error(code: int, message: str, status: int) -> Reply:
    return Reply(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


def test_twilio_gets_a_form_post_with_basic_auth(sink: Sink, client: httpx.Client) -> None:
    sink.reply(Reply(201, TWILIO_QUEUED))

    receipt = twilio(sink, client).send(SMS)

    assert (receipt.provider_id, receipt.detail) == ("SM1f0e8ae6ade43cb3c0ce4525424e404f", "queued")
    request = sink.last
    assert (request.method, request.path) == ("POST", f"/2010-04-01/Accounts/{SID}/Messages.json")
    assert (
        request.headers["authorization"]
        == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    )
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form(request.body) == {
        "To": ["+79255070602"],
        "From": ["+15017122661"],
        "Body": [SMS.text],
    }


def test_twilio_sends_through_a_messaging_service_with_a_status_callback(
    sink: Sink, client: httpx.Client
) -> None:
    sink.reply(Reply(201, TWILIO_QUEUED))

    twilio(
        sink,
        client,
        messaging_service_sid="MG9752274e9e519418a7406176694466fa",
        status_callback="https://loyalty.shop.example/sms/status",
    ).send(SMS)

    sent = form(sink.last.body)
    assert "From" not in sent
    assert sent["MessagingServiceSid"] == ["MG9752274e9e519418a7406176694466fa"]
    assert sent["StatusCallback"] == ["https://loyalty.shop.example/sms/status"]


@pytest.mark.parametrize(
    ("reply", "transient", "code"),
    [
        (twilio_error(21211, "Invalid 'To' Phone Number: +7925507060X", 400), False, "21211"),
        (twilio_error(21614, "'To' number is not a valid mobile number", 400), False, "21614"),
        (twilio_error(21610, "Attempt to send to unsubscribed recipient", 400), False, "21610"),
        (twilio_error(20003, "Authenticate", 401), False, "20003"),
        (twilio_error(20429, "Too Many Requests", 429), True, "20429"),
        (twilio_error(20500, "An internal server error has occurred", 500), True, "20500"),
        (Reply(503, b"<html>Service Unavailable</html>", {"Content-Type": "text/html"}), True, ""),
    ],
)
def test_twilio_errors_are_classified(
    sink: Sink, client: httpx.Client, reply: Reply, transient: bool, code: str
) -> None:
    sink.reply(reply)

    with pytest.raises(DeliveryFailed) as failed:
        twilio(sink, client).send(SMS)

    assert failed.value.transient is transient
    assert failed.value.code == code


def test_twilio_without_credentials_is_not_configured(client: httpx.Client) -> None:
    with pytest.raises(NotConfigured):
        TwilioSender(TwilioConfig(account_sid=SID, auth_token=TOKEN), client=client).send(SMS)


def smsru(sink: Sink, client: httpx.Client, **changes: object) -> SmsRuSender:
    fields: dict[str, object] = {"api_id": "A1B2C3D4-0000-1111-2222-333344445555"}
    fields.update(changes)
    config = SmsRuConfig(base_url=sink.url("").rstrip("/"), **fields)  # type: ignore[arg-type]
    return SmsRuSender(config, client=client)


def test_smsru_gets_a_form_post_and_answers_the_sms_id(sink: Sink, client: httpx.Client) -> None:
    sink.reply(
        Reply(
            200,
            {
                "status": "OK",
                "status_code": 100,
                "sms": {
                    "79255070602": {"status": "OK", "status_code": 100, "sms_id": "000000-10000000"}
                },
                "balance": 4122.56,
            },
        )
    )

    receipt = smsru(sink, client, sender="SHOP").send(SMS)

    assert receipt.provider_id == "000000-10000000"
    request = sink.last
    assert (request.method, request.path) == ("POST", "/sms/send")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form(request.body) == {
        "api_id": ["A1B2C3D4-0000-1111-2222-333344445555"],
        "to": ["79255070602"],
        "msg": [SMS.text],
        "json": ["1"],
        "from": ["SHOP"],
    }


def test_smsru_test_mode_is_asked_for(sink: Sink, client: httpx.Client) -> None:
    sink.reply(
        Reply(
            200,
            {
                "status": "OK",
                "status_code": 100,
                "sms": {"79255070602": {"status": "OK", "status_code": 100, "sms_id": "0-1"}},
            },
        )
    )

    smsru(sink, client, test=True).send(SMS)

    assert form(sink.last.body)["test"] == ["1"]


@pytest.mark.parametrize(
    ("answer", "transient", "code"),
    [
        (
            {
                "status": "OK",
                "status_code": 100,
                "sms": {
                    "79255070602": {
                        "status": "ERROR",
                        "status_code": 207,
                        "status_text": "На этот номер нельзя отправлять сообщения",
                    }
                },
                "balance": 4122.56,
            },
            False,
            "207",
        ),
        (
            {
                "status": "OK",
                "status_code": 100,
                "sms": {
                    "79255070602": {
                        "status": "ERROR",
                        "status_code": 209,
                        "status_text": "Вы добавили этот номер в стоп-лист",
                    }
                },
            },
            False,
            "209",
        ),
        (
            {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"},
            False,
            "200",
        ),
        (
            {"status": "ERROR", "status_code": 201, "status_text": "Не хватает средств"},
            True,
            "201",
        ),
        (
            {
                "status": "ERROR",
                "status_code": 220,
                "status_text": "Сервис временно недоступен, попробуйте чуть позже.",
            },
            True,
            "220",
        ),
    ],
)
def test_smsru_errors_are_classified(
    sink: Sink, client: httpx.Client, answer: dict[str, object], transient: bool, code: str
) -> None:
    sink.reply(Reply(200, answer))

    with pytest.raises(DeliveryFailed) as failed:
        smsru(sink, client).send(SMS)

    assert failed.value.transient is transient
    assert failed.value.code == code


def test_smsru_unreachable_gateway_is_transient(sink: Sink, client: httpx.Client) -> None:
    sink.reply(Reply(502, b"Bad Gateway", {"Content-Type": "text/plain"}))

    with pytest.raises(DeliveryFailed) as failed:
        smsru(sink, client).send(SMS)

    assert failed.value.transient is True


def test_smsru_without_an_api_id_is_not_configured(client: httpx.Client) -> None:
    with pytest.raises(NotConfigured):
        SmsRuSender(SmsRuConfig(), client=client).send(SMS)
