"""The processor each channel's provider is, which the send-time check asks the member's
transfer consent for (when the program requires it)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loyalist.messages.jobs import processors
from loyalist.settings import (
    PushProvider,
    PushSettings,
    Settings,
    SmsProvider,
    SmsSettings,
    SmtpSettings,
)


def test_named_providers_are_their_own_processors_and_a_setting_overrides_them() -> None:
    named = Settings(
        sms=SmsSettings(provider=SmsProvider.SMSRU),
        push=PushSettings(provider=PushProvider.RUSTORE),
    )
    chosen = Settings(
        smtp=SmtpSettings(host="smtp.unisender.example", processor="unisender"),
        sms=SmsSettings(provider=SmsProvider.TWILIO, processor="twilio-eu"),
        push=PushSettings(provider=PushProvider.FCM),
    )
    assert processors(named) == {"sms": "smsru", "push": "rustore"}
    assert processors(chosen) == {"email": "unisender", "sms": "twilio-eu", "push": "fcm"}


def test_an_smtp_host_and_generic_providers_without_a_processor_are_the_operators_own() -> None:
    own = Settings(
        smtp=SmtpSettings(host="mail.shop.example"),
        sms=SmsSettings(provider=SmsProvider.GENERIC, url="https://sms.shop.example/send"),
        push=PushSettings(provider=PushProvider.GENERIC, url="https://push.shop.example"),
    )
    assert processors(own) == {}
    assert processors(Settings(smtp=SmtpSettings(processor="unisender"))) == {}


def test_a_processor_code_that_no_purpose_could_name_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="processor"):
        SmtpSettings(host="smtp.example", processor="Uni Sender")
