"""Delivery from the outbox in three steps: claim due messages (the send-time check
decides each one), render and send the claimed ones outside any transaction, record the
outcomes (with the rendered content).

A message is rendered once, when it is first released: from the template version recorded
when it was queued, with its context revalidated (``contexts.validate_context``), in its
locale and time zone, with the brand kit and its unsubscribe link in the footer. The content
is stored (encrypted) with that attempt's outcome and the context dropped; a retry or a
resend sends the stored content. A released message its channel cannot send (no address,
no provider) is still rendered when it is meant for the inbox. A message that cannot be
rendered (a stored template failing on its context, a context that no longer fits) is
``failed`` with the reason, never retried.

At-least-once: a claimed message's lease (``policy.LEASE``) keeps other workers off it
while it is sent; if the worker dies between the provider's reply and the commit of the
outcome, the message is due again when the lease ends and is sent again with the same
Message-ID (the receiver can deduplicate on it). That window is the send plus one commit.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import timedelta

import orjson

from loyalist.db.crypto import MemberCipher
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from loyalist.members import consents as member_consents
from loyalist.members import service as members
from loyalist.members.policy import in_global_holdout
from loyalist.messages import policy, repository
from loyalist.messages.channels.base import (
    DeliveryFailed,
    NotConfigured,
    Outgoing,
    Receipt,
    Sender,
)
from loyalist.messages.channels.push import UNREGISTERED
from loyalist.messages.channels.signing import WebhookSecret
from loyalist.messages.channels.webhook import EndpointSenders, endpoint_disabled
from loyalist.messages.contexts import spec_key, validate_context
from loyalist.messages.errors import TemplateNotFoundError
from loyalist.messages.models import (
    CONTEXT,
    HTML,
    SUBJECT,
    TEXT,
    Message,
    MessageChannel,
    MessageKind,
    MessageStatus,
    Suppression,
    WebhookEndpoint,
)
from loyalist.messages.rendering import BrandKit, Rendered, TemplateSource, render_message
from loyalist.messages.service import (
    change_status,
    preferences_url,
    template_sources,
    unsubscribe_url,
)
from loyalist.settings import ProgramPolicy

log = logging.getLogger(__name__)

#: A journey's send-time question: which of these due messages should no longer go, and
#: why (``(member_id, message_id) -> reason``): its goal was met meanwhile.
Exits = Callable[[UnitOfWork, Sequence[Message]], Mapping[tuple[int, str], str]]


@dataclass(frozen=True, slots=True)
class Render:
    """What a message not rendered yet is rendered with in the send phase (``context`` is
    its stored JSON, revalidated then)."""

    key: str
    source: TemplateSource
    context: str
    locale: str
    time_zone: str
    brand: BrandKit
    unsubscribe_url: str
    preferences_url: str
    base_url: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A message this worker sends now (its ``attempt``-th send)."""

    member_id: int
    message_id: str
    attempt: int
    outgoing: Outgoing
    #: A webhook's endpoint and the secrets it is signed with.
    endpoint_id: str | None = None
    secrets: tuple[WebhookSecret, ...] = ()
    #: None: the content is rendered already (or a webhook's body).
    render: Render | None = None
    #: Decided without sending (no address, no provider): rendered for the inbox only,
    #: then finished with this status and reason.
    verdict: tuple[MessageStatus, str] | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    claim: Claim
    receipt: Receipt | None = None
    failure: DeliveryFailed | None = None
    not_configured: str | None = None
    #: The content rendered for this send (stored with the outcome).
    rendered: Rendered | None = None


def _address(
    contact: members.Contact, channel: MessageChannel, push_token: str | None
) -> str | None:
    if channel == MessageChannel.EMAIL:
        return contact.email
    if channel == MessageChannel.SMS:
        return contact.phone
    return push_token


def _address_index(channel: MessageChannel, address: str) -> str:
    if channel == MessageChannel.SMS:
        return members.phone_index(address)
    if channel == MessageChannel.PUSH:
        return members.device_index(address)
    return members.email_index(address)


def claim_due(
    uow: UnitOfWork,
    program: ProgramPolicy,
    limit: int,
    *,
    channels: Collection[str],
    base_url: str,
    brand: BrandKit,
    exits: Exits | None = None,
    push_platforms: Collection[str] | None = None,
    processors: Mapping[str, str] | None = None,
) -> tuple[list[Claim], int]:
    """Take up to ``limit`` due messages and decide each: held (quiet hours), suppressed,
    capped, failed (no address), not configured (no sender for its channel), or claimed for
    sending (with what it is rendered with, if it is not yet). Returns the claims and how
    many messages were decided in all. A message its journey's ``exits`` names is
    ``suppressed`` with the journey's reason first.

    Caps count the member's marketing released so far, this unit's included; the members'
    rows are locked first so two workers never both let a member's last allowed message go.
    A push goes to the member's newest device of ``push_platforms`` (None: of any).
    ``processors`` names the processor each channel's provider is (channel → code): when
    the program requires transfer consent, marketing on that channel needs the member's
    consent to ``transfer.<code>``.
    """
    due = repository.claim_due(uow.session, uow.now, limit)
    if not due:
        return [], 0
    member_ids = {m.member_id for m in due}
    if any(m.kind == MessageKind.MARKETING for m in due):
        members.lock_members(uow, member_ids)
    contacts = members.contacts(uow, member_ids)
    sealing = members.ciphers(uow, member_ids)  # read with the contacts: no query
    consents = members.consents(uow, member_ids)
    pushed = {m.member_id for m in due if m.channel == MessageChannel.PUSH}
    tokens = members.push_tokens(uow, pushed, push_platforms) if pushed else {}
    endpoints = repository.endpoints_by_id(
        uow.session, {m.endpoint_id for m in due if m.endpoint_id is not None}
    )
    topics = repository.topic_choices(uow.session, member_ids)
    sources = template_sources(
        uow,
        {
            (m.template_key, m.locale, m.template_version)
            for m in due
            if m.body_text is None and m.channel != MessageChannel.WEBHOOK
        },
    )
    suppressions: dict[tuple[int, str], list[Suppression]] = {}
    for row in repository.suppressions(uow.session, member_ids):
        suppressions.setdefault((row.member_id, str(row.channel)), []).append(row)
    stopped = exits(uow, due) if exits is not None else {}
    claims: list[Claim] = []
    for message in due:
        contact = contacts.get(message.member_id)
        if contact is None:  # pragma: no cover (messages go with their member)
            continue
        reason = stopped.get((message.member_id, message.id))
        if reason is not None:
            _finish(uow, message, MessageStatus.SUPPRESSED, reason)
            continue
        claim = _check(
            uow,
            message,
            contact,
            program,
            has_consent=consents.get((message.member_id, str(message.channel)), False),
            transfer=_transfer(message, program, processors or {}, consents),
            suppressed=suppressions.get((message.member_id, str(message.channel)), []),
            topics=topics.get(message.member_id, {}),
            channels=channels,
            setup=_Setup(base_url, brand, sources),
            endpoint=endpoints.get(message.endpoint_id) if message.endpoint_id else None,
            push_token=tokens.get(message.member_id),
            cipher=sealing[message.member_id],
        )
        if claim is not None:
            claims.append(claim)
    uow.session.flush()
    return claims, len(due)


def _transfer(
    message: Message,
    program: ProgramPolicy,
    processors: Mapping[str, str],
    consents: Mapping[tuple[int, str], bool],
) -> tuple[str, bool] | None:
    """The processor a marketing message would go through and whether the member consented
    to the transfer, when the program asks for that consent (None: not asked)."""
    processor = processors.get(str(message.channel))
    if (
        processor is None
        or message.kind != MessageKind.MARKETING
        or not program.messages.require_transfer_consent
    ):
        return None
    purpose = member_consents.transfer_purpose(processor)
    return processor, consents.get((message.member_id, purpose), False)


@dataclass(frozen=True, slots=True)
class _Setup:
    """What rendering in the send phase takes from the claim: the links' base URL, the
    brand kit, the template sources the due messages were queued with."""

    base_url: str
    brand: BrandKit
    sources: Mapping[tuple[str, str, int], TemplateSource]

    def render(self, message: Message, zone: str, cipher: MemberCipher) -> Render | str:
        """What ``message`` is rendered with (its context opened with the member's
        ``cipher``), or why it cannot be."""
        source = self.sources.get((message.template_key, message.locale, message.template_version))
        if source is None:
            return (
                f"not rendered: template {message.template_key} version "
                f"{message.template_version} ({message.locale}) does not exist"
            )
        context = cipher.open(CONTEXT, message.context)
        if context is None:  # queued with one, dropped once rendered: erased meanwhile
            return "not rendered: the member's personal data was erased"
        return Render(
            key=message.template_key,
            source=source,
            context=context,
            locale=message.locale,
            time_zone=message.time_zone or zone,
            brand=self.brand,
            unsubscribe_url=unsubscribe_url(self.base_url, message.member_id, message.id),
            preferences_url=preferences_url(self.base_url, message.member_id),
            base_url=self.base_url,
        )


def _check(
    uow: UnitOfWork,
    message: Message,
    contact: members.Contact,
    program: ProgramPolicy,
    *,
    has_consent: bool,
    transfer: tuple[str, bool] | None = None,
    suppressed: Sequence[Suppression],
    channels: Collection[str],
    topics: Mapping[str, bool] | None = None,
    setup: _Setup,
    endpoint: WebhookEndpoint | None = None,
    push_token: str | None = None,
    cipher: MemberCipher,
) -> Claim | None:
    settings = program.messages
    zone = policy.member_zone(contact.timezone, program.zone)
    if message.channel == MessageChannel.WEBHOOK:
        return _check_webhook(uow, message, endpoint, channels, cipher)
    address = _address(contact, message.channel, push_token)
    index = _address_index(message.channel, address) if address else None
    reasons = [s.reason for s in suppressed if s.address_index in (None, index)]
    cap = settings.caps.get(str(message.channel))
    counts = (0, 0)
    if message.kind == MessageKind.MARKETING and cap is not None:
        counts = repository.released_counts(
            uow.session,
            message.member_id,
            message.channel,
            week=policy.cap_window(uow.now, zone, policy.Period.WEEK),
            day=policy.cap_window(uow.now, zone, policy.Period.DAY),
        )
    decision = policy.decide(
        message.kind,
        policy.Audience(
            zone=zone,
            has_consent=has_consent,
            suppressions=reasons,
            day_count=counts[0],
            week_count=counts[1],
            topic=policy.topic_of(message.journey),
            topics=topics or {},
            processor=transfer[0] if transfer else None,
            has_transfer_consent=transfer[1] if transfer else False,
            is_held_out=in_global_holdout(
                message.member_id, program.campaigns.global_holdout_percent
            ),
        ),
        policy.Limits(
            quiet_start=settings.quiet_hours_start,
            quiet_end=settings.quiet_hours_end,
            per_day=cap.per_day if cap else None,
            per_week=cap.per_week if cap else None,
        ),
        uow.now,
        respects_quiet_hours=message.respects_quiet_hours,
    )
    if decision.action == policy.Action.HOLD:
        assert decision.until is not None
        if message.status != MessageStatus.HELD:
            change_status(uow, message, MessageStatus.HELD, decision.reason)
        message.next_attempt_at = decision.until
        return None
    if decision.action in (policy.Action.SUPPRESS, policy.Action.CAP):
        status = (
            MessageStatus.SUPPRESSED
            if decision.action == policy.Action.SUPPRESS
            else MessageStatus.CAPPED
        )
        _finish(uow, message, status, decision.reason)
        return None
    if message.status == MessageStatus.HELD:
        change_status(uow, message, MessageStatus.QUEUED, "released after quiet hours")
    message.released_at = message.released_at or uow.now
    render = None
    if message.body_text is None:
        found = setup.render(message, zone.key, cipher)
        if isinstance(found, str):
            _finish(uow, message, MessageStatus.FAILED, found[:500])
            return None
        render = found
    verdict = None
    if address is None:
        verdict = (MessageStatus.FAILED, f"the member has no {message.channel} address")
    elif str(message.channel) not in channels:
        verdict = (MessageStatus.NOT_CONFIGURED, f"no {message.channel} provider is configured")
    if verdict is not None and (render is None or not message.is_in_inbox):
        _finish(uow, message, *verdict)
        return None
    if verdict is None:
        message.attempts += 1
    message.next_attempt_at = uow.now + policy.LEASE
    return Claim(
        message.member_id,
        message.id,
        message.attempts,
        _outgoing(message, address or "", setup.base_url, cipher),
        render=render,
        verdict=verdict,
    )


def _check_webhook(
    uow: UnitOfWork,
    message: Message,
    endpoint: WebhookEndpoint | None,
    channels: Collection[str],
    cipher: MemberCipher,
) -> Claim | None:
    """A webhook goes to its endpoint's URL now, signed with its secrets now; it waits
    (``held``) while the endpoint is disabled, and fails if the endpoint is gone."""
    if endpoint is None:
        _finish(uow, message, MessageStatus.FAILED, "the webhook endpoint was deleted")
        return None
    if not endpoint.is_enabled:
        if message.status != MessageStatus.HELD:
            change_status(uow, message, MessageStatus.HELD, "the endpoint is disabled")
        message.next_attempt_at = policy.HELD_FOR_ENDPOINT
        return None
    if message.status == MessageStatus.HELD:
        change_status(uow, message, MessageStatus.QUEUED, "the endpoint was enabled")
    if str(message.channel) not in channels:
        _finish(uow, message, MessageStatus.NOT_CONFIGURED, "webhooks are not configured")
        return None
    message.released_at = message.released_at or uow.now
    message.attempts += 1
    message.next_attempt_at = uow.now + policy.LEASE
    outgoing = Outgoing(
        message_id=message.id,
        channel=str(message.channel),
        to=endpoint.url,
        subject=cipher.open(SUBJECT, message.subject) or "",
        data=orjson.loads(cipher.open(TEXT, message.body_text) or "{}"),
        created_at=message.created_at,
    )
    return Claim(
        message.member_id,
        message.id,
        message.attempts,
        outgoing,
        endpoint_id=endpoint.id,
        secrets=policy.load_secrets(endpoint.secrets),
    )


def _outgoing(message: Message, address: str, base_url: str, cipher: MemberCipher) -> Outgoing:
    headers: dict[str, str] = {}
    if message.kind == MessageKind.MARKETING and message.channel == MessageChannel.EMAIL:
        link = unsubscribe_url(base_url, message.member_id, message.id)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    if message.channel == MessageChannel.EMAIL:
        # Postmark hands X-PM-Metadata-* back in its webhooks: how its bounce, complaint
        # and delivery events name our message (SES returns our Message-ID itself).
        headers = {**headers, "X-PM-Metadata-loyalist-message": message.id}
    return Outgoing(
        message_id=message.id,
        channel=str(message.channel),
        to=address,
        subject=cipher.open(SUBJECT, message.subject) or "",
        text=cipher.open(TEXT, message.body_text) or "",
        html=cipher.open(HTML, message.body_html),
        headers=headers,
        created_at=message.created_at,
    )


def _finish(uow: UnitOfWork, message: Message, status: MessageStatus, reason: str | None) -> None:
    change_status(uow, message, status, reason)
    message.finished_at = uow.now


def send_claims(
    claims: Sequence[Claim],
    senders: Mapping[str, Sender],
    webhooks: EndpointSenders | None = None,
    *,
    parallel: int = 1,
) -> list[Outcome]:
    """Render each claimed message that is not yet, then send it (outside any transaction);
    every claim gets an outcome, in the claims' order — a message that cannot be rendered
    is a permanent failure, an unexpected error of a sender a transient one, never a lost
    message. Webhooks go through ``webhooks``, signed with their endpoint's secrets.

    ``parallel`` > 1: that many sends at once (threads), so one message's wait for its
    provider overlaps the next one's rendering and sending; the senders are safe to share
    (the SMTP sender keeps a connection per concurrent send)."""

    def one(claim: Claim) -> Outcome:
        rendered = None
        outgoing = claim.outgoing
        if claim.render is not None:
            try:
                rendered = _content(outgoing.channel, _render(claim.render))
            except Exception as exc:  # any problem of the template or context fails it
                reason = _render_problem(exc, claim)
                return Outcome(claim, failure=DeliveryFailed(reason, transient=False))
            outgoing = replace(
                outgoing, subject=rendered.subject, text=rendered.text, html=rendered.html
            )
        if claim.verdict is not None:
            return Outcome(claim, rendered=rendered)
        return replace(_send(claim, outgoing, senders, webhooks), rendered=rendered)

    if parallel <= 1 or len(claims) <= 1:
        return [one(claim) for claim in claims]
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="loyalist-send") as pool:
        return list(pool.map(one, claims))


def _render(render: Render) -> Rendered:
    key = spec_key(render.key)
    if key is None:
        raise TemplateNotFoundError(f"no template {render.key!r}")
    return render_message(
        key,
        render.source,
        validate_context(key, policy.absolute_links(orjson.loads(render.context), render.base_url)),
        locale=render.locale,
        time_zone=render.time_zone,
        brand=render.brand,
        unsubscribe_url=render.unsubscribe_url,
        preferences_url=render.preferences_url,
        name=render.key,
    )


def _render_problem(exc: Exception, claim: Claim) -> str:
    if isinstance(exc, DomainError):
        fields = "; ".join(f"{e.pointer}: {e.detail}" for e in exc.errors)
        detail = exc.detail + (f" ({fields})" if fields else "")
    else:
        log.exception("message %s could not be rendered", claim.message_id)
        detail = f"{type(exc).__name__}: {exc}"
    return f"not rendered: {detail}"[:500]


def _content(channel: str, rendered: Rendered) -> Rendered:
    """What the channel gets (and is stored): SMS and push the short text, if the template
    has one, and no HTML; email everything."""
    if channel in (MessageChannel.SMS, MessageChannel.PUSH):
        return Rendered(subject=rendered.subject, text=rendered.short or rendered.text)
    return Rendered(subject=rendered.subject, text=rendered.text, html=rendered.html)


def _send(
    claim: Claim,
    outgoing: Outgoing,
    senders: Mapping[str, Sender],
    webhooks: EndpointSenders | None,
) -> Outcome:
    sender: Sender | None = senders.get(outgoing.channel)
    if claim.endpoint_id is not None and webhooks is not None:
        sender = webhooks.for_secrets(claim.secrets)
    if sender is None:
        return Outcome(claim, not_configured="no sender for the channel")
    try:
        return Outcome(claim, receipt=sender.send(outgoing))
    except DeliveryFailed as failed:
        return Outcome(claim, failure=failed)
    except NotConfigured as missing:
        return Outcome(claim, not_configured=str(missing))
    except Exception as exc:
        log.exception("sender of %s failed unexpectedly", outgoing.channel)
        unexpected = DeliveryFailed(f"{type(exc).__name__}: {exc}"[:480], transient=True)
        return Outcome(claim, failure=unexpected)


def record_outcomes(uow: UnitOfWork, outcomes: Sequence[Outcome], program: ProgramPolicy) -> None:
    """Write what each send did, with the content rendered for it (the context is dropped
    then): ``sent``; ``failed`` (permanent, or transient past the program's
    ``max_attempts``); ``not_configured``; the claim's verdict (rendered for the inbox
    only); or queued again after a transient failure, with exponential backoff and jitter.
    A message claimed again meanwhile (its lease ran out) is left to the later claim."""
    by_key = {(o.claim.member_id, o.claim.message_id): o for o in outcomes}
    _record_health(uow, outcomes, program)
    members.forget_push_tokens(
        uow,
        {
            o.claim.outgoing.to
            for o in outcomes
            if o.claim.outgoing.channel == MessageChannel.PUSH
            and o.failure is not None
            and o.failure.code == UNREGISTERED
        },
    )
    max_attempts = program.messages.max_attempts
    sealing = members.ciphers(uow, {o.claim.member_id for o in outcomes if o.rendered is not None})
    for message in repository.lock_messages(uow.session, by_key):
        outcome = by_key[(message.member_id, message.id)]
        if message.attempts != outcome.claim.attempt or message.status != MessageStatus.QUEUED:
            log.warning("message %s was claimed again while being sent", message.id)
            continue
        if outcome.rendered is not None and message.body_text is None:
            # Stored sealed under the member's key; none if it was destroyed meanwhile.
            cipher = sealing[message.member_id]
            if cipher.has_key:
                message.subject = cipher.seal(SUBJECT, outcome.rendered.subject)
                message.body_text = cipher.seal(TEXT, outcome.rendered.text)
                message.body_html = cipher.seal(HTML, outcome.rendered.html)
            message.context = None
        failure = outcome.failure
        if outcome.receipt is not None:
            message.provider_id = outcome.receipt.provider_id
            _finish(uow, message, MessageStatus.SENT, None)
        elif outcome.not_configured is not None:
            _finish(uow, message, MessageStatus.NOT_CONFIGURED, outcome.not_configured)
        elif failure is None:
            assert outcome.claim.verdict is not None
            _finish(uow, message, *outcome.claim.verdict)
        else:
            if not failure.transient:
                _finish(uow, message, MessageStatus.FAILED, failure.reason)
            elif message.attempts >= max_attempts:
                reason = f"gave up after {message.attempts} attempts: {failure.reason}"
                _finish(uow, message, MessageStatus.FAILED, reason[:500])
            else:
                message.next_attempt_at = policy.retry_at(
                    uow.now, message.attempts, random.random(), failure.retry_after
                )
                reason = f"attempt {message.attempts} failed, retrying: {failure.reason}"
                change_status(uow, message, MessageStatus.QUEUED, reason[:500])
    uow.session.flush()


def _record_health(uow: UnitOfWork, outcomes: Sequence[Outcome], program: ProgramPolicy) -> None:
    """Webhook endpoints' health: a delivery clears the run of failures; a failure starts
    one (or continues it), and an endpoint failing for ``webhook_disable_after_hours`` —
    or answering 410 Gone — is disabled (its later webhooks are held)."""
    hooks = [o for o in outcomes if o.claim.endpoint_id is not None]
    if not hooks:
        return
    endpoints = repository.endpoints_by_id(
        uow.session, {o.claim.endpoint_id for o in hooks if o.claim.endpoint_id}, lock=True
    )
    after = timedelta(hours=program.messages.webhook_disable_after_hours)
    delivered = {o.claim.endpoint_id for o in hooks if o.receipt is not None}
    for outcome in hooks:
        endpoint = endpoints.get(outcome.claim.endpoint_id or "")
        if endpoint is None:
            continue
        if endpoint.id in delivered:
            endpoint.first_failure_at = None
            continue
        endpoint.first_failure_at = endpoint.first_failure_at or uow.now
        failure = outcome.failure
        gone = failure is not None and failure.code == "http_410"
        if endpoint.is_enabled and (
            gone or endpoint_disabled(endpoint.first_failure_at, uow.now, after)
        ):
            reason = failure.reason if failure else "not delivered"
            since = endpoint.first_failure_at.isoformat()
            endpoint.is_enabled = False
            endpoint.disabled_at = uow.now
            endpoint.disabled_reason = (
                f"answered 410 Gone: {reason}" if gone else f"failing since {since}: {reason}"
            )[:500]
