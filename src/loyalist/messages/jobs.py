"""The messages' due work: deliver what the outbox holds (see ``delivery``), and the
time-driven journeys (see ``journeys_timed``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import httpx

from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.members.models import PushPlatform
from loyalist.messages import delivery, post_purchase, staff_notices
from loyalist.messages import journeys_birthday as birthday
from loyalist.messages import journeys_kit as kit
from loyalist.messages import journeys_points as points
from loyalist.messages import journeys_tier_time as tier
from loyalist.messages import journeys_timed as timed
from loyalist.messages import journeys_win_back as win_back
from loyalist.messages.channels.base import Sender
from loyalist.messages.channels.email import SmtpConfig, SmtpSender
from loyalist.messages.channels.http import JsonHttpConfig, JsonHttpSender, new_client
from loyalist.messages.channels.push import FcmConfig, FcmSender, RuStoreConfig, RuStoreSender
from loyalist.messages.channels.sms import SmsRuConfig, SmsRuSender, TwilioConfig, TwilioSender
from loyalist.messages.channels.webhook import EndpointSenders, WebhookConfig
from loyalist.messages.models import Message, MessageChannel
from loyalist.messages.service import brand_kit
from loyalist.settings import (
    ProgramPolicy,
    PushProvider,
    PushSettings,
    Settings,
    SmsProvider,
    SmsSettings,
)

#: Opens the httpx client an SMS or push sender uses (timeout in seconds).
ClientFor = Callable[[float], httpx.Client]

#: One pass of a due job: ``(db, program, limit) -> work done``.
JobRun = Callable[[Database, ProgramPolicy, int], int]


def channels_configured(settings: Settings) -> set[str]:
    """The channels that have a provider configured (email: an SMTP host; SMS and push:
    ``LOYALIST_SMS__PROVIDER``, ``LOYALIST_PUSH__PROVIDER``)."""
    found = {"email"} if settings.smtp.host else set()
    if settings.sms.provider != SmsProvider.NONE:
        found.add("sms")
    if settings.push.provider != PushProvider.NONE:
        found.add("push")
    return found


def email_sender(settings: Settings) -> SmtpSender | None:
    """The SMTP sender of the settings (None: no host set)."""
    smtp = settings.smtp
    if not smtp.host:
        return None
    return SmtpSender(
        SmtpConfig(
            host=smtp.host,
            port=smtp.effective_port,
            sender=settings.messages.sender,
            username=smtp.username,
            password=smtp.password.get_secret_value(),
            security=smtp.security.value,
            timeout=smtp.timeout_seconds,
            connections=settings.messages.parallel_sends,
        )
    )


def senders(settings: Settings, client_for: ClientFor) -> dict[str, Sender]:
    """The senders of the configured channels; SMS and push use clients of ``client_for``."""
    found: dict[str, Sender] = {}
    email = email_sender(settings)
    if email is not None:
        found["email"] = email
    sms = sms_sender(settings.sms, client_for)
    if sms is not None:
        found["sms"] = sms
    push = push_sender(settings.push, client_for)
    if push is not None:
        found["push"] = push
    return found


Provider = TypeVar("Provider", TwilioConfig, SmsRuConfig, FcmConfig, RuStoreConfig)


def _based(config: Provider, url: str) -> Provider:
    """``config`` with its provider's base URL replaced by ``url`` when one is set (a test
    server, a regional edge)."""
    return replace(config, base_url=url.rstrip("/")) if url else config


def sms_sender(sms: SmsSettings, client_for: ClientFor) -> Sender | None:
    """The SMS sender of the settings (None: no provider chosen)."""
    if sms.provider == SmsProvider.TWILIO:
        twilio = TwilioConfig(
            account_sid=sms.account_sid,
            auth_token=sms.auth_token.get_secret_value(),
            from_number=sms.from_number,
            messaging_service_sid=sms.messaging_service_sid,
            timeout=sms.timeout_seconds,
        )
        return TwilioSender(_based(twilio, sms.url), client=client_for(sms.timeout_seconds))
    if sms.provider == SmsProvider.SMSRU:
        smsru = SmsRuConfig(
            api_id=sms.api_id.get_secret_value(),
            sender=sms.sender,
            test=sms.test,
            timeout=sms.timeout_seconds,
        )
        return SmsRuSender(_based(smsru, sms.url), client=client_for(sms.timeout_seconds))
    if sms.provider == SmsProvider.GENERIC:
        return JsonHttpSender(
            JsonHttpConfig(url=sms.url, headers=sms.headers, timeout=sms.timeout_seconds),
            client=client_for(sms.timeout_seconds),
        )
    return None


def push_sender(push: PushSettings, client_for: ClientFor) -> Sender | None:
    """The push sender of the settings (None: no provider chosen)."""
    token = push.token.get_secret_value()
    if push.provider == PushProvider.FCM:
        fcm = FcmConfig(
            project_id=push.project_id,
            access_token=token,
            timeout=push.timeout_seconds,
        )
        return FcmSender(_based(fcm, push.url), client=client_for(push.timeout_seconds))
    if push.provider == PushProvider.RUSTORE:
        rustore = RuStoreConfig(
            project_id=push.project_id,
            service_token=token,
            timeout=push.timeout_seconds,
        )
        return RuStoreSender(_based(rustore, push.url), client=client_for(push.timeout_seconds))
    if push.provider == PushProvider.GENERIC:
        return JsonHttpSender(
            JsonHttpConfig(
                url=push.url,
                headers=push.headers,
                fields={"to": "to", "title": "subject", "body": "text", "data": "data"},
                timeout=push.timeout_seconds,
            ),
            client=client_for(push.timeout_seconds),
        )
    return None


def journey_exits(uow: UnitOfWork, due: Sequence[Message]) -> Mapping[tuple[int, str], str]:
    """The send-time exits of every journey that has one (each answers for its own
    messages): post-purchase, win-back."""
    return {**post_purchase.exits(uow, due), **win_back.exits(uow, due)}


def push_platforms(push: PushSettings) -> set[str] | None:
    """The device platforms the push provider serves (None: any — the generic provider
    relays to the shop's own service)."""
    if push.provider == PushProvider.FCM:
        return {PushPlatform.FCM.value}
    if push.provider == PushProvider.RUSTORE:
        return {PushPlatform.RUSTORE.value}
    return None


def processors(settings: Settings) -> dict[str, str]:
    """The processor each channel's provider is (channel → processor code): the
    ``processor`` setting, else the named provider itself (Twilio, SMS.ru, FCM, RuStore).
    An SMTP host or a generic provider without one is the operator's own: no transfer."""
    sms, push = settings.sms, settings.push
    named_sms = sms.provider in (SmsProvider.TWILIO, SmsProvider.SMSRU)
    named_push = push.provider in (PushProvider.FCM, PushProvider.RUSTORE)
    found = {
        "email": settings.smtp.processor if settings.smtp.host else "",
        "sms": sms.processor or (sms.provider.value if named_sms else ""),
        "push": push.processor or (push.provider.value if named_push else ""),
    }
    return {channel: code for channel, code in found.items() if code}


def deliverer(settings: Settings) -> Callable[[Database, ProgramPolicy, int], int]:
    """The delivery job: ``(db, program, limit) -> messages handled``. Each pass claims up
    to ``limit`` due messages in one unit, renders and sends the claimed ones after that
    unit commits (webhooks through one SSRF-guarded client for the pass), and records the
    outcomes in a second unit. Messages are rendered in the send phase with the brand kit of
    the settings (checked here, when the application starts). SMS and push senders are
    built for each pass that sends, on httpx clients closed after it (as the SMTP
    connection is).

    Raises:
        BrandInvalidError: a colour or link of ``LOYALIST_MESSAGES__BRAND__*`` is invalid.
    """
    configured = channels_configured(settings)
    brand = brand_kit(settings)
    transfers = processors(settings)

    def deliver(db: Database, program: ProgramPolicy, limit: int) -> int:
        def claim(uow: UnitOfWork) -> tuple[list[delivery.Claim], int]:
            return delivery.claim_due(
                uow,
                program,
                limit,
                channels={*configured, MessageChannel.WEBHOOK.value},
                base_url=settings.messages.base_url,
                brand=brand,
                exits=journey_exits,
                push_platforms=push_platforms(settings.push),
                processors=transfers,
            )

        claims, handled = db.write(claim)
        if claims:
            hooks = None
            if any(c.endpoint_id is not None for c in claims):
                hooks = EndpointSenders(
                    WebhookConfig(
                        timeout=settings.messages.webhook_timeout_seconds,
                        allow_private=settings.messages.webhook_allow_private,
                    ),
                    clock=db.clock,  # secrets expire on the clock they were rotated on
                )
            clients: list[httpx.Client] = []

            def client_for(timeout: float) -> httpx.Client:
                clients.append(new_client(timeout))
                return clients[-1]

            chosen = senders(settings, client_for)
            try:
                outcomes = delivery.send_claims(
                    claims, chosen, hooks, parallel=settings.messages.parallel_sends
                )
            finally:
                if hooks is not None:
                    hooks.close()
                for sender in chosen.values():
                    if isinstance(sender, SmtpSender):
                        sender.close()
                for client in clients:
                    client.close()
            db.write(lambda uow: delivery.record_outcomes(uow, outcomes, program))
        return handled

    return deliver


def staff_deliverer(settings: Settings) -> JobRun:
    """The staff outbox's delivery job: claim and render due notices in one unit, send them
    by email after it commits, record the outcomes in a second unit."""
    shop_name = settings.messages.brand.shop_name

    def deliver(db: Database, program: ProgramPolicy, limit: int) -> int:
        claimed = db.write(lambda uow: staff_notices.claim_due_notices(uow, limit, shop_name))
        if not claimed:
            return 0
        sender = email_sender(settings)
        try:
            sent = staff_notices.send_notices(claimed, sender)
        finally:
            if sender is not None:
                sender.close()
        db.write(lambda uow: staff_notices.record_sent(uow, sent, program))
        return len(claimed)

    return deliver


def time_driven(settings: Settings) -> tuple[tuple[str, JobRun], ...]:
    """The time-driven journeys' due jobs, by name: each pass finds its candidates on a
    reader and queues a chunk of members per unit (``journeys_timed.run_in_chunks``)."""
    setup = kit.Setup.of(settings)

    def job(find: timed.Find, step: timed.Step) -> JobRun:
        def run(db: Database, program: ProgramPolicy, limit: int) -> int:
            return timed.run_in_chunks(db, program, setup, find, step)

        return run

    return (
        ("points_expiring_reminded", job(points.expiring_candidates, points.remind_expiring)),
        ("points_statements_sent", job(points.statement_candidates, points.send_statements)),
        ("tier_downgrades_warned", job(tier.warning_candidates, tier.warn_downgrades)),
        ("tier_renewals_reminded", job(tier.renewal_candidates, tier.remind_renewals)),
        ("birthdays_greeted", job(birthday.candidates, birthday.greet)),
        ("win_backs_sent", job(win_back.candidates, win_back.win_back)),
    )
