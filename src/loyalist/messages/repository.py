"""Messages SQL: the outbox rows, their history, suppressions, template versions, journey
settings and counts."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from loyalist.db.bulk import (
    among,
    insert_new_rows,
    insert_on_conflict,
    key_chunks,
    update_rows,
)
from loyalist.db.crypto import SEALED_PREFIX
from loyalist.db.raw import Cursor
from loyalist.messages.models import (
    WAITING,
    JourneySetting,
    JourneySkip,
    Message,
    MessageKind,
    MessageStatus,
    MessageStatusChange,
    MessageTemplate,
    StaffMessage,
    Suppression,
    TopicPreference,
    TopicPreferenceChange,
    WebhookEndpoint,
)

_MESSAGE = cast(Table, Message.__table__)
_SUPPRESSION = cast(Table, Suppression.__table__)
_SKIP = cast(Table, JourneySkip.__table__)
_SETTING = cast(Table, JourneySetting.__table__)
_TOPIC = cast(Table, TopicPreference.__table__)
_TOPIC_CHANGE = cast(Table, TopicPreferenceChange.__table__)

#: The live template versions read in a session's transaction (``live_template_versions``).
_LIVE_VERSIONS = "messages.live_template_versions"
#: Statuses that do not count against a frequency cap: nothing reached the member.
_UNCOUNTED = (MessageStatus.FAILED, MessageStatus.NOT_CONFIGURED)


def insert_messages(session: Session, rows: Sequence[dict[str, Any]]) -> set[tuple[int, str]]:
    """Insert the messages whose ``(member, journey, natural_key, channel)`` is new; the
    others are left as they are (a replayed or concurrent fact). Returns the inserted
    ``(member_id, id)``."""
    found = insert_new_rows(session, _MESSAGE, rows, ("member_id", "id"))
    return {(int(member_id), str(message_id)) for member_id, message_id in found}


def record_change(
    session: Session, message: Message, status: MessageStatus, reason: str | None, at: datetime
) -> None:
    """Move a (loaded, locked) message to ``status`` and append it to its history."""
    message.status = status
    message.reason = reason
    message.revision += 1
    session.add(
        MessageStatusChange(
            member_id=message.member_id,
            message_id=message.id,
            revision=message.revision,
            status=status,
            reason=reason,
            changed_at=at,
        )
    )


def add_skips(session: Session, counts: Mapping[str, int], at: datetime) -> None:
    """Add to each journey's count of skipped facts (one statement, journeys in key order)."""
    statement = insert_on_conflict(session, _SKIP).values(
        [
            {"journey": journey, "skipped_count": count, "last_skipped_at": at}
            for journey, count in sorted(counts.items())
        ]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["journey"],
            set_={
                "skipped_count": _SKIP.c.skipped_count + statement.excluded.skipped_count,
                "last_skipped_at": statement.excluded.last_skipped_at,
            },
        )
    )


def journey_settings(session: Session) -> dict[str, dict[str, Any]]:
    """The stored settings of each configured journey, by name."""
    rows = session.execute(select(JourneySetting.name, JourneySetting.settings))
    return {str(name): dict(settings) for name, settings in rows}


def put_journey_settings(
    session: Session, settings: dict[str, dict[str, Any]], at: datetime, by: str
) -> None:
    """Store these journeys' settings (replacing what each had). Plain statements, no
    upsert: SQLite's upsert would override the conflict clause of the trigger that bumps
    the configuration's version (``INSERT OR REPLACE``) and fail it."""
    if not settings:
        return
    session.execute(delete(_SETTING).where(_SETTING.c.name.in_(list(settings))))
    session.execute(
        insert(_SETTING),
        [
            {"name": name, "settings": value, "updated_at": at, "updated_by": by}
            for name, value in settings.items()
        ],
    )


def versions_of(session: Session, key: str, locale: str) -> list[MessageTemplate]:
    """The stored versions of a template in a locale, newest (the live one) first."""
    return list(
        session.scalars(
            select(MessageTemplate)
            .where(MessageTemplate.key == key, MessageTemplate.locale == locale)
            .order_by(MessageTemplate.version.desc())
        )
    )


def live_templates(session: Session) -> list[MessageTemplate]:
    """The newest stored version of every (key, locale) that has one."""
    newest = (
        select(
            MessageTemplate.key,
            MessageTemplate.locale,
            func.max(MessageTemplate.version).label("version"),
        )
        .group_by(MessageTemplate.key, MessageTemplate.locale)
        .subquery()
    )
    return list(
        session.scalars(
            select(MessageTemplate)
            .join(
                newest,
                (MessageTemplate.key == newest.c.key)
                & (MessageTemplate.locale == newest.c.locale)
                & (MessageTemplate.version == newest.c.version),
            )
            .order_by(MessageTemplate.key, MessageTemplate.locale)
        )
    )


def lock_template(session: Session, key: str, locale: str) -> None:
    """Serialise the writers of a template's versions until the transaction ends (two
    saving at once would pick the same number): an advisory lock on PostgreSQL; SQLite
    has one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
            {"name": f"message_templates:{key}:{locale}"},
        )


def _live_versions(session: Session) -> dict[str, dict[tuple[str, str], int]]:
    """The live versions read in the innermost transaction (a unit's savepoint in a group
    commit: what a unit rolled back is never seen by the next)."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_LIVE_VERSIONS)
    if held is None or held[0] is not transaction:
        held = session.info[_LIVE_VERSIONS] = (transaction, {})
    return cast(dict[str, dict[tuple[str, str], int]], held[1])


def add_template_version(session: Session, row: dict[str, Any]) -> None:
    session.execute(insert(MessageTemplate), [row])
    session.info.pop(_LIVE_VERSIONS, None)  # read again on the next ask


def skips(session: Session) -> list[JourneySkip]:
    return list(session.scalars(select(JourneySkip).order_by(JourneySkip.journey)))


def claim_due(session: Session, now: datetime, limit: int) -> list[Message]:
    """Up to ``limit`` waiting messages due by ``now``, oldest due first, locked; rows
    another worker holds are skipped (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite's
    single writer serialises the workers)."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.status.in_(WAITING), Message.next_attempt_at <= now)
            .order_by(Message.next_attempt_at, Message.member_id, Message.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def lock_messages(session: Session, keys: Iterable[tuple[int, str]]) -> list[Message]:
    """The messages with these ``(member_id, id)``, locked in key order."""
    wanted = sorted(set(keys))
    found: list[Message] = []
    for start in range(0, len(wanted), 500):
        found.extend(
            session.scalars(
                select(Message)
                .where(tuple_(Message.member_id, Message.id).in_(wanted[start : start + 500]))
                .order_by(Message.member_id, Message.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        )
    return found


def released_counts(
    session: Session,
    member_id: int,
    channel: str,
    week: tuple[datetime, datetime],
    day: tuple[datetime, datetime],
) -> tuple[int, int]:
    """Marketing messages on the channel released to the member within the local week
    and (of them) the local day: ``(day count, week count)``. The day lies in its week."""
    row = session.execute(
        select(
            func.coalesce(
                func.sum(
                    case(
                        (
                            (Message.released_at >= day[0]) & (Message.released_at < day[1]),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
            func.count(),
        ).where(
            Message.member_id == member_id,
            Message.channel == channel,
            Message.kind == MessageKind.MARKETING,
            Message.released_at >= week[0],
            Message.released_at < week[1],
            Message.status.not_in(_UNCOUNTED),
        )
    ).one()
    return int(row[0]), int(row[1])


def suppressions(session: Session, member_ids: Iterable[int]) -> list[Suppression]:
    wanted = sorted(set(member_ids))
    found: list[Suppression] = []
    for start in range(0, len(wanted), 500):
        found.extend(
            session.scalars(
                select(Suppression).where(Suppression.member_id.in_(wanted[start : start + 500]))
            )
        )
    return found


def suppressed_addresses(
    session: Session, channel: str, member_ids: Iterable[int]
) -> list[tuple[int, str | None]]:
    """``(member id, address index)`` of the members' suppressions on ``channel``."""
    wanted = sorted(set(member_ids))
    found: list[tuple[int, str | None]] = []
    for chunk in key_chunks(session, wanted):
        rows = session.execute(
            select(Suppression.member_id, Suppression.address_index).where(
                Suppression.channel == channel,
                among(session, Suppression.member_id, chunk),
            )
        )
        found.extend((int(m), index) for m, index in rows)
    return found


def put_suppression(session: Session, row: dict[str, Any]) -> None:
    """Record a suppression; the same member, channel and reason again updates it."""
    statement = insert_on_conflict(session, _SUPPRESSION).values(**row)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["member_id", "channel", "reason"],
            set_={
                name: statement.excluded[name]
                for name in ("address_index", "message_id", "source", "created_at")
            },
        )
    )


def find(session: Session, member_id: int, message_id: str) -> Message | None:
    return session.get(Message, (member_id, message_id))


def find_messages(
    session: Session,
    *,
    member_id: int | None,
    status: str | None,
    journey: str | None,
    limit: int,
    channel: str | None = None,
    before: tuple[datetime, str] | None = None,
) -> list[Message]:
    """Messages newest first, of one member or all, with a status, a journey and a channel
    if given; with ``before``, those queued before that ``(created_at, id)`` (the next
    page)."""
    statement = select(Message)
    if member_id is not None:
        statement = statement.where(Message.member_id == member_id)
    if status is not None:
        statement = statement.where(Message.status == status)
    if journey is not None:
        statement = statement.where(Message.journey == journey)
    if channel is not None:
        statement = statement.where(Message.channel == channel)
    if before is not None:
        statement = statement.where(tuple_(Message.created_at, Message.id) < before)
    return list(
        session.scalars(
            statement.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        )
    )


def member_timeline(
    session: Session,
    member_id: int,
    *,
    limit: int,
    before_at: datetime | None,
    before_id: str | None,
) -> list[Message]:
    """The member's messages newest first (by queue time, then id): those queued before
    ``before_at``, or with ``before_id`` those before ``(before_at, before_id)``."""
    statement = select(Message).where(Message.member_id == member_id)
    if before_at is not None and before_id is not None:
        statement = statement.where(tuple_(Message.created_at, Message.id) < (before_at, before_id))
    elif before_at is not None:
        statement = statement.where(Message.created_at < before_at)
    return list(
        session.scalars(
            statement.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        )
    )


def history(
    session: Session, member_id: int, message_ids: Iterable[str]
) -> list[MessageStatusChange]:
    wanted = sorted(set(message_ids))
    found: list[MessageStatusChange] = []
    for start in range(0, len(wanted), 500):
        found.extend(
            session.scalars(
                select(MessageStatusChange)
                .where(
                    MessageStatusChange.member_id == member_id,
                    MessageStatusChange.message_id.in_(wanted[start : start + 500]),
                )
                .order_by(MessageStatusChange.message_id, MessageStatusChange.revision)
            )
        )
    return found


def inbox(session: Session, member_id: int, limit: int) -> list[Message]:
    """The member's inbox messages released and rendered so far, newest first."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.member_id == member_id,
                Message.is_in_inbox.is_(True),
                Message.released_at.is_not(None),
                Message.body_text.is_not(None),
            )
            .order_by(Message.released_at.desc(), Message.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, member_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                Message.member_id == member_id,
                Message.is_in_inbox.is_(True),
                Message.released_at.is_not(None),
                Message.body_text.is_not(None),
                Message.read_at.is_(None),
            )
        )
        or 0
    )


# -- webhook endpoints ---------------------------------------------------------------------
def endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.created_at)))


def endpoint(session: Session, endpoint_id: str, *, lock: bool = False) -> WebhookEndpoint | None:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if lock:
        statement = statement.with_for_update()
    return session.scalar(statement)


def endpoint_deliveries(session: Session, endpoint_id: str, limit: int) -> list[Any]:
    """The newest ``limit`` webhooks to the endpoint: id, status, attempts, created_at,
    finished_at, reason (nothing sealed)."""
    statement = (
        select(
            Message.id,
            Message.status,
            Message.attempts,
            Message.created_at,
            Message.finished_at,
            Message.reason,
        )
        .where(Message.endpoint_id == endpoint_id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(session.execute(statement))


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    session.delete(endpoint)
    session.flush()


def endpoints_by_id(
    session: Session, ids: Iterable[str], *, lock: bool = False
) -> dict[str, WebhookEndpoint]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id.in_(wanted))
    if lock:
        statement = statement.order_by(WebhookEndpoint.id).with_for_update()
    return {e.id: e for e in session.scalars(statement)}


def release_held(session: Session, endpoint_id: str, now: datetime) -> int:
    """Make an endpoint's held webhooks due now (it was enabled again)."""
    result = session.execute(
        update(Message)
        .where(
            Message.endpoint_id == endpoint_id,
            Message.status == MessageStatus.HELD,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# -- topic preferences ---------------------------------------------------------------------
def topic_choices(session: Session, member_ids: Iterable[int]) -> dict[int, dict[str, bool]]:
    """The topics each member chose, by member (topics without a row keep their default)."""
    wanted = sorted(set(member_ids))
    found: dict[int, dict[str, bool]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                TopicPreference.member_id, TopicPreference.topic, TopicPreference.is_subscribed
            ).where(TopicPreference.member_id.in_(wanted[start : start + 500]))
        )
        for member_id, topic, subscribed in rows:
            found.setdefault(int(member_id), {})[str(topic)] = bool(subscribed)
    return found


def topic_preferences(session: Session, member_id: int) -> list[TopicPreference]:
    return list(
        session.scalars(
            select(TopicPreference)
            .where(TopicPreference.member_id == member_id)
            .order_by(TopicPreference.topic)
            .execution_options(populate_existing=True)
        )
    )


def put_topic(session: Session, row: dict[str, Any], change_id: str) -> None:
    """Record a member's choice for a topic and add it to the audit trail."""
    statement = insert_on_conflict(session, _TOPIC).values(**row)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["member_id", "topic"],
            set_={
                name: statement.excluded[name] for name in ("is_subscribed", "changed_at", "source")
            },
        )
    )
    session.execute(insert(_TOPIC_CHANGE).values(**row, id=change_id))


def topic_changes(session: Session, member_id: int, limit: int) -> list[TopicPreferenceChange]:
    """The member's topic changes, newest first."""
    return list(
        session.scalars(
            select(TopicPreferenceChange)
            .where(TopicPreferenceChange.member_id == member_id)
            .order_by(TopicPreferenceChange.changed_at.desc(), TopicPreferenceChange.id)
            .limit(limit)
        )
    )


# -- template versions ----------------------------------------------------------------------
def live_template_versions(session: Session, keys: Collection[str]) -> dict[tuple[str, str], int]:
    """The newest stored version per ``(key, locale)`` of ``keys`` that has one (one
    statement; campaigns store their own content, so the table grows with them). Kept for
    the transaction once read (ingest's journeys ask once a wave, dozens of times a unit);
    ``add_template_version`` forgets them."""
    known = _live_versions(session)
    missing = sorted(set(keys) - known.keys())
    if missing:
        rows = session.execute(
            select(MessageTemplate.key, MessageTemplate.locale, func.max(MessageTemplate.version))
            .where(MessageTemplate.key.in_(missing))
            .group_by(MessageTemplate.key, MessageTemplate.locale)
        )
        known.update({key: {} for key in missing})
        for key, locale, version in rows:
            known[str(key)][(str(key), str(locale))] = int(version)
    return {pair: version for key in set(keys) for pair, version in known[key].items()}


def template_versions(
    session: Session, wanted: Iterable[tuple[str, str, int]]
) -> list[MessageTemplate]:
    """The stored versions ``(key, locale, version)`` of ``wanted`` (those that exist)."""
    keys = sorted(set(wanted))
    if not keys:
        return []
    return list(
        session.scalars(
            select(MessageTemplate).where(
                tuple_(MessageTemplate.key, MessageTemplate.locale, MessageTemplate.version).in_(
                    keys
                )
            )
        )
    )


def members_messaged_since(
    session: Session, journey: str, member_ids: Sequence[int], since: datetime
) -> set[int]:
    """Which of these members had a message of ``journey`` queued at or after ``since``."""
    return set(
        session.scalars(
            select(Message.member_id)
            .where(
                Message.member_id.in_(member_ids),
                Message.journey == journey,
                Message.created_at >= since,
            )
            .distinct()
        )
    )


def subscribed_members(session: Session, topic: str) -> list[int]:
    """Members who switched ``topic`` on themselves (an opt-in topic's readers), by id."""
    return sorted(
        int(m)
        for m in session.scalars(
            select(TopicPreference.member_id).where(
                TopicPreference.topic == topic, TopicPreference.is_subscribed.is_(True)
            )
        )
    )


# -- erasure --------------------------------------------------------------------------------
def erase_member_messages(
    session: Session, member_ids: Sequence[int], now: datetime
) -> dict[int, int]:
    """Drop the content of the members' messages (context, subject, bodies) and every
    reason recorded for them (a provider's answer may quote the address), stop the ones
    still waiting (``suppressed``, ``member_erased``), and delete the members'
    suppressions (they hold the address's blind index). Returns messages per member."""
    erased: dict[int, int] = {}
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for (member_id,) in session.execute(
            update(Message)
            .where(Message.member_id.in_(chunk))
            .values(context=None, subject=None, body_text=None, body_html=None, reason=None)
            .returning(Message.member_id)
            .execution_options(synchronize_session=False)
        ):
            erased[int(member_id)] = erased.get(int(member_id), 0) + 1
        session.execute(
            update(MessageStatusChange)
            .where(MessageStatusChange.member_id.in_(chunk))
            .values(reason=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            delete(Suppression)
            .where(Suppression.member_id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
        for message in session.scalars(
            select(Message)
            .where(Message.member_id.in_(chunk), Message.status.in_(WAITING))
            .order_by(Message.member_id, Message.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ):
            record_change(session, message, MessageStatus.SUPPRESSED, "member_erased", now)
            message.finished_at = now
    return erased


def waiting_with_key_prefix(
    session: Session, journey: str, prefix: str, limit: int
) -> list[Message]:
    """Up to ``limit`` waiting (queued or held) messages of ``journey`` whose natural key
    starts with ``prefix``, locked."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.journey == journey,
                Message.status.in_(WAITING),
                Message.natural_key.startswith(prefix, autoescape=True),
            )
            .order_by(Message.member_id, Message.id)
            .limit(limit)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def engagement(session: Session, journey: str, prefix: str) -> list[tuple[int, bool, bool]]:
    """``(member_id, opened, clicked)`` of each message of ``journey`` whose natural key
    starts with ``prefix`` and that a provider reported opened."""
    return [
        (int(member_id), True, clicked_at is not None)
        for member_id, clicked_at in session.execute(
            select(Message.member_id, Message.clicked_at).where(
                Message.journey == journey,
                Message.natural_key.startswith(prefix, autoescape=True),
                Message.opened_at.is_not(None),
            )
        )
    ]


# -- the staff outbox ------------------------------------------------------------------------
def add_staff_message(session: Session, message: StaffMessage) -> None:
    session.add(message)
    session.flush()


def claim_due_staff_messages(session: Session, now: datetime, limit: int) -> list[StaffMessage]:
    """Up to ``limit`` queued staff messages due by ``now``, locked (rows another worker
    holds are skipped)."""
    return list(
        session.scalars(
            select(StaffMessage)
            .where(StaffMessage.status == MessageStatus.QUEUED, StaffMessage.next_attempt_at <= now)
            .order_by(StaffMessage.next_attempt_at, StaffMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def lock_staff_messages(session: Session, ids: Iterable[str]) -> list[StaffMessage]:
    return list(
        session.scalars(
            select(StaffMessage)
            .where(StaffMessage.id.in_(sorted(set(ids))))
            .order_by(StaffMessage.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


# -- rotation -------------------------------------------------------------------------------
_CONTENT = ("context", "subject", "body_text", "body_html")


def _content_to_reseal() -> ColumnElement[bool]:
    """Messages with content still in the legacy format (sealed by a master key)."""
    return or_(
        *(
            and_(_MESSAGE.c[name].is_not(None), _MESSAGE.c[name].not_like(SEALED_PREFIX + "%"))
            for name in _CONTENT
        )
    )


def count_content_to_reseal(session: Session) -> int:
    statement = select(func.count()).select_from(_MESSAGE).where(_content_to_reseal())
    return int(session.scalar(statement) or 0)


def content_to_reseal(
    session: Session, after: tuple[int, str], limit: int
) -> list[tuple[Any, ...]]:
    """``(member_id, id, context, subject, body_text, body_html)`` of the next ``limit``
    messages above ``after`` with content to reseal, in key order (locked on PostgreSQL)."""
    statement = (
        select(_MESSAGE.c.member_id, _MESSAGE.c.id, *(_MESSAGE.c[n] for n in _CONTENT))
        .where(tuple_(_MESSAGE.c.member_id, _MESSAGE.c.id) > after, _content_to_reseal())
        .order_by(_MESSAGE.c.member_id, _MESSAGE.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return [tuple(row) for row in session.execute(statement)]


def write_content(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Set the content columns of messages (rows of ``member_id``, ``id`` and all four)."""
    update_rows(session, _MESSAGE, ["member_id", "id"], list(_CONTENT), rows)


def stored_secrets(session: Session) -> list[tuple[str, str]]:
    """``(endpoint id, secrets as stored)``: sealed, with the master key's id in front."""
    raw = type_coerce(WebhookEndpoint.secrets, String)
    return [(eid, value) for eid, value in session.execute(select(WebhookEndpoint.id, raw))]


def rewrite_secrets(session: Session, secrets: Mapping[str, str]) -> None:
    """Store endpoints' secrets again (sealed under the active master key on the way)."""
    for endpoint_id, value in sorted(secrets.items()):
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .values(secrets=value)
            .execution_options(synchronize_session=False)
        )


_STATUSES_SQL = (
    "SELECT status, member_id FROM messages WHERE journey = ? AND natural_key = ?"
    " AND status IN ({})"
)


def members_by_status(
    cursor: Cursor, journey: str, natural_key: str, statuses: Sequence[str]
) -> dict[str, list[int]]:
    """The members of a journey's messages with this natural key (a campaign's step:
    ``<campaign>:<step>``) in these statuses, by status; a fixed statement, as it may read
    many."""
    found: dict[str, list[int]] = {s: [] for s in statuses}
    sql = _STATUSES_SQL.format(", ".join("?" * len(statuses)))
    for status, member_id in cursor.all(sql, (journey, natural_key, *statuses)):
        found[status].append(member_id)
    return found


def journey_figures(session: Session, since: datetime) -> list[tuple[str, str, int, int, int]]:
    """``(journey, status, messages, opened, clicked)`` of the messages queued since
    ``since``, per journey and status."""
    rows = session.execute(
        select(
            Message.journey,
            Message.status,
            func.count(),
            func.count(Message.opened_at),
            func.count(Message.clicked_at),
        )
        .where(Message.created_at >= since)
        .group_by(Message.journey, Message.status)
    )
    return [(j, str(s), int(n), int(o), int(c)) for j, s, n, o, c in rows]


def due_backlog(session: Session, now: datetime) -> tuple[int, datetime | None]:
    """``(count, oldest)``: the waiting messages due by ``now`` (not yet sent), and the
    earliest time one of them was due (None: none is)."""
    count, oldest = session.execute(
        select(func.count(), func.min(Message.next_attempt_at)).where(
            Message.status.in_(WAITING), Message.next_attempt_at <= now
        )
    ).one()
    return int(count), oldest
