"""SMS through Twilio's Messages API or SMS.ru, and the STOP replies that come back.

Twilio: ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded
``To``, ``From`` (or ``MessagingServiceSid``), ``Body``, HTTP basic auth with the account
SID and auth token. 201 answers the message resource (``sid`` ``SM…``, ``status``); an
error answers ``{"code", "message", "more_info", "status"}``: 429 (``20429``) and 5xx
are transient, other 4xx permanent (``21211`` invalid ``To``, ``21614`` not a mobile,
``21610`` the recipient replied STOP).

SMS.ru: ``POST {base}/sms/send`` form-encoded ``api_id``, ``to`` (digits), ``msg``,
``json=1`` and an optional ``from``; the answer is HTTP 200 with ``status`` and
``status_code`` for the request and, per number, under ``sms``: ``OK`` with ``sms_id``
or ``ERROR`` with a code. Codes 201 (no funds), 206/230–232 (daily limits), 220 (service
unavailable) and 500 are transient; the rest (200 bad api_id, 202 bad number, 207 number
not reachable, 209 stop list, …) permanent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from loyalist.clock import Clock, SystemClock
from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing, Receipt
from loyalist.messages.channels.http import DEFAULT_TIMEOUT, failure, new_client, post


@dataclass(frozen=True, slots=True)
class TwilioConfig:
    """A Twilio account and the sender: a phone number in ``from_number`` or a Messaging
    Service in ``messaging_service_sid`` (which wins when both are set)."""

    account_sid: str = ""
    auth_token: str = ""
    from_number: str = ""
    messaging_service_sid: str = ""
    #: Where Twilio posts delivery statuses (``queued`` … ``delivered``), if anywhere.
    status_callback: str = ""
    base_url: str = "https://api.twilio.com"
    timeout: float = DEFAULT_TIMEOUT


class TwilioSender:
    def __init__(
        self,
        config: TwilioConfig,
        *,
        client: httpx.Client | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self._client = client or new_client(config.timeout)
        self._clock = clock or SystemClock()

    def send(self, outgoing: Outgoing) -> Receipt:
        config = self.config
        if not (config.account_sid and config.auth_token) or not (
            config.from_number or config.messaging_service_sid
        ):
            raise NotConfigured("Twilio needs an account SID, an auth token and a sender")
        form = {"To": outgoing.to, "Body": outgoing.text}
        if config.messaging_service_sid:
            form["MessagingServiceSid"] = config.messaging_service_sid
        else:
            form["From"] = config.from_number
        if config.status_callback:
            form["StatusCallback"] = config.status_callback
        url = f"{config.base_url}/2010-04-01/Accounts/{config.account_sid}/Messages.json"
        answer = post(self._client, url, data=form, auth=(config.account_sid, config.auth_token))
        found = answer.json()
        body: Mapping[str, Any] = found if isinstance(found, dict) else {}
        if not answer.ok:
            code = body.get("code")
            raise failure(
                answer,
                f"Twilio {code}: {body.get('message', '')}" if code else "",
                self._clock.now(),
                code="" if code is None else str(code),
            )
        return Receipt(provider_id=body.get("sid"), detail=str(body.get("status", "")))


@dataclass(frozen=True, slots=True)
class SmsRuConfig:
    api_id: str = ""
    #: A sender name approved by SMS.ru; the account's default when empty.
    sender: str = ""
    #: ``test=1``: SMS.ru answers as if it sent, sends nothing and charges nothing.
    test: bool = False
    base_url: str = "https://sms.ru"
    timeout: float = DEFAULT_TIMEOUT


#: SMS.ru status codes that may succeed later: no funds, daily and per-number limits,
#: service unavailable, server error.
SMSRU_TRANSIENT = frozenset({201, 206, 220, 230, 231, 232, 500})


class SmsRuSender:
    def __init__(
        self, config: SmsRuConfig, *, client: httpx.Client | None = None, clock: Clock | None = None
    ) -> None:
        self.config = config
        self._client = client or new_client(config.timeout)
        self._clock = clock or SystemClock()

    def send(self, outgoing: Outgoing) -> Receipt:
        config = self.config
        if not config.api_id:
            raise NotConfigured("SMS.ru needs an api_id")
        number = "".join(c for c in outgoing.to if c.isdigit())
        form = {"api_id": config.api_id, "to": number, "msg": outgoing.text, "json": "1"}
        if config.sender:
            form["from"] = config.sender
        if config.test:
            form["test"] = "1"
        answer = post(self._client, f"{config.base_url}/sms/send", data=form)
        if not answer.ok:
            raise failure(answer, "SMS.ru", self._clock.now())
        found = answer.json()
        if not isinstance(found, dict):
            raise DeliveryFailed("SMS.ru answered something other than JSON", transient=True)
        if found.get("status") != "OK":
            raise _smsru_failure(found)
        per_number = found.get("sms")
        if not isinstance(per_number, dict):
            raise DeliveryFailed("SMS.ru answered no result for the number", transient=True)
        result = per_number.get(number) or next(iter(per_number.values()), None)
        if not isinstance(result, dict):
            raise DeliveryFailed("SMS.ru answered no result for the number", transient=True)
        if result.get("status") != "OK":
            raise _smsru_failure(result)
        return Receipt(
            provider_id=result.get("sms_id"), detail=f"SMS.ru {result.get('status_code')}"
        )


def _smsru_failure(result: Mapping[str, Any]) -> DeliveryFailed:
    code = result.get("status_code")
    return DeliveryFailed(
        f"SMS.ru {code}: {result.get('status_text', '')}",
        transient=code in SMSRU_TRANSIENT,
        code="" if code is None else str(code),
    )


#: Replies that withdraw SMS consent: the keywords carriers and Twilio honour by default
#: (OPTOUT and REVOKE joined under the 2025 US consent-revocation rules) and the Russian
#: ones. The whole reply must be the keyword, in any case, with surrounding spaces and
#: punctuation ignored: "stop sending me the code" is not an opt-out.
STOP_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "optout",
        "revoke",
        "стоп",
        "отписаться",
        "отписка",
    }
)
_PUNCTUATION = " \t\r\n.!?,;:'\"«»()-"


def is_stop_reply(body: str) -> bool:
    """Whether an inbound SMS's text is an opt-out keyword."""
    return body.strip(_PUNCTUATION).casefold() in STOP_WORDS


def stop_request(form: Mapping[str, str]) -> str | None:
    """The phone number to suppress for SMS, from an inbound SMS webhook's form fields
    (Twilio's ``From`` and ``Body``), or ``None`` when the reply is not an opt-out or
    names no sender. The number is returned as the provider sent it (E.164 for Twilio);
    the members domain normalises it when it looks the member up."""
    sender = form.get("From", "").strip()
    if not sender or not is_stop_reply(form.get("Body", "")):
        return None
    return sender


def twilio_signature(auth_token: str, url: str, params: Sequence[tuple[str, str]]) -> str:
    """Twilio's ``X-Twilio-Signature`` for a form POST to ``url`` (the full URL Twilio
    called, query included): base64 of HMAC-SHA1, keyed by the auth token, of the URL
    followed by every parameter's name and value, sorted by name."""
    content = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.digest(auth_token.encode(), content.encode(), hashlib.sha1)
    return base64.b64encode(digest).decode()


def is_from_twilio(
    auth_token: str, url: str, params: Sequence[tuple[str, str]], signature: str
) -> bool:
    """Whether an inbound webhook carries Twilio's signature (compared in constant time):
    an unsigned STOP could otherwise suppress anyone's SMS."""
    expected = twilio_signature(auth_token, url, params)
    return hmac.compare_digest(expected.encode(), signature.encode())
