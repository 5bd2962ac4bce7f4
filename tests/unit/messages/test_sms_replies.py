"""Inbound SMS: which replies withdraw SMS consent, and Twilio's request signature."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages.channels.sms import (
    STOP_WORDS,
    is_from_twilio,
    is_stop_reply,
    stop_request,
    twilio_signature,
)

#: Twilio's inbound message webhook, as its form fields arrive.
INBOUND = {
    "ToCountry": "US",
    "SmsMessageSid": "SM2f6c2b2b3c9d8e4a1b0c7d6e5f4a3b2c",
    "NumMedia": "0",
    "SmsSid": "SM2f6c2b2b3c9d8e4a1b0c7d6e5f4a3b2c",
    "SmsStatus": "received",
    "To": "+15017122661",
    "MessagingServiceSid": "MG9752274e9e519418a7406176694466fa",
    "NumSegments": "1",
    "MessageSid": "SM2f6c2b2b3c9d8e4a1b0c7d6e5f4a3b2c",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+79255070602",
    "ApiVersion": "2010-04-01",
}


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit!",
        "OPTOUT",
        "REVOKE",
        "СТОП",
        "стоп",
        "«Стоп»",
        "ОТПИСАТЬСЯ",
        "Отписаться!",
    ],
)
def test_opt_out_keywords_name_the_sender_to_suppress(body: str) -> None:
    assert stop_request({**INBOUND, "Body": body}) == "+79255070602"


@pytest.mark.parametrize(
    "body",
    ["", "Hello", "stop sending me the code", "Don't stop", "STOP2", "СТОПКА", "start", "HELP"],
)
def test_other_replies_suppress_nothing(body: str) -> None:
    assert stop_request({**INBOUND, "Body": body}) is None


def test_a_reply_without_a_sender_suppresses_nothing() -> None:
    assert stop_request({"Body": "STOP"}) is None
    assert stop_request({"Body": "STOP", "From": "  "}) is None


@given(
    word=st.sampled_from(sorted(STOP_WORDS)),
    case=st.lists(st.booleans(), min_size=12, max_size=12),
    before=st.text(alphabet=" .!\t", max_size=3),
    after=st.text(alphabet=" .!?\n", max_size=3),
)
def test_a_keyword_in_any_case_with_spaces_and_punctuation_is_an_opt_out(
    word: str, case: list[bool], before: str, after: str
) -> None:
    cased = "".join(c.upper() if up else c for c, up in zip(word, case, strict=False))

    assert is_stop_reply(before + cased + after)


def test_twilios_published_signature_example_verifies() -> None:
    """The worked example of Twilio's webhook security guide (auth token ``12345``)."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ]

    assert twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert is_from_twilio("12345", url, list(reversed(params)), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    assert not is_from_twilio(
        "12345", url, [*params[:2], ("Digits", "9999"), *params[3:]], "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )
    assert not is_from_twilio("54321", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    assert not is_from_twilio(
        "12345", url.replace("bar=2", "bar=3"), params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )
