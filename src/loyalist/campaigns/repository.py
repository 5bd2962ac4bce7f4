"""The campaigns' SQL: campaigns and their history, the send plan, conversions, the
report's aggregates."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import (
    ColumnElement,
    Float,
    Row,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from loyalist.campaigns.models import (
    MAIN_STEP,
    Campaign,
    CampaignChange,
    CampaignConversion,
    CampaignSend,
    CampaignState,
    ChangeAction,
    SendStatus,
)
from loyalist.db import bulk
from loyalist.db.bulk import insert_new_rows, update_rows
from loyalist.db.raw import Cursor
from loyalist.members.models import Consent, Device, Member
from loyalist.messages.models import Suppression

_SEND = cast(Table, CampaignSend.__table__)


# -- campaigns and their history (core) ---------------------------------------------------
def campaign_by_key(session: Session, key: str, *, lock: bool = False) -> Campaign | None:
    """The campaign with ``key``; with ``lock``, its row locked for the transaction."""
    query = select(Campaign).where(Campaign.key == key)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def campaigns(session: Session) -> Sequence[Campaign]:
    return session.scalars(select(Campaign).order_by(Campaign.key)).all()


def add_campaign(session: Session, campaign: Campaign) -> None:
    session.add(campaign)
    session.flush()


def delete_campaign(session: Session, campaign: Campaign) -> None:
    """The campaign, its history and its send plan (a draft has neither sends nor
    conversions; its history goes with it)."""
    session.execute(delete(CampaignSend).where(CampaignSend.campaign_id == campaign.id))
    session.execute(delete(CampaignChange).where(CampaignChange.campaign_id == campaign.id))
    session.delete(campaign)
    session.flush()


def add_change(session: Session, change: CampaignChange) -> None:
    session.add(change)
    session.flush()


def changes(session: Session, campaign_id: int) -> Sequence[CampaignChange]:
    """The campaign's history, oldest first."""
    return session.scalars(
        select(CampaignChange)
        .where(CampaignChange.campaign_id == campaign_id)
        .order_by(CampaignChange.revision)
    ).all()


def sends_by_status(session: Session, campaign_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per campaign, its send-plan rows by status (every step)."""
    wanted = sorted(set(campaign_ids))
    found: dict[int, dict[str, int]] = {cid: {} for cid in wanted}
    if not wanted:
        return found
    query = (
        select(CampaignSend.campaign_id, CampaignSend.status, func.count())
        .where(CampaignSend.campaign_id.in_(wanted))
        .group_by(CampaignSend.campaign_id, CampaignSend.status)
    )
    for campaign_id, status, count in session.execute(query):
        found[int(campaign_id)][str(status)] = int(count)
    return found


def drop_pending_sends(session: Session, campaign_id: int) -> int:
    """Forget the campaign's send plan that is still pending (its spec changed before the
    first send: the audience is written again)."""
    result = session.execute(
        delete(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id, CampaignSend.status == SendStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def cancel_pending_sends(session: Session, campaign_id: int, at: datetime) -> int:
    """Mark the campaign's pending sends ``cancelled`` (reason ``campaign_cancelled``, as its
    stopped messages); how many."""
    result = session.execute(
        update(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id, CampaignSend.status == SendStatus.PENDING)
        .values(status=SendStatus.CANCELLED, done_at=at, reason="campaign_cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- broadcasts ---------------------------------------------------------------------------
_WORKING = (CampaignState.SCHEDULED.value, CampaignState.RUNNING.value)


def due_campaigns(session: Session, now: datetime, limit: int) -> list[str]:
    """Keys of campaigns with broadcast work due: scheduled or running ones whose
    ``next_due_at`` has come, and paused ones whose deadline has passed."""
    rows = session.scalars(
        select(Campaign.key)
        .where(
            or_(
                and_(Campaign.state.in_(_WORKING), Campaign.next_due_at <= now),
                and_(Campaign.state == CampaignState.PAUSED.value, Campaign.ends_at <= now),
            )
        )
        .order_by(Campaign.next_due_at, Campaign.id)
        .limit(limit)
    )
    return list(rows)


def insert_sends(session: Session, rows: Sequence[dict[str, Any]]) -> set[tuple[int, str]]:
    """Insert the send rows not written yet; returns the ``(member, step)`` inserted."""
    found = insert_new_rows(session, _SEND, rows, ("member_id", "step"))
    return {(int(member_id), str(step)) for member_id, step in found}


def due_sends(
    session: Session, campaign_id: int, now: datetime, limit: int
) -> list[tuple[str, int, str, datetime]]:
    """``(step, member, arm, due_at)`` of up to ``limit`` pending sends due by ``now``, the
    earliest first (in no particular order among those due at the same moment)."""
    rows = session.execute(
        select(CampaignSend.step, CampaignSend.member_id, CampaignSend.arm, CampaignSend.due_at)
        .where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
            CampaignSend.due_at <= now,
        )
        # The index's order (campaign, status, due_at): no sort of every pending row.
        .order_by(CampaignSend.due_at)
        .limit(limit)
    )
    return [(str(s), int(m), str(a), d) for s, m, a, d in rows]


def settle_sends(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Set ``status``, ``done_at`` and ``reason`` of sends (keyed by campaign, step, member)."""
    update_rows(
        session, _SEND, ("campaign_id", "step", "member_id"), ("status", "done_at", "reason"), rows
    )


def next_pending(session: Session, campaign_id: int) -> datetime | None:
    """When the campaign's earliest pending send is due (None: none is pending)."""
    found: datetime | None = session.scalar(
        select(func.min(CampaignSend.due_at)).where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
        )
    )
    return found


def count_step(session: Session, campaign_id: int, step: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                CampaignSend.campaign_id == campaign_id, CampaignSend.step == step
            )
        )
        or 0
    )


def stop_pending(session: Session, campaign_id: int, reason: str, at: datetime) -> int:
    """Every pending send of the campaign → ``skipped`` with ``reason``; returns how many."""
    done = session.execute(
        update(CampaignSend)
        .where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
        )
        .values(status=SendStatus.SKIPPED.value, done_at=at, reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount or 0)  # type: ignore[attr-defined]


def converted(session: Session, campaign_id: int, member_ids: Iterable[int]) -> set[int]:
    """The members of ``member_ids`` with a conversion attributed to the campaign."""
    wanted = sorted(set(member_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            int(m)
            for m in session.scalars(
                select(CampaignConversion.member_id).where(
                    CampaignConversion.campaign_id == campaign_id,
                    CampaignConversion.member_id.in_(wanted[start : start + 500]),
                )
            )
        )
    return found


#: Members per ``IN`` list of the attribution's reads.
_CHUNK: Final = 500
#: A main send whose member is measured: their message was queued, or (control group) would
#: have been.
MEASURED: Final = (SendStatus.QUEUED, SendStatus.HELD_OUT)
CONVERSIONS = cast(Table, CampaignConversion.__table__)


# -- attribution --------------------------------------------------------------------------
def launched_campaigns(
    session: Session,
) -> Sequence[Row[int, dict[str, Any], CampaignState, datetime | None, datetime | None, datetime]]:
    """``(id, spec, state, launched_at, finished_at, updated_at)`` of every campaign past
    its draft."""
    return session.execute(
        select(
            Campaign.id,
            Campaign.spec,
            Campaign.state,
            Campaign.launched_at,
            Campaign.finished_at,
            Campaign.updated_at,
        ).where(Campaign.state != CampaignState.DRAFT)
    ).all()


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def measured_sends(
    session: Session, campaign_ids: Collection[int], member_ids: Collection[int]
) -> list[Row[int, int, str, datetime]]:
    """``(campaign_id, member_id, arm, due_at)`` of these members' measured main sends."""
    found: list[Row[int, int, str, datetime]] = []
    for chunk in _chunks(member_ids):
        found.extend(
            session.execute(
                select(
                    CampaignSend.campaign_id,
                    CampaignSend.member_id,
                    CampaignSend.arm,
                    CampaignSend.due_at,
                ).where(
                    CampaignSend.campaign_id.in_(sorted(campaign_ids)),
                    CampaignSend.step == MAIN_STEP,
                    CampaignSend.member_id.in_(chunk),
                    CampaignSend.status.in_(MEASURED),
                )
            ).all()
        )
    return found


def conversion_times(
    session: Session, campaign_ids: Collection[int], member_ids: Collection[int]
) -> dict[tuple[int, int], datetime]:
    """When these members converted in these campaigns, by ``(campaign_id, member_id)``."""
    found: dict[tuple[int, int], datetime] = {}
    for chunk in _chunks(member_ids):
        rows = session.execute(
            select(
                CampaignConversion.campaign_id,
                CampaignConversion.member_id,
                CampaignConversion.converted_at,
            ).where(
                CampaignConversion.campaign_id.in_(sorted(campaign_ids)),
                CampaignConversion.member_id.in_(chunk),
            )
        )
        found.update({(int(c), int(m)): at for c, m, at in rows})
    return found


def record_conversions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert conversions; one already there is replaced only by an earlier event (the
    first goal event wins, whatever order the events arrive in, also under a race).

    New ones go in one statement; the few that meet a row (an earlier event arriving
    late, or a concurrent unit's) are compared one by one."""
    ordered = sorted(rows, key=lambda r: (r["campaign_id"], r["member_id"]))
    inserted = set(
        bulk.insert_new_rows(session, CONVERSIONS, ordered, ["campaign_id", "member_id"])
    )
    for row in ordered:
        if (row["campaign_id"], row["member_id"]) in inserted:
            continue
        insert = bulk.insert_on_conflict(session, CONVERSIONS).values(**row)
        session.execute(
            insert.on_conflict_do_update(
                index_elements=["campaign_id", "member_id"],
                set_={
                    name: insert.excluded[name]
                    for name in ("arm", "event_id", "converted_at", "revenue_minor", "currency")
                },
                where=CONVERSIONS.c.converted_at > insert.excluded.converted_at,
            )
        )


# -- the report ---------------------------------------------------------------------------
def _measured(campaign_id: int) -> Any:
    return (
        CampaignSend.campaign_id == campaign_id,
        CampaignSend.step == MAIN_STEP,
        CampaignSend.status.in_(MEASURED),
    )


def members_by_arm(session: Session, campaign_id: int) -> dict[str, int]:
    """Measured members (main send queued or held out) per arm."""
    rows = session.execute(
        select(CampaignSend.arm, func.count())
        .where(*_measured(campaign_id))
        .group_by(CampaignSend.arm)
    )
    return {str(arm): int(n) for arm, n in rows}


def conversions_by_arm(
    session: Session, campaign_id: int, currency: str
) -> dict[str, tuple[int, int, float]]:
    """Per arm: conversions, the sum of their revenue in ``currency`` and the sum of its
    squares (revenue in other currencies counts as 0)."""
    c = CampaignConversion
    revenue = case((c.currency == currency, c.revenue_minor), else_=0)
    as_float = case((c.currency == currency, func.cast(c.revenue_minor, Float)), else_=0.0)
    rows = session.execute(
        select(c.arm, func.count(), func.sum(revenue), func.sum(as_float * as_float))
        .where(c.campaign_id == campaign_id)
        .group_by(c.arm)
    )
    return {str(arm): (int(n), int(r or 0), float(sq or 0)) for arm, n, r, sq in rows}


_ARMS_SQL = (
    "SELECT member_id, arm FROM campaign_sends"
    " WHERE campaign_id = ? AND step = ? AND status IN (?, ?)"
)


def arms_of_members(cursor: Cursor, campaign_id: int) -> dict[int, str]:
    """Each measured member's arm (a fixed statement: up to every member of a campaign)."""
    rows = cursor.all(_ARMS_SQL, (campaign_id, MAIN_STEP, *(s.value for s in MEASURED)))
    return {int(m): str(arm) for m, arm in rows}


def main_sends_state(session: Session, campaign_id: int) -> tuple[int, datetime | None]:
    """Main sends still pending, and the latest due time of the measured ones."""
    pending = session.scalar(
        select(func.count()).where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.step == MAIN_STEP,
            CampaignSend.status == SendStatus.PENDING,
        )
    )
    latest = session.scalar(select(func.max(CampaignSend.due_at)).where(*_measured(campaign_id)))
    return int(pending or 0), latest


def unjudged_campaigns(session: Session) -> list[str]:
    """Keys of the running or finished campaigns not yet judged for a winner (no ``winner``
    change), oldest first: a handful at any time (each is judged once)."""
    return list(
        session.scalars(
            select(Campaign.key)
            .where(
                Campaign.state.in_((CampaignState.RUNNING, CampaignState.FINISHED)),
                Campaign.id.not_in(_judged()),
            )
            .order_by(Campaign.id)
        )
    )


def unjudged_campaign(session: Session, key: str) -> Campaign | None:
    """Campaign ``key`` locked for judging, None when it was judged meanwhile or another
    worker is judging it (PostgreSQL skips a locked row)."""
    return session.scalars(
        select(Campaign)
        .where(Campaign.key == key, Campaign.id.not_in(_judged()))
        .with_for_update(skip_locked=True)
    ).one_or_none()


def _judged() -> Any:
    return select(CampaignChange.campaign_id).where(CampaignChange.action == ChangeAction.WINNER)


# -- the audience's size, counted in the database -----------------------------------------
#: How far a member gets towards a channel: in the audience, with an address (or device)
#: on it, with consent to marketing on it, and not suppressed on it (the one sent to).
MATCHED: Final = "matched"
ADDRESSED: Final = "addressed"
CONSENTED: Final = "consented"
SENDABLE: Final = "sendable"
_LEVELS: Final = (MATCHED, ADDRESSED, CONSENTED, SENDABLE)


def _in_audience(session: Session, segments: Collection[str]) -> list[ColumnElement[bool]]:
    """Members not erased, in one of ``segments`` (any member: none given)."""
    found: list[ColumnElement[bool]] = [Member.erased_at.is_(None)]
    if segments:
        wanted = sorted(set(segments))
        if session.get_bind().dialect.name == "postgresql":
            found.append(func.jsonb_exists_any(Member.segments, postgresql.array(wanted)))
        else:
            value = func.json_each(Member.segments).table_valued("value")
            found.append(
                exists(select(literal(1)).select_from(value).where(value.c.value.in_(wanted)))
            )
    return found


def _steps(channel: str) -> list[ColumnElement[bool]]:
    """What a member of the audience needs, step by step, to reach the levels after
    ``MATCHED`` on ``channel``: an address (or device), a granted consent, no suppression
    of the channel or of their current address (the send-time check's rule)."""
    if channel == "push":
        address: ColumnElement[bool] = exists().where(Device.member_id == Member.id)
    else:
        index = Member.email_index if channel == "email" else Member.phone_index
        address = index.is_not(None)
    consent = exists().where(
        Consent.member_id == Member.id, Consent.purpose == channel, Consent.is_granted.is_(True)
    )
    suppressed = exists().where(Suppression.member_id == Member.id, Suppression.channel == channel)
    if channel != "push":
        suppressed = suppressed.where(
            or_(Suppression.address_index.is_(None), Suppression.address_index == index)
        )
    return [address, consent, ~suppressed]


def count_reached(
    session: Session, segments: Collection[str], wanted: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """How many members not erased, in one of ``segments`` (any: none given), reach each
    ``(channel, level)`` of ``wanted`` (levels after ``MATCHED``), in one pass over the
    members; ``(channel, MATCHED)`` too for each channel."""
    sums = [
        func.coalesce(func.sum(case((and_(*_steps(c)[: _LEVELS.index(level)]), 1), else_=0)), 0)
        for c, level in wanted
    ]
    row = session.execute(
        select(func.count(), *sums).select_from(Member).where(*_in_audience(session, segments))
    ).one()
    found = {(c, MATCHED): int(row[0]) for c, _ in wanted}
    found.update({key: int(n) for key, n in zip(wanted, row[1:], strict=True)})
    return found


def reached_ids(session: Session, segments: Collection[str], channel: str, level: str) -> list[int]:
    """The ids of the members not erased, in one of ``segments`` (any: none given), who
    reach ``level`` on ``channel``."""
    statement = select(Member.id).where(
        *_in_audience(session, segments), *_steps(channel)[: _LEVELS.index(level)]
    )
    return [int(m) for m in session.execute(statement).scalars()]
