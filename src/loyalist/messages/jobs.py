"""The messages' due work: deliver what the outbox holds (see ``delivery``)."""

from __future__ import annotations

from collections.abc import Callable

from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.messages import delivery
from loyalist.messages.channels.base import Sender
from loyalist.messages.channels.email import SmtpConfig, SmtpSender
from loyalist.messages.channels.webhook import EndpointSenders, WebhookConfig
from loyalist.messages.models import MessageChannel
from loyalist.messages.service import brand_kit
from loyalist.settings import ProgramPolicy, Settings


def senders(settings: Settings) -> dict[str, Sender]:
    """The channels that have a provider configured (email: an SMTP host)."""
    smtp = settings.smtp
    found: dict[str, Sender] = {}
    if smtp.host:
        found["email"] = SmtpSender(
            SmtpConfig(
                host=smtp.host,
                port=smtp.effective_port,
                sender=settings.messages.sender,
                username=smtp.username,
                password=smtp.password.get_secret_value(),
                security=smtp.security.value,
                timeout=smtp.timeout_seconds,
            )
        )
    return found


def deliverer(settings: Settings) -> Callable[[Database, ProgramPolicy, int], int]:
    """The delivery job: ``(db, program, limit) -> messages handled``. Each pass claims up
    to ``limit`` due messages in one unit, renders and sends the claimed ones after that
    unit commits (webhooks through one SSRF-guarded client for the pass), and records the
    outcomes in a second unit. Messages are rendered in the send phase with the brand kit of the
    settings (checked here, when the application starts).

    Raises:
        BrandInvalidError: a colour or link of ``LOYALIST_MESSAGES__BRAND__*`` is invalid.
    """
    chosen = senders(settings)
    brand = brand_kit(settings)

    def deliver(db: Database, program: ProgramPolicy, limit: int) -> int:
        def claim(uow: UnitOfWork) -> tuple[list[delivery.Claim], int]:
            return delivery.claim_due(
                uow,
                program,
                limit,
                channels={*chosen, MessageChannel.WEBHOOK.value},
                base_url=settings.messages.base_url,
                brand=brand,
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
            try:
                outcomes = delivery.send_claims(claims, chosen, hooks)
            finally:
                if hooks is not None:
                    hooks.close()
                for sender in chosen.values():
                    if isinstance(sender, SmtpSender):
                        sender.close()
            db.write(lambda uow: delivery.record_outcomes(uow, outcomes, program))
        return handled

    return deliver
