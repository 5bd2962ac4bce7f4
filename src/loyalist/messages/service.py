"""Message use cases: queue messages in the unit of the fact that caused them (a context to
render when sent, with the template version live now), a member's messages and inbox,
one-click unsubscribe, survey answers from a message's link, and the journeys' skipped
counts."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson

from loyalist.activities import service as activities
from loyalist.activities.models import EventType, SurveyChannel
from loyalist.activities.schemas import parse_event
from loyalist.db.crypto import MemberCipher, active_keyring
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.i18n import SUPPORTED
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.messages import policy, repository
from loyalist.messages.contexts import Part, TemplateKey, spec_key
from loyalist.messages.errors import (
    MessageNotFoundError,
    MessageNotResendableError,
    PreferencesLinkInvalidError,
    SurveyLinkInvalidError,
    TemplatePartsInvalidError,
    UnsubscribeLinkInvalidError,
)
from loyalist.messages.models import (
    CONTEXT,
    HTML,
    SUBJECT,
    TEXT,
    Message,
    MessageChannel,
    MessageKind,
    MessageStatus,
    SuppressionReason,
    WebhookEndpoint,
    WebhookEvent,
)
from loyalist.messages.rendering import (
    BrandKit,
    TemplateSource,
    check_sample,
    shipped_template,
    stored_source,
)
from loyalist.messages.schemas import (
    InboxItemRead,
    InboxRead,
    MessageRead,
    StatusChangeRead,
)
from loyalist.settings import Settings

_SKIPS = "messages.skips"
_TOKEN_PURPOSE = "message.unsubscribe"  # noqa: S105 (an encryption purpose)
_PREFERENCES_PURPOSE = "message.preferences"
_SURVEY_PURPOSE = "message.survey"
_TEMPLATE_KEYS = frozenset(key.value for key in TemplateKey)
_ENDPOINTS = "messages.endpoints"
_STOP_CHUNK = 1_000
_STATUS_EVENTS = "messages.status_events"
#: The journey of every webhook message (the engine's events and message events).
WEBHOOK_JOURNEY = "webhook"
#: The journey of campaigns' messages (natural key ``<campaign>:<step>``).
CAMPAIGN_JOURNEY = "campaign"


@dataclass(frozen=True, slots=True)
class MessageDraft:
    """A message a journey wants sent, once per ``(member, journey, natural_key, channel)``:
    template ``template_key`` rendered with ``context`` (the ``contexts`` type of the key;
    dates and datetimes are fine) for a reader of ``locale`` in ``time_zone`` (IANA) when
    the delivery job sends it. ``due_at`` None: due at once. ``id`` None: one is made.
    ``respects_quiet_hours`` False: marketing sent at once even inside the member's quiet
    hours (a campaign's ``quiet_hours: false``); consent, suppression, topics, caps and
    the global holdout still apply."""

    member_id: int
    kind: MessageKind
    channel: MessageChannel
    journey: str
    natural_key: str
    template_key: str
    locale: str
    time_zone: str
    context: Mapping[str, Any]
    due_at: datetime | None = None
    is_in_inbox: bool = True
    id: str | None = None
    endpoint_id: str | None = None
    respects_quiet_hours: bool = True


@dataclass(frozen=True, slots=True)
class WebhookDraft:
    """A webhook to one endpoint: no template, its body is the event's ``data`` as it is
    now (stored as the message's text, the event type as its subject and template key)."""

    member_id: int
    event: WebhookEvent
    natural_key: str
    data: Mapping[str, Any]
    endpoint_id: str
    journey: str
    id: str | None = None


def brand_kit(settings: Settings) -> BrandKit:
    """The brand kit of ``LOYALIST_MESSAGES__BRAND__*``.

    Raises:
        BrandInvalidError: a colour is not ``#rgb``/``#rrggbb`` or a link not http(s).
    """
    return BrandKit(**settings.messages.brand.model_dump())


def new_message_id() -> str:
    return f"msg_{secrets.token_hex(12)}"


def _new_message_ids(count: int) -> Iterator[str]:
    """``count`` fresh ids from one read of the system's random source (a read per id was
    a noticeable share of queueing in ingest)."""
    raw = secrets.token_bytes(12 * count).hex()
    return (f"msg_{raw[i : i + 24]}" for i in range(0, 24 * count, 24))


def queue_messages(uow: UnitOfWork, drafts: Sequence[MessageDraft | WebhookDraft]) -> list[str]:
    """Put messages in the outbox, in the caller's transaction: they leave only after it
    commits (the worker renders and sends them), and not at all if it rolls back. A
    message records the template version live now (``live_template_versions``) and is
    rendered with it however the template changes before it is sent.

    A draft whose key is already queued (a replayed or concurrent fact) adds nothing.
    Returns the ids of the messages queued now.
    """
    live = live_template_versions(
        uow, {(d.template_key, d.locale) for d in drafts if isinstance(d, MessageDraft)}
    )
    ids = _new_message_ids(len(drafts))
    sealing = members.ciphers(uow, {d.member_id for d in drafts}, create=True)
    rows = [_row(uow, d, live, d.id or next(ids), sealing[d.member_id]) for d in drafts]
    # One row a message: its first status (``queued``, revision 1) is implied by the row
    # (``policy.status_history``), its later changes are stored.
    inserted = repository.insert_messages(uow.session, rows)
    return [str(row["id"]) for row in rows if (row["member_id"], row["id"]) in inserted]


def _row(
    uow: UnitOfWork,
    draft: MessageDraft | WebhookDraft,
    live: Mapping[tuple[str, str], int],
    message_id: str,
    cipher: MemberCipher,
) -> dict[str, Any]:
    """The message's row, its content sealed under the member's key."""
    common = {
        "member_id": draft.member_id,
        "id": message_id,
        "natural_key": draft.natural_key[:200],
        "journey": draft.journey,
        "status": MessageStatus.QUEUED.value,
        "revision": 1,
        "attempts": 0,
        "created_at": uow.now,
    }
    if isinstance(draft, WebhookDraft):
        return {
            **common,
            "kind": MessageKind.TRANSACTIONAL.value,
            "channel": MessageChannel.WEBHOOK.value,
            "template_key": draft.event.value,
            "template_version": 0,
            "locale": "en",
            "time_zone": None,
            "context": None,
            "subject": cipher.seal(SUBJECT, draft.event.value),
            "body_text": cipher.seal(TEXT, orjson.dumps(draft.data).decode()),
            "body_html": None,
            "is_in_inbox": False,
            "endpoint_id": draft.endpoint_id,
            "due_at": uow.now,
            "next_attempt_at": uow.now,
        }
    return {
        **common,
        "kind": draft.kind.value,
        "channel": draft.channel.value,
        "template_key": draft.template_key,
        "template_version": live.get((draft.template_key, draft.locale), 0),
        "locale": draft.locale,
        "time_zone": draft.time_zone,
        "context": cipher.seal(CONTEXT, orjson.dumps(draft.context).decode()),
        "subject": None,
        "body_text": None,
        "body_html": None,
        "is_in_inbox": draft.is_in_inbox,
        "endpoint_id": draft.endpoint_id,
        "respects_quiet_hours": draft.respects_quiet_hours,
        "due_at": draft.due_at or uow.now,
        "next_attempt_at": draft.due_at or uow.now,
    }


# -- status changes and the message events they raise -------------------------------------
def change_status(
    uow: UnitOfWork, message: Message, status: MessageStatus, reason: str | None
) -> None:
    """Move a (loaded, locked) message to ``status`` and append it to its history — the one
    way a message's status changes. A member's message reaching an outcome endpoints may
    subscribe to (``policy.MESSAGE_EVENTS``) queues, in this unit, one webhook per
    subscribed endpoint (``message.<status>``); a webhook's own status raises none."""
    if reason is not None:
        reason = policy.redact_addresses(reason)
    repository.record_change(uow.session, message, status, reason, uow.now)
    event = policy.MESSAGE_EVENTS.get(status)
    if (
        event is None
        or message.channel == MessageChannel.WEBHOOK
        or not subscribed_endpoints(uow, event)
    ):
        return
    uow.working_set(_STATUS_EVENTS, _StatusEvents).add(message, event, uow.now)


def stop_campaign_messages(uow: UnitOfWork, campaign_key: str) -> int:
    """The campaign was cancelled: its messages still waiting (queued, or held for quiet
    hours) go no more (``suppressed``, reason ``campaign_cancelled``). A message a worker
    is sending at this moment has left already: its outcome is then not recorded. Returns
    how many were stopped."""
    stopped = 0
    prefix = f"{campaign_key}:"
    while found := repository.waiting_with_key_prefix(
        uow.session, CAMPAIGN_JOURNEY, prefix, _STOP_CHUNK
    ):
        for message in found:
            change_status(uow, message, MessageStatus.SUPPRESSED, "campaign_cancelled")
            message.finished_at = uow.now
        uow.session.flush()
        stopped += len(found)
    return stopped


def engagement(
    uow: UnitOfWork, journey: str, natural_key_prefix: str
) -> dict[int, tuple[bool, bool]]:
    """Per member, whether a provider reported one of their messages of ``journey`` whose
    natural key starts with ``natural_key_prefix`` (``f"{campaign}:"``: every step of a
    campaign; ``f"{campaign}:main"``: its first message) opened, and clicked. Members
    with nothing reported are left out: only email through a provider with open and click
    tracking (SES, Postmark) reports them — SMTP, SMS and push never do."""
    found: dict[int, tuple[bool, bool]] = {}
    for member_id, opened, clicked in repository.engagement(
        uow.session, journey, natural_key_prefix
    ):
        was = found.get(member_id, (False, False))
        found[member_id] = (was[0] or opened, was[1] or clicked)
    return found


def erase_member_messages(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
    """The members are being erased: their messages keep only what happened to them
    (channel, journey, template, statuses and times), never what they said; the ones still
    waiting are stopped (``suppressed``, reason ``member_erased``, announced to no
    endpoint); their suppressions go. Returns messages per member."""
    return repository.erase_member_messages(uow.session, member_ids, uow.now)


def subscribed_endpoints(uow: UnitOfWork, event: WebhookEvent) -> list[WebhookEndpoint]:
    """The endpoints subscribed to ``event`` (disabled ones too: their webhooks are held
    and replayed when enabled), all read once per unit (every batch of events asks)."""
    found: list[WebhookEndpoint] | None = uow.state.get(_ENDPOINTS)
    if found is None:
        found = repository.endpoints(uow.session)
        uow.state[_ENDPOINTS] = found
    return [e for e in found if event.value in e.event_types]


@dataclass(frozen=True, slots=True)
class _StatusEvent:
    member_id: int
    message_id: str
    revision: int
    event: WebhookEvent
    data: dict[str, Any]


class _StatusEvents:
    """The unit's message events, queued as webhooks before it commits (one insert for
    all). A webhook's natural key is its endpoint, message and revision: the same status
    change never notifies an endpoint twice."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._pending: list[_StatusEvent] = []

    def add(self, message: Message, event: WebhookEvent, at: datetime) -> None:
        self._pending.append(
            _StatusEvent(
                message.member_id,
                message.id,
                message.revision,
                event,
                {
                    "message_id": message.id,
                    "channel": str(message.channel),
                    "kind": str(message.kind),
                    "journey": message.journey,
                    "template_key": message.template_key,
                    "status": str(message.status),
                    "reason": message.reason,
                    "at": at,
                },
            )
        )

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        uow = self._uow
        external = members.external_ids(uow, {p.member_id for p in pending})
        drafts = [
            WebhookDraft(
                member_id=p.member_id,
                event=p.event,
                natural_key=f"{endpoint.id}:{p.message_id}:{p.revision}",
                data={"member_id": external[p.member_id], **p.data},
                endpoint_id=endpoint.id,
                journey=WEBHOOK_JOURNEY,
            )
            for p in pending
            for endpoint in subscribed_endpoints(uow, p.event)
        ]
        queue_messages(uow, drafts)


# -- template versions ----------------------------------------------------------------------
def live_template_versions(
    uow: UnitOfWork, wanted: Collection[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The version live now per ``(template key, locale)``: the newest stored one, else 0
    (the shipped default)."""
    if not wanted:
        return {}
    stored = repository.live_template_versions(uow.session, {key for key, _ in wanted})
    return {pair: stored.get(pair, 0) for pair in wanted}


def template_sources(
    uow: UnitOfWork, wanted: Collection[tuple[str, str, int]]
) -> dict[tuple[str, str, int], TemplateSource]:
    """The source of each ``(template key, locale, version)`` of ``wanted``: version 0 is
    the shipped default, another a stored version. A key that is no template, or a version
    that is not stored, is left out."""
    found: dict[tuple[str, str, int], TemplateSource] = {}
    for row in repository.template_versions(uow.session, [w for w in wanted if w[2] != 0]):
        found[(row.key, row.locale, row.version)] = stored_source(row)
    for key, locale, version in wanted:
        if version == 0 and key in _TEMPLATE_KEYS and locale in SUPPORTED:
            found[(key, locale, 0)] = shipped_template(TemplateKey(key), locale)
    return found


#: A campaign's parts as its spec names them (``CampaignSpec``: ``body`` is the text).
_SPEC_FIELDS = {Part.SUBJECT: "subject", Part.TEXT: "body", Part.HTML: "html", Part.SHORT: "short"}


def _check_campaign_source(
    template_key: str, locale: str, source: TemplateSource, pointer: str
) -> list[InvalidRequestError]:
    """The problems of one locale's campaign content (each with its spec pointer)."""
    if not any(source.part(p).strip() for p in (Part.TEXT, Part.HTML, Part.SHORT)):
        return [
            TemplatePartsInvalidError(
                f"campaign content {template_key} ({locale}) needs a body, html or short text",
                errors=[FieldError(f"{pointer}/body/{locale}", "give a body, html or short")],
            )
        ]
    try:
        check_sample(TemplateKey.CAMPAIGN, source, locale, name=template_key)
    except InvalidRequestError as exc:
        part = Part(str(exc.extra.get("part", "text")).removeprefix("layout "))
        where = f"{pointer}/{_SPEC_FIELDS[part]}/{locale}"
        return [type(exc)(exc.detail, errors=[FieldError(where, exc.detail)], extra=exc.extra)]
    return []


def check_campaign_content(
    template_key: str, sources: Mapping[str, TemplateSource], *, pointer: str = ""
) -> None:
    """The checks ``put_campaign_content`` makes before it stores anything: both locales
    given, every part compiles and renders with the ``campaign`` sample data.

    Raises:
        TemplatePartsInvalidError, TemplateSyntaxInvalidError, …: as ``put_campaign_content``.
        ValueError: ``template_key`` is not a campaign's key.
    """
    if spec_key(template_key) is not TemplateKey.CAMPAIGN or len(template_key) > 80:
        raise ValueError(f"{template_key!r} is not a campaign's template key")
    problems: list[InvalidRequestError] = [
        TemplatePartsInvalidError(
            f"campaign content {template_key} has no locale {locale!r}",
            errors=[FieldError(f"{pointer}/subject/{locale}", f"no locale {locale!r}")],
        )
        for locale in sorted(set(sources) ^ set(SUPPORTED))
    ]
    for locale in SUPPORTED:
        if locale in sources:
            problems += _check_campaign_source(template_key, locale, sources[locale], pointer)
    if problems:
        first = problems[0]
        raise type(first)(
            first.detail
            if len(problems) == 1
            else f"{first.detail} (and {len(problems) - 1} more)",
            errors=[e for p in problems for e in p.errors],
            extra=first.extra,
        )


def put_campaign_content(
    uow: UnitOfWork,
    template_key: str,
    sources: Mapping[str, TemplateSource],
    actor: str,
    *,
    pointer: str = "",
) -> int:
    """Store a campaign's own content (``contexts.campaign_template_key``: its step's, or an
    arm's) as template versions, one per locale (``en`` and ``ru``): a new version only of
    a locale whose content differs from the live one. Each is first rendered with the
    ``campaign`` sample data; a part may be left out (``html``: made from the text;
    ``text``: from the HTML; ``short``: SMS and push then send the text). Returns how many
    versions were stored.

    Raises:
        TemplatePartsInvalidError: a locale is missing or unknown, or has no body at all.
        TemplateSyntaxInvalidError, TemplateVariableUndefinedError, TemplateUnsafeError,
        TemplateOutputTooLargeError, TemplateRenderTooLongError, TemplateRenderFailedError:
            a part does not compile or render; every problem found is listed, each with
            its pointer in the campaign's spec, ``{pointer}/<subject|body|html|short>/<locale>``
            (``pointer``: where the content sits in the spec, e.g. ``/variants/0/content``).
        ValueError: ``template_key`` is not a campaign's key.
    """
    check_campaign_content(template_key, sources, pointer=pointer)
    created = 0
    for locale in SUPPORTED:
        source = sources[locale]
        repository.lock_template(uow.session, template_key, locale)
        rows = repository.versions_of(uow.session, template_key, locale)
        if rows and stored_source(rows[0]) == source:
            continue
        repository.add_template_version(
            uow.session,
            {
                "key": template_key,
                "locale": locale,
                "version": (rows[0].version if rows else 0) + 1,
                "subject": source.subject,
                "body_text": source.text,
                "body_html": source.html,
                "body_short": source.short,
                "created_at": uow.now,
                "created_by": actor[:120],
            },
        )
        created += 1
    return created


class _Skips:
    """The unit's skipped facts per journey, written in one statement before it commits
    (every journey of every ingest unit counts: one write per journey and unit would be
    most of what the journeys cost an import, and on PostgreSQL a row every concurrent
    unit waits for)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.counts: dict[str, int] = {}

    def flush(self) -> None:
        counts, self.counts = self.counts, {}
        if counts:
            repository.add_skips(self._uow.session, counts, self._uow.now)


def outbox_backlog(uow: UnitOfWork) -> tuple[int, float]:
    """``(messages, seconds)``: the messages due and not yet delivered (queued or held past
    their time, or a retry that is due), and how long the longest-waiting of them is overdue
    (0 when none is)."""
    count, oldest = repository.due_backlog(uow.session, uow.now)
    return count, (uow.now - oldest).total_seconds() if oldest is not None else 0.0


def count_skipped(uow: UnitOfWork, journey: str, count: int) -> None:
    """Record facts a journey let pass as too old to act on (written when the unit ends)."""
    if count > 0:
        skips = uow.working_set(_SKIPS, _Skips)
        skips.counts[journey] = skips.counts.get(journey, 0) + count


def skipped_counts(uow: UnitOfWork) -> list[dict[str, object]]:
    """Per journey: facts skipped as older than the freshness window, and the last time."""
    return [
        {
            "journey": row.journey,
            "skipped_count": row.skipped_count,
            "last_skipped_at": row.last_skipped_at,
        }
        for row in repository.skips(uow.session)
    ]


#: What a journey's figures count as sent: the provider took it (and maybe delivered it).
_SENT = frozenset({MessageStatus.SENT, MessageStatus.DELIVERED})


def journey_figures(uow: UnitOfWork, since: datetime) -> dict[str, dict[str, int]]:
    """Per journey, of its messages queued since ``since``: ``queued`` (all of them),
    ``sent`` (sent or delivered), ``delivered``, ``failed``, ``not_sent`` (suppressed,
    capped, not configured), ``opened`` and ``clicked`` (as providers reported them)."""
    figures: dict[str, dict[str, int]] = {}
    for journey, status, count, opened, clicked in repository.journey_figures(uow.session, since):
        row = figures.setdefault(
            journey,
            dict.fromkeys(
                ("queued", "sent", "delivered", "failed", "not_sent", "opened", "clicked"), 0
            ),
        )
        row["queued"] += count
        row["opened"] += opened
        row["clicked"] += clicked
        if status in _SENT:
            row["sent"] += count
        if status == MessageStatus.DELIVERED:
            row["delivered"] += count
        elif status == MessageStatus.FAILED:
            row["failed"] += count
        elif status not in (MessageStatus.QUEUED, MessageStatus.HELD, MessageStatus.SENT):
            row["not_sent"] += count
    return figures


# -- what a member got ----------------------------------------------------------------------
def list_messages(uow: UnitOfWork, external_id: str, *, limit: int = 50) -> list[MessageRead]:
    """The member's messages, newest first, each with its status history.

    Raises:
        MemberNotFoundError: no member has this external id.
    """
    return find_messages(uow, member=external_id, limit=limit)


def find_messages(
    uow: UnitOfWork,
    *,
    member: str | None = None,
    status: MessageStatus | None = None,
    journey: str | None = None,
    channel: MessageChannel | None = None,
    before: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[MessageRead]:
    """Messages newest first, of one member (external id) or of all, with a status, a
    journey and a channel when given, each with its status history; with ``before`` (a
    message's ``(created_at, id)``), those queued before it.

    Raises:
        MemberNotFoundError: no member has the external id ``member``.
    """
    member_id = members.get_member_id(uow, member) if member is not None else None
    found = repository.find_messages(
        uow.session,
        member_id=member_id,
        status=status.value if status is not None else None,
        journey=journey,
        limit=limit,
        channel=channel.value if channel is not None else None,
        before=before,
    )
    return _reads(uow, found)


def timeline(
    uow: UnitOfWork,
    member_id: int,
    *,
    limit: int,
    before_at: datetime | None = None,
    before_id: str | None = None,
) -> list[MessageRead]:
    """The member's messages for the member timeline, newest first by queue time: those
    queued before ``before_at`` (or before ``(before_at, before_id)``), with their status
    history."""
    found = repository.member_timeline(
        uow.session, member_id, limit=limit, before_at=before_at, before_id=before_id
    )
    return _reads(uow, found)


def get_message(uow: UnitOfWork, external_id: str, message_id: str) -> MessageRead:
    """One of the member's messages with its status history.

    Raises:
        MemberNotFoundError: no member has this external id.
        MessageNotFoundError: the member has no such message.
    """
    member_id = members.get_member_id(uow, external_id)
    message = repository.find(uow.session, member_id, message_id)
    if message is None:
        raise MessageNotFoundError(f"member {external_id!r} has no message {message_id!r}")
    return _reads(uow, [message])[0]


def resend(
    uow: UnitOfWork, external_id: str, message_id: str, *, by: str, why: str | None = None
) -> MessageRead:
    """Queue a ``failed`` or ``not_configured`` message again, as the same message (same
    id, so the receiver deduplicates on it; the content rendered the first time, or, if it
    never was, rendered when sent from the version recorded when it was queued): ``queued``
    in its history with
    who resent it and why, due now. The send-time check decides it again (consent,
    suppression, quiet hours, caps) and it counts against caps only once released again.

    Raises:
        MemberNotFoundError: no member has this external id.
        MessageNotFoundError: the member has no such message.
        MessageNotResendableError: the message is waiting, sent, suppressed or capped.
    """
    member_id = members.get_member_id(uow, external_id)
    locked = repository.lock_messages(uow.session, [(member_id, message_id)])
    if not locked:
        raise MessageNotFoundError(f"member {external_id!r} has no message {message_id!r}")
    message = locked[0]
    if message.status not in policy.RESENDABLE:
        raise MessageNotResendableError(
            f"message {message_id!r} is {message.status}: only failed or not_configured "
            "messages are resent"
        )
    reason = f"resent by {by}" + (f": {why}" if why else "")
    change_status(uow, message, MessageStatus.QUEUED, reason[:500])
    message.next_attempt_at = uow.now
    message.released_at = None
    message.finished_at = None
    message.provider_id = None
    uow.session.flush()
    return _reads(uow, [message])[0]


def _reads(uow: UnitOfWork, found: Sequence[Message]) -> list[MessageRead]:
    external = members.external_ids(uow, {m.member_id for m in found})
    changes: dict[tuple[int, str], list[policy.StatusEntry]] = {}
    by_member: dict[int, list[str]] = {}
    for message in found:
        by_member.setdefault(message.member_id, []).append(message.id)
    for member_id, ids in by_member.items():
        for change in repository.history(uow.session, member_id, ids):
            changes.setdefault((member_id, change.message_id), []).append(
                policy.StatusEntry(change.status, change.reason, change.changed_at)
            )
    sealing = members.ciphers(uow, by_member)
    return [
        _read(
            m,
            external[m.member_id],
            [
                StatusChangeRead(status=e.status, reason=e.reason, changed_at=e.changed_at)
                for e in policy.status_history(m.created_at, changes.get((m.member_id, m.id), []))
            ],
            sealing[m.member_id],
        )
        for m in found
    ]


def _read(
    message: Message, external_id: str, history: list[StatusChangeRead], cipher: MemberCipher
) -> MessageRead:
    waiting = message.status in (MessageStatus.QUEUED, MessageStatus.HELD)
    return MessageRead(
        id=message.id,
        member_id=external_id,
        kind=message.kind,
        channel=message.channel,
        journey=message.journey,
        natural_key=message.natural_key,
        template_key=message.template_key,
        template_version=message.template_version,
        locale=message.locale,
        subject=cipher.open(SUBJECT, message.subject),
        status=message.status,
        reason=message.reason,
        attempts=message.attempts,
        created_at=message.created_at,
        due_at=message.due_at,
        next_attempt_at=message.next_attempt_at if waiting else None,
        released_at=message.released_at,
        finished_at=message.finished_at,
        history=history,
    )


def inbox(uow: UnitOfWork, external_id: str, *, limit: int = 50) -> InboxRead:
    """The member's in-app inbox: messages meant for it once the send-time check released
    them and the delivery job rendered them (whatever their channel then did), newest
    first.

    Raises:
        MemberNotFoundError: no member has this external id.
    """
    member_id = members.get_member_id(uow, external_id)
    cipher = members.ciphers(uow, [member_id])[member_id]
    items = [
        InboxItemRead(
            id=m.id,
            kind=m.kind,
            journey=m.journey,
            subject=cipher.open(SUBJECT, m.subject) or "",
            text=cipher.open(TEXT, m.body_text) or "",
            html=cipher.open(HTML, m.body_html),
            received_at=m.released_at or m.created_at,
            read_at=m.read_at,
        )
        for m in repository.inbox(uow.session, member_id, limit)
    ]
    return InboxRead(unread_count=repository.unread_count(uow.session, member_id), items=items)


def mark_read(uow: UnitOfWork, external_id: str, message_id: str) -> datetime:
    """Mark an inbox message read; reading it again keeps the first time. Returns it.

    Raises:
        MemberNotFoundError: no member has this external id.
        MessageNotFoundError: the member's inbox has no such message.
    """
    member_id = members.get_member_id(uow, external_id)
    message = repository.find(uow.session, member_id, message_id)
    if (
        message is None
        or not message.is_in_inbox
        or message.released_at is None
        or message.body_text is None
    ):
        raise MessageNotFoundError(f"member {external_id!r} has no inbox message {message_id!r}")
    if message.read_at is None:
        message.read_at = uow.now
        uow.session.flush()
    return message.read_at


# -- suppression ----------------------------------------------------------------------------
def suppressed_members(
    uow: UnitOfWork, channel: str, addresses: Mapping[int, str | None]
) -> set[int]:
    """The members of ``addresses`` (member id → the blind index of their address on
    ``channel``, None for push) the send-time check would suppress on ``channel``: a
    suppression of the member's channel, or of the address they have now."""
    return {
        member_id
        for member_id, index in repository.suppressed_addresses(uow.session, channel, addresses)
        if index is None or index == addresses.get(member_id) or channel == "push"
    }


def suppress(
    uow: UnitOfWork,
    member_id: int,
    channel: MessageChannel,
    reason: SuppressionReason,
    *,
    source: str,
    address: str | None = None,
) -> None:
    """Stop messages to a member's channel: every message for a bounce, complaint, manual
    suppression or SMS STOP (a bounce or complaint only to the ``address`` it came from,
    by default the member's current one); marketing only for an unsubscribe. Recording it
    again updates it."""
    index = None
    if reason in (SuppressionReason.HARD_BOUNCE, SuppressionReason.COMPLAINT):
        if address is None:
            contact = members.contacts(uow, [member_id]).get(member_id)
            if contact is not None:
                address = contact.phone if channel == MessageChannel.SMS else contact.email
        if address:
            sms = channel == MessageChannel.SMS
            index = members.phone_index(address) if sms else members.email_index(address)
    repository.put_suppression(
        uow.session,
        {
            "member_id": member_id,
            "channel": channel.value,
            "reason": reason.value,
            "address_index": index,
            "message_id": None,
            "source": source[:64],
            "created_at": uow.now,
        },
    )


# -- one-click unsubscribe and the preference centre ----------------------------------------
def unsubscribe_token(member_id: int, message_id: str) -> str:
    """An opaque, authenticated token naming the member and message (AES-GCM under the
    link key, URL-safe): only this server can make or read one, and master-key rotation
    keeps links already sent working (the link key is not rotated with it)."""
    return active_keyring().seal_link(f"{member_id}:{message_id}", _TOKEN_PURPOSE)


def unsubscribe_url(base_url: str, member_id: int, message_id: str) -> str:
    """The one-click unsubscribe link of a message (its ``List-Unsubscribe`` header and the
    footer of marketing email)."""
    return f"{base_url}/unsubscribe/{unsubscribe_token(member_id, message_id)}"


def _open_token(token: str) -> tuple[int, str]:
    opened = active_keyring().open_link(token, _TOKEN_PURPOSE)
    member, _, message = (opened or "").partition(":")
    if not member.isdigit() or not message:
        raise UnsubscribeLinkInvalidError("this unsubscribe link is not valid")
    return int(member), message


def preferences_token(member_id: int) -> str:
    """The member's preference-centre token (sealed like the unsubscribe token, under its
    own purpose, so neither opens the other's page)."""
    return active_keyring().seal_link(str(member_id), _PREFERENCES_PURPOSE)


def preferences_url(base_url: str, member_id: int) -> str:
    """The member's preference-centre page: channels and topics, in their language."""
    return f"{base_url}/preferences/{preferences_token(member_id)}"


def preferences_member(token: str) -> int:
    """The member a preference-centre token names.

    Raises:
        PreferencesLinkInvalidError: not a token of this server.
    """
    opened = active_keyring().open_link(token, _PREFERENCES_PURPOSE)
    if opened is None or not opened.isdigit():
        raise PreferencesLinkInvalidError("this preferences link is not valid")
    return int(opened)


# -- survey links -----------------------------------------------------------------------------
def survey_link(member_id: int, survey_id: str) -> str:
    """The path of a member's answer page of a survey, ``/surveys/<token>`` (the token names
    the member and the survey): a link to this server, made absolute when the message is
    rendered (``policy.absolute_links``)."""
    return f"/surveys/{active_keyring().seal_link(f'{member_id}:{survey_id}', _SURVEY_PURPOSE)}"


@dataclass(frozen=True, slots=True)
class SurveyTarget:
    """Whose survey a link answers; ``locale`` is the member's language now (the page's)."""

    member_id: int
    member_ref: str
    survey_id: str
    locale: str
    is_answered: bool


def _survey_event_id(member_id: int, survey_id: str) -> str:
    """The answer's event id, one per member and survey (a digest past an event id's 128
    characters)."""
    plain = f"survey-link:{member_id}:{survey_id}"
    return (
        plain if len(plain) <= 128 else f"survey-link:{hashlib.sha256(plain.encode()).hexdigest()}"
    )


def survey_target(uow: UnitOfWork, token: str) -> SurveyTarget:
    """What a survey link answers and whether it was answered, without changing anything
    (its GET page).

    Raises:
        SurveyLinkInvalidError: not a survey token of this server, or its member is gone.
    """
    member, _, survey = (active_keyring().open_link(token, _SURVEY_PURPOSE) or "").partition(":")
    if not member.isdigit() or not survey:
        raise SurveyLinkInvalidError("this survey link is not valid")
    member_id = int(member)
    contact = members.contacts(uow, [member_id]).get(member_id)
    if contact is None or contact.is_erased:
        raise SurveyLinkInvalidError("this survey link is no longer valid")
    event_id = _survey_event_id(member_id, survey)
    return SurveyTarget(
        member_id,
        contact.external_id,
        survey,
        contact.locale,
        is_answered=bool(activities.stored_event_ids(uow, [event_id])),
    )


def answer_survey(uow: UnitOfWork, token: str, score: int) -> SurveyTarget:
    """Record the member's answer as a ``survey.answered`` event (channel ``email``),
    through the events' own ingestion, so every domain reacts as to the shop's report.
    Once per link: the event id is the member's and survey's, and a second answer is
    ignored (the first stands).

    Raises:
        SurveyLinkInvalidError: not a survey token of this server, or its member is gone.
    """
    target = survey_target(uow, token)
    if target.is_answered:
        return target
    event = {
        "id": _survey_event_id(target.member_id, target.survey_id),
        "type": EventType.SURVEY_ANSWERED.value,
        "member_id": target.member_ref,
        "occurred_at": uow.now.isoformat(),
        "data": {
            "survey_id": target.survey_id,
            "score": score,
            "channel": SurveyChannel.EMAIL.value,
        },
    }
    activities.ingest_events(uow, [parse_event(event)])
    return replace(target, is_answered=True)


@dataclass(frozen=True, slots=True)
class UnsubscribeTarget:
    """Whose link it is; ``locale`` is the member's language now (the page's)."""

    member_id: int
    message_id: str
    channel: MessageChannel
    locale: str
    is_unsubscribed: bool


def unsubscribe_target(uow: UnitOfWork, token: str) -> UnsubscribeTarget:
    """What a link would unsubscribe, without changing anything (its GET page).

    Raises:
        UnsubscribeLinkInvalidError: not a token of this server, or its message is gone.
    """
    member_id, message_id = _open_token(token)
    message = repository.find(uow.session, member_id, message_id)
    if message is None:
        raise UnsubscribeLinkInvalidError("this unsubscribe link is no longer valid")
    granted = members.consents(uow, [member_id]).get((member_id, str(message.channel)))
    contact = members.contacts(uow, [member_id]).get(member_id)
    return UnsubscribeTarget(
        member_id,
        message_id,
        MessageChannel(message.channel),
        contact.locale if contact is not None else message.locale,
        is_unsubscribed=not granted,
    )


def unsubscribe(
    uow: UnitOfWork, token: str, *, source: str, ip: str | None = None
) -> UnsubscribeTarget:
    """One-click unsubscribe (RFC 8058): withdraw the member's marketing consent for the
    link's channel (evidence: ``source`` and the address the request came from, ``ip``)
    and record it (suppression ``unsubscribe`` with the message and time).
    Marketing still waiting in the queue is then ``suppressed`` by the send-time check;
    transactional messages are not affected. Idempotent.

    Raises:
        UnsubscribeLinkInvalidError: not a token of this server, or its message is gone.
    """
    target = unsubscribe_target(uow, token)
    if target.channel in (MessageChannel.EMAIL, MessageChannel.SMS, MessageChannel.PUSH):
        members.set_consent(
            uow, target.member_id, Channel(target.channel.value), False, source=source, ip=ip
        )
    repository.put_suppression(
        uow.session,
        {
            "member_id": target.member_id,
            "channel": target.channel.value,
            "reason": SuppressionReason.UNSUBSCRIBE.value,
            "address_index": None,
            "message_id": target.message_id,
            "source": source[:64],
            "created_at": uow.now,
        },
    )
    return UnsubscribeTarget(
        target.member_id, target.message_id, target.channel, target.locale, is_unsubscribed=True
    )


def members_by_status(
    uow: UnitOfWork, journey: str, natural_key: str, statuses: Sequence[MessageStatus]
) -> dict[MessageStatus, list[int]]:
    """The members whose message of ``journey`` with this natural key is in one of these
    statuses, by status (what became of a campaign step's messages, for its report)."""
    found = repository.members_by_status(uow, journey, natural_key, [s.value for s in statuses])
    return {MessageStatus(s): members for s, members in found.items()}
