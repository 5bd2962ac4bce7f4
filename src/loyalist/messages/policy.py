"""Pure decisions of delivery: whether a message may go now (consent, consent to the
processor, suppression, quiet hours, frequency caps), when a failed send is tried again,
and which facts are fresh."""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from loyalist.messages.channels.signing import WebhookSecret
from loyalist.messages.models import (
    MessageKind,
    MessageStatus,
    SuppressionReason,
    Topic,
    WebhookEvent,
)

#: Reasons that stop every message on the channel; the others (an unsubscribe) only
#: marketing, whose consent they withdrew.
_BLOCKS_ALL = frozenset(
    {
        SuppressionReason.HARD_BOUNCE,
        SuppressionReason.COMPLAINT,
        SuppressionReason.MANUAL,
        SuppressionReason.SMS_STOP,
    }
)

#: The statuses a message can be resent from: it ended without reaching the member through
#: no decision of the send-time check. ``suppressed`` (consent, unsubscribe, bounce) and
#: ``capped`` (the program's limit) were decisions; resending would overrule them.
RESENDABLE = frozenset({MessageStatus.FAILED, MessageStatus.NOT_CONFIGURED})
#: The statuses of a member's message that webhook endpoints may subscribe to (``held``
#: and ``queued`` are steps on the way, not outcomes).
MESSAGE_EVENTS: Mapping[MessageStatus, WebhookEvent] = {
    MessageStatus.SENT: WebhookEvent.MESSAGE_SENT,
    MessageStatus.DELIVERED: WebhookEvent.MESSAGE_DELIVERED,
    MessageStatus.FAILED: WebhookEvent.MESSAGE_FAILED,
    MessageStatus.SUPPRESSED: WebhookEvent.MESSAGE_SUPPRESSED,
    MessageStatus.CAPPED: WebhookEvent.MESSAGE_CAPPED,
    MessageStatus.NOT_CONFIGURED: WebhookEvent.MESSAGE_NOT_CONFIGURED,
}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One entry of a message's status history."""

    status: MessageStatus
    reason: str | None
    changed_at: datetime


def status_history(created_at: datetime, stored: Iterable[StatusEntry]) -> list[StatusEntry]:
    """A message's status history: ``queued`` when it was created, then its stored changes
    (revision 2 on). The first entry is implied by the message row, never stored: a message
    queued is one row, not two (ingest with every journey on queues nearly one an event)."""
    return [StatusEntry(MessageStatus.QUEUED, None, created_at), *stored]


#: Backoff of transient failures: the first retry after about this long, doubling up to
#: ``_RETRY_MAX``; each delay gets up to half of it again as jitter.
_RETRY_BASE = timedelta(seconds=30)
_RETRY_MAX = timedelta(hours=1)
#: How long a claimed message stays out of other workers' reach while it is sent; a
#: worker that dies before recording the outcome leaves it due again after this.
LEASE = timedelta(minutes=5)


def local_wall(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone)


def wall_to_utc(day: date, at: time, zone: ZoneInfo, *, fold: int = 0) -> datetime:
    """The instant the wall clock of ``zone`` shows ``at`` on ``day``. A time skipped by a
    spring change is read with the offset before it (02:30 in a 02:00→03:00 gap is 03:30
    summer time); a repeated autumn time is its first occurrence (``fold=1``: its second)."""
    wall: datetime = datetime.combine(day, at.replace(fold=fold), tzinfo=zone)
    return wall.astimezone(UTC)


def is_quiet(at: datetime, zone: ZoneInfo, start: time, end: time) -> bool:
    """Whether the member's local time at ``at`` lies in quiet hours ``[start, end)``
    (over midnight when ``start > end``; never when they are equal)."""
    if start == end:
        return False
    wall = local_wall(at, zone).time().replace(tzinfo=None)
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def quiet_until(at: datetime, zone: ZoneInfo, start: time, end: time) -> datetime | None:
    """The end of the quiet hours ``at`` lies in (aware UTC), or None outside them.

    The end is the next instant, after ``at``, at which the member's wall clock reads
    ``end``: correct across daylight-saving changes (the night is an hour shorter or
    longer, the release is still at ``end`` local time).
    """
    if not is_quiet(at, zone, start, end):
        return None
    today = local_wall(at, zone).date()
    tomorrow = today + timedelta(days=1)
    candidates = (
        wall_to_utc(today, end, zone),
        wall_to_utc(today, end, zone, fold=1),  # inside an autumn's repeated hour
        wall_to_utc(tomorrow, end, zone),
    )
    return next(release for release in candidates if release > at)


#: The topic of each journey (a journey's part after a dot — ``post_purchase.review`` —
#: when its parts differ). Journeys not listed have no topic: transactional ones cannot be
#: switched off; marketing ones (the welcome) answer to the channel consent alone.
_TOPICS: dict[str, Topic] = {
    "win_back": Topic.OFFERS,
    "campaign": Topic.OFFERS,
    "points": Topic.POINTS,
    "points.matured": Topic.POINTS,
    "points.expiring": Topic.POINTS,
    "points.statement": Topic.STATEMENT,
    "tier": Topic.POINTS,
    "post_purchase": Topic.TIPS,
    "post_purchase.tips": Topic.TIPS,
    "post_purchase.review": Topic.REVIEWS,
    "post_purchase.nps": Topic.REVIEWS,
    "birthday": Topic.BIRTHDAY,
}

#: Topics a member has until they choose: every one on except the monthly statement,
#: which the member asks for (opt-in).
OPT_IN_TOPICS = frozenset({Topic.STATEMENT})


def topic_of(journey: str) -> Topic | None:
    """The topic a journey's messages belong to (None: no topic)."""
    found = _TOPICS.get(journey)
    if found is None and "." in journey:
        found = _TOPICS.get(journey.partition(".")[0])
    return found


def is_subscribed(topic: Topic, chosen: Mapping[str, bool]) -> bool:
    """The member's choice for ``topic``, else its default (on, but opt-in topics off)."""
    found = chosen.get(topic.value)
    return found if found is not None else topic not in OPT_IN_TOPICS


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"


def cap_window(at: datetime, zone: ZoneInfo, period: Period) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC of the member's local day (or ISO week, from Monday) holding
    ``at``: 23 or 25 hours long on the days the clocks change."""
    day = local_wall(at, zone).date()
    if period == Period.WEEK:
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=7)
    else:
        first, last = day, day + timedelta(days=1)
    return wall_to_utc(first, time(0), zone), wall_to_utc(last, time(0), zone)


class Action(StrEnum):
    SEND = "send"
    HOLD = "hold"
    SUPPRESS = "suppress"
    CAP = "cap"


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reason: str = ""
    #: For ``hold``: when the message is due again (aware UTC).
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Audience:
    """What the send-time check knows about the member for one channel."""

    zone: ZoneInfo
    has_consent: bool
    #: Suppression reasons in force for this channel (and address).
    suppressions: Collection[SuppressionReason] = ()
    #: Marketing on this channel released in the member's current local day and week.
    day_count: int = 0
    week_count: int = 0
    #: The message's topic (``topic_of`` its journey) and the member's topic choices.
    topic: Topic | None = None
    topics: Mapping[str, bool] = field(default_factory=dict)
    #: The processor the channel's provider is, when the program requires consent to
    #: transfer to it (None: not asked), and whether the member gave that consent.
    processor: str | None = None
    has_transfer_consent: bool = False
    #: The member is in the program's global holdout (``members.policy.in_global_holdout``).
    is_held_out: bool = False


#: The reason a marketing message of a member in the global holdout is suppressed.
GLOBAL_HOLDOUT = "global_holdout"


@dataclass(frozen=True, slots=True)
class Limits:
    """The program's quiet hours and this channel's caps (None: not capped)."""

    quiet_start: time
    quiet_end: time
    per_day: int | None = None
    per_week: int | None = None


def decide(
    kind: MessageKind,
    audience: Audience,
    limits: Limits,
    now: datetime,
    *,
    respects_quiet_hours: bool = True,
) -> Decision:
    """What the send-time check does with a due message, in this order: suppression,
    opt-in topic, the global holdout, consent, consent to the transfer, topic, quiet hours
    (not for a message that does not respect them), caps.

    Invariants: a transactional message is never held or capped, and only a suppression
    that stops everything on the channel (bounce, complaint, manual, SMS STOP) or a
    missing opt-in to its topic (the statement the member asks for) stops it — never a
    marketing unsubscribe, missing consent or a topic switched off. Marketing goes only
    with the channel's consent, the consent to transfer to its processor (when asked for)
    and its topic on, never to a member of the global holdout (reason ``global_holdout``).
    """
    blocking = [r for r in audience.suppressions if r in _BLOCKS_ALL]
    if blocking:
        return Decision(Action.SUPPRESS, f"suppressed: {sorted(blocking)[0]}")
    topic = audience.topic
    wanted = topic is None or is_subscribed(topic, audience.topics)
    if topic in OPT_IN_TOPICS and not wanted:
        return Decision(Action.SUPPRESS, f"not subscribed to the topic {topic}")
    if kind == MessageKind.TRANSACTIONAL:
        return Decision(Action.SEND)
    if audience.is_held_out:
        return Decision(Action.SUPPRESS, GLOBAL_HOLDOUT)
    if SuppressionReason.UNSUBSCRIBE in audience.suppressions and not audience.has_consent:
        return Decision(Action.SUPPRESS, "unsubscribed")
    if not audience.has_consent:
        return Decision(Action.SUPPRESS, "no marketing consent for the channel")
    if audience.processor is not None and not audience.has_transfer_consent:
        return Decision(
            Action.SUPPRESS, f"no consent to transfer to the processor {audience.processor}"
        )
    if not wanted:
        return Decision(Action.SUPPRESS, f"the member switched off the topic {topic}")
    until = None
    if respects_quiet_hours:
        until = quiet_until(now, audience.zone, limits.quiet_start, limits.quiet_end)
    if until is not None:
        release = local_wall(until, audience.zone).strftime("%Y-%m-%d %H:%M")
        return Decision(Action.HOLD, f"quiet hours until {release} {audience.zone.key}", until)
    if limits.per_day is not None and audience.day_count >= limits.per_day:
        return Decision(Action.CAP, f"frequency cap: {limits.per_day} per day")
    if limits.per_week is not None and audience.week_count >= limits.per_week:
        return Decision(Action.CAP, f"frequency cap: {limits.per_week} per week")
    return Decision(Action.SEND)


def retry_at(
    now: datetime, attempt: int, jitter: float, retry_after: float | None = None
) -> datetime:
    """When to try again after the ``attempt``-th send failed transiently: exponential
    backoff from 30 s, doubling, capped at an hour, plus ``jitter`` (0 ≤ jitter < 1) times
    half the delay; never sooner than the provider's ``retry_after`` seconds."""
    exponent = min(max(attempt - 1, 0), 16)
    delay = min(_RETRY_BASE * (1 << exponent), _RETRY_MAX)
    delay += delay * (min(max(jitter, 0.0), 1.0) / 2)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, timedelta(seconds=min(retry_after, 86_400.0)))
    return now + delay


def is_fresh(occurred_at: datetime, now: datetime, freshness_hours: int) -> bool:
    """Whether a fact is recent enough to start a journey (older ones are history being
    loaded: an import, the demo, a backfill)."""
    return now - occurred_at <= timedelta(hours=freshness_hours)


def member_zone(name: str | None, program_zone: ZoneInfo) -> ZoneInfo:
    """The member's time zone; the program's when they have none or an unknown one."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return program_zone
    return program_zone


#: A webhook for a disabled endpoint waits (``held``) until the endpoint is enabled again.
HELD_FOR_ENDPOINT = datetime(9999, 1, 1, tzinfo=UTC)


def dump_secrets(secrets: tuple[WebhookSecret, ...]) -> str:
    """An endpoint's secrets as stored (JSON, encrypted by the column)."""
    return orjson.dumps(
        [
            {"value": s.value, "expires_at": s.expires_at.isoformat() if s.expires_at else None}
            for s in secrets
        ]
    ).decode()


def load_secrets(stored: str) -> tuple[WebhookSecret, ...]:
    return tuple(
        WebhookSecret(
            item["value"],
            datetime.fromisoformat(item["expires_at"]) if item["expires_at"] else None,
        )
        for item in orjson.loads(stored)
    )


#: The member's local time of day a journey's "N days after" message is due.
SEND_AT = time(10, 0)


def days_after(at: datetime, days: int, zone: ZoneInfo, send_at: time = SEND_AT) -> datetime:
    """``send_at`` on the member's local day ``days`` after the local day of ``at`` (a
    calendar day, so 23- and 25-hour days count as one; UTC)."""
    local_day = at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(local_day, send_at, tzinfo=zone).astimezone(UTC)


def absolute_links(value: Any, base_url: str) -> Any:
    """A queued context with its links to this server made absolute: a ``…url`` string
    that is a path (``/surveys/…``, not ``//host``) gets ``base_url`` in front. Journeys
    queue such links as paths so a message due weeks later links to ``BASE_URL`` as it is
    when it is sent."""
    if isinstance(value, dict):
        return {
            k: (
                base_url + v
                if k.endswith("url") and isinstance(v, str) and v[:1] == "/" and v[1:2] != "/"
                else absolute_links(v, base_url)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [absolute_links(v, base_url) for v in value]
    return value


# -- time-driven journeys ---------------------------------------------------------------------
def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant ``day`` starts on the wall clock of ``zone`` (aware UTC)."""
    return wall_to_utc(day, time(0), zone)


def due_and_fresh(due_at: datetime, now: datetime, freshness_hours: int) -> bool:
    """Whether a time-driven journey whose moment is ``due_at`` starts now: the moment has
    come, and not longer ago than the freshness window (a moment that passed while nothing
    ran — a fresh install over loaded history, a worker down for days — starts nothing)."""
    return due_at <= now and is_fresh(due_at, now, freshness_hours)


def celebration_day(birthday: date, year: int) -> date:
    """The day a birthday is kept in ``year``: 29 February on 28 February in other years."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def expiry_horizon(expires_on: date, today: date, horizons: Collection[int]) -> int | None:
    """Which reminder of ``horizons`` (days before expiry) is due today for points expiring
    on ``expires_on`` (local days): the smallest horizon already reached, so a reminder
    missed, or skipped for a lot earned late, never follows a later one. None: expired,
    or no horizon reached yet."""
    days_left = (expires_on - today).days
    reached = [h for h in horizons if 0 < days_left <= h]
    return min(reached) if reached else None


def month_begun(now: datetime, freshness_hours: int) -> date | None:
    """The first day of the month that began on some wall clock (UTC−12 … UTC+14) within
    the freshness window before ``now``; None when no month did (a monthly statement is due
    nowhere)."""
    first = (now + timedelta(hours=14)).date().replace(day=1)
    westernmost = datetime.combine(first, time(0), UTC) + timedelta(hours=12)
    if now - westernmost > timedelta(hours=freshness_hours):
        return None
    return first


_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\+?\d[\d ().-]{5,}\d")


def _phone_or_kept(found: re.Match[str]) -> str:
    text = found.group()
    digits = sum(c.isdigit() for c in text)
    return "<number>" if digits >= 10 or (text.startswith("+") and digits >= 7) else text


def redact_addresses(reason: str) -> str:
    """A status reason without the e-mail addresses and phone numbers a provider's answer
    may quote (``550 5.1.1 <ann@example.com>: unknown user``): reasons are stored and
    shown in the clear, so they never keep a member's address."""
    return _NUMBER.sub(_phone_or_kept, _EMAIL.sub("<address>", reason))
