"""Privacy queries: every domain's rows about one member (read-only, for the export), what
retention finds due, and the writes of its own tables (destruction records, scans).

Reading other domains' tables is this domain's exception (with ``insights``): an export has
to show everything held, and is kept beside the tables it reads so a new table is added
here in one place. Nothing here writes another domain's table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, exists, insert, inspect, not_, or_, select
from sqlalchemy.orm import Session

from loyalist.activities.models import (
    Activity,
    Order,
    OrderLine,
    OrderReturn,
    Review,
    SurveyAnswer,
)
from loyalist.audit.models import AuditRecord
from loyalist.checkout.models import Checkout
from loyalist.coupons.models import CouponCode, CouponMemberUse, CouponRedemption
from loyalist.db.base import Base
from loyalist.gamification.models import MemberBadge, MemberGameStats, MemberStreak, QuestProgress
from loyalist.insights.models import MemberScore
from loyalist.ledger.models import Hold, Lot, MemberPoints, Posting, PostingKind
from loyalist.members.models import Consent, ConsentChange, Device, Member
from loyalist.messages.models import (
    Message,
    MessageStatusChange,
    Suppression,
    TopicPreference,
    TopicPreferenceChange,
)
from loyalist.privacy.models import DestructionRecord, RetentionKind, RetentionScan
from loyalist.referrals.models import (
    Referral,
    ReferralClick,
    ReferralCode,
    ReferralShare,
    ReferralSignal,
)
from loyalist.rewards.models import RewardRedemption
from loyalist.rules.models import MemberOrderStats, RuleMemberCounter, RuleTrigger
from loyalist.tiers.models import MemberTier, TierChange, TierCredit, TierMembership

#: Columns never shown in an export: blind indexes and keyed digests (derived from the
#: values shown beside them, meaningless to a person), the device token (shown masked),
#: the hash chain of the audit trail, an event's request digest.
_HIDDEN = frozenset(
    {
        "email_index",
        "phone_index",
        "birthday_index",
        "token",
        "token_index",
        "address_index",
        "ip_index",
        "device_index",
        "digest",
        "request_hash",
        "prev_hash",
        "hash",
    }
)


def columns(row: Base) -> dict[str, Any]:
    """A row's columns by name (personal ones decrypted), hidden ones left out."""
    return {
        attr.key: getattr(row, attr.key)
        for attr in inspect(type(row)).column_attrs
        if attr.key not in _HIDDEN
    }


def _all(session: Session, model: type[Base], where: ColumnElement[bool], *order: Any) -> list[Any]:
    return list(session.scalars(select(model).where(where).order_by(*order)))


def member(session: Session, member_id: int) -> Member | None:
    return session.get(Member, member_id)


def member_sections(session: Session, member_id: int) -> dict[str, list[Any]]:
    """The member's rows of every table keyed by member, by section name, oldest first."""
    m = member_id
    return {
        "consents": _all(session, Consent, Consent.member_id == m, Consent.purpose),
        "consent_changes": _all(
            session,
            ConsentChange,
            ConsentChange.member_id == m,
            ConsentChange.changed_at,
            ConsentChange.seq,
        ),
        "topic_preferences": _all(
            session, TopicPreference, TopicPreference.member_id == m, TopicPreference.topic
        ),
        "topic_changes": _all(
            session,
            TopicPreferenceChange,
            TopicPreferenceChange.member_id == m,
            TopicPreferenceChange.changed_at,
        ),
        "devices": _all(session, Device, Device.member_id == m, Device.registered_at),
        "balance": _all(session, MemberPoints, MemberPoints.member_id == m),
        "postings": _all(session, Posting, Posting.member_id == m, Posting.id),
        "lots": _all(session, Lot, Lot.member_id == m, Lot.id),
        "holds": _all(session, Hold, Hold.member_id == m, Hold.created_at, Hold.id),
        "activities": _all(session, Activity, Activity.member_id == m, Activity.id),
        "reviews": _all(session, Review, Review.member_id == m, Review.id),
        "survey_answers": _all(session, SurveyAnswer, SurveyAnswer.member_id == m, SurveyAnswer.id),
        "checkouts": _all(session, Checkout, Checkout.member_id == m, Checkout.created_at),
        "coupon_codes": _all(session, CouponCode, CouponCode.member_id == m, CouponCode.id),
        "coupon_redemptions": _all(
            session, CouponRedemption, CouponRedemption.member_id == m, CouponRedemption.created_at
        ),
        "coupon_uses": _all(session, CouponMemberUse, CouponMemberUse.member_id == m),
        "reward_redemptions": _all(
            session, RewardRedemption, RewardRedemption.member_id == m, RewardRedemption.created_at
        ),
        "referral_code": _all(session, ReferralCode, ReferralCode.member_id == m),
        "referred_by": _all(session, Referral, Referral.friend_id == m),
        "referred": _all(session, Referral, Referral.referrer_id == m, Referral.id),
        "referral_shares": _all(
            session, ReferralShare, ReferralShare.member_id == m, ReferralShare.id
        ),
        "referral_clicks": _all(
            session, ReferralClick, ReferralClick.referrer_id == m, ReferralClick.id
        ),
        "referral_signals": _all(
            session, ReferralSignal, ReferralSignal.member_id == m, ReferralSignal.first_seen_at
        ),
        "messages": _all(session, Message, Message.member_id == m, Message.created_at, Message.id),
        "message_statuses": _all(
            session,
            MessageStatusChange,
            MessageStatusChange.member_id == m,
            MessageStatusChange.message_id,
            MessageStatusChange.revision,
        ),
        "suppressions": _all(session, Suppression, Suppression.member_id == m),
        "game_statistics": _all(session, MemberGameStats, MemberGameStats.member_id == m),
        "badges": _all(session, MemberBadge, MemberBadge.member_id == m, MemberBadge.awarded_at),
        "quests": _all(session, QuestProgress, QuestProgress.member_id == m, QuestProgress.id),
        "streaks": _all(session, MemberStreak, MemberStreak.member_id == m, MemberStreak.id),
        "tier": _all(session, MemberTier, MemberTier.member_id == m),
        "tier_memberships": _all(
            session, TierMembership, TierMembership.member_id == m, TierMembership.membership_id
        ),
        "tier_changes": _all(session, TierChange, TierChange.member_id == m, TierChange.id),
        "tier_credits": _all(session, TierCredit, TierCredit.member_id == m, TierCredit.id),
        "rule_counters": _all(
            session, RuleMemberCounter, RuleMemberCounter.member_id == m, RuleMemberCounter.key
        ),
        "rule_triggers": _all(session, RuleTrigger, RuleTrigger.member_id == m),
        "order_statistics": _all(session, MemberOrderStats, MemberOrderStats.member_id == m),
        "scores": _all(session, MemberScore, MemberScore.member_id == m, MemberScore.generation),
        "audit": _all(session, AuditRecord, AuditRecord.member_id == m, AuditRecord.seq),
        "destruction_records": _all(session, DestructionRecord, DestructionRecord.member_id == m),
    }


def orders(session: Session, member_id: int) -> list[tuple[Order, list[Any], list[Any]]]:
    """The member's orders with their lines and returns, oldest first."""
    found = _all(session, Order, Order.member_id == member_id, Order.id)
    pks = [order.id for order in found]
    lines: dict[int, list[Any]] = {}
    returns: dict[int, list[Any]] = {}
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        for line in _all(
            session, OrderLine, OrderLine.order_id.in_(chunk), OrderLine.order_id, OrderLine.line_no
        ):
            lines.setdefault(line.order_id, []).append(line)
        for ret in _all(session, OrderReturn, OrderReturn.order_id.in_(chunk), OrderReturn.id):
            returns.setdefault(ret.order_id, []).append(ret)
    return [(order, lines.get(order.id, []), returns.get(order.id, [])) for order in found]


# -- destruction records ------------------------------------------------------------------
def record_of(session: Session, member_id: int) -> DestructionRecord | None:
    return session.scalar(select(DestructionRecord).where(DestructionRecord.member_id == member_id))


def records_of(session: Session, member_ids: Sequence[int]) -> dict[int, DestructionRecord]:
    found: dict[int, DestructionRecord] = {}
    for start in range(0, len(member_ids), 500):
        for row in session.scalars(
            select(DestructionRecord).where(
                DestructionRecord.member_id.in_(member_ids[start : start + 500])
            )
        ):
            found[row.member_id] = row
    return found


def add_records(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert destruction records (every column but ``id``); returns their ids in order."""
    table = cast(Table, DestructionRecord.__table__)
    found = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(record_id) for (record_id,) in found]


def records_page(
    session: Session, limit: int, before: tuple[datetime, int] | None
) -> list[DestructionRecord]:
    """Destruction records, newest first, ``limit`` of them before the cursor."""
    query = select(DestructionRecord)
    if before is not None:
        at, ident = before
        query = query.where(
            or_(
                DestructionRecord.performed_at < at,
                and_(DestructionRecord.performed_at == at, DestructionRecord.id < ident),
            )
        )
    return list(
        session.scalars(
            query.order_by(
                DestructionRecord.performed_at.desc(), DestructionRecord.id.desc()
            ).limit(limit)
        )
    )


def records_between(
    session: Session, since: datetime | None, until: datetime | None
) -> Iterator[DestructionRecord]:
    """Destruction records performed in ``[since, until)``, oldest first, streamed."""
    query = select(DestructionRecord)
    if since is not None:
        query = query.where(DestructionRecord.performed_at >= since)
    if until is not None:
        query = query.where(DestructionRecord.performed_at < until)
    yield from session.scalars(
        query.order_by(DestructionRecord.performed_at, DestructionRecord.id)
    ).yield_per(1000)


# -- retention ----------------------------------------------------------------------------
def locked_scan(session: Session, kind: RetentionKind) -> RetentionScan | None:
    return session.scalar(select(RetentionScan).where(RetentionScan.kind == kind).with_for_update())


def add_scan(session: Session, scan: RetentionScan) -> None:
    session.add(scan)
    session.flush()


def member_ids_after(session: Session, after: int, limit: int) -> list[int]:
    return list(
        session.scalars(select(Member.id).where(Member.id > after).order_by(Member.id).limit(limit))
    )


#: Postings a member's own action makes (a redemption, a checkout's hold).
_OWN_ACTIONS = (PostingKind.SPEND, PostingKind.HOLD)


def inactive_among(session: Session, member_ids: Sequence[int], cutoff: datetime) -> list[int]:
    """The members among these, not erased, without a sign of life since ``cutoff``: no
    profile change (``updated_at``), no event from the shop (by when it happened), no
    redemption or checkout hold of theirs."""
    if not member_ids:
        return []
    recent_event = exists().where(Activity.member_id == Member.id, Activity.occurred_at >= cutoff)
    recent_action = exists().where(
        Posting.member_id == Member.id,
        Posting.kind.in_(_OWN_ACTIONS),
        Posting.effective_at >= cutoff,
    )
    return list(
        session.scalars(
            select(Member.id)
            .where(
                Member.id.in_(member_ids),
                Member.erased_at.is_(None),
                Member.updated_at < cutoff,
                not_(recent_event),
                not_(recent_action),
            )
            .order_by(Member.id)
        )
    )


def order_ids_after(session: Session, after: int, limit: int) -> list[int]:
    return list(
        session.scalars(select(Order.id).where(Order.id > after).order_by(Order.id).limit(limit))
    )


def orders_past(session: Session, order_pks: Sequence[int], cutoff: datetime) -> list[int]:
    """The orders among these, not retired, whose last fact (placed, paid, shipped,
    delivered, cancelled, returned) is before ``cutoff``."""
    if not order_pks:
        return []
    recent_return = exists().where(
        OrderReturn.order_id == Order.id, OrderReturn.occurred_at >= cutoff
    )
    facts = (
        Order.placed_at,
        Order.paid_at,
        Order.shipped_at,
        Order.delivered_at,
        Order.cancelled_at,
    )
    return list(
        session.scalars(
            select(Order.id)
            .where(
                Order.id.in_(order_pks),
                Order.retired_at.is_(None),
                or_(*(fact.is_not(None) for fact in facts)),
                *(or_(fact.is_(None), fact < cutoff) for fact in facts),
                not_(recent_return),
            )
            .order_by(Order.id)
        )
    )
