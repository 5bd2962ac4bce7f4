"""Insights queries: read-only, over other domains' tables (the one domain allowed to),
and the writes of its own tables (member scores in generations).

Every read of the scores reads the *current* generation (:mod:`loyalist.db.generations`).

Every statement of the domain is here, the snapshot export's streamed reads included
(``export`` turns their row batches into polars frames).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeVarTuple, cast

from sqlalchemy import ColumnElement, Select, Table, delete, func, or_, select, union, update
from sqlalchemy.orm import Session

from loyalist.activities.models import (
    Order,
    OrderLine,
    OrderReturn,
    Review,
    ReviewStatus,
    SurveyAnswer,
)
from loyalist.db import bulk
from loyalist.db.generations import Generations
from loyalist.insights.models import DashboardFigures, MemberScore, ScoreGeneration
from loyalist.ledger.models import SYSTEM_ACCOUNTS as _SYSTEM
from loyalist.ledger.models import Posting
from loyalist.members.models import Member
from loyalist.referrals.models import Referral, ReferralStatus
from loyalist.tiers.models import MemberTier, TierMembership

if TYPE_CHECKING:
    import polars as pl

#: Rows fetched per round trip of a streamed read (one polars frame each).
BATCH: Final = 50_000
#: The ledger's system accounts (``system.issued`` …).
SYSTEM_ACCOUNTS: Final = [a.value for a in _SYSTEM]
SCORES = cast(Table, MemberScore.__table__)
#: Scores are stored in generations (see :mod:`loyalist.db.generations`).
GENERATIONS: Final = Generations(cast(Table, ScoreGeneration.__table__), (SCORES, "generation"))
#: A streamed read: its rows, a batch per round trip.
Batches = Iterator[Sequence[Any]]

_Ts = TypeVarTuple("_Ts")


def first_answers(
    session: Session, start: datetime | None, end: datetime | None
) -> Iterator[tuple[int, int, str | None, datetime]]:
    """``(member_id, score, channel, answered_at)`` of first answers with a score in
    ``[start, end)``, oldest first."""
    query = select(
        SurveyAnswer.member_id, SurveyAnswer.score, SurveyAnswer.channel, SurveyAnswer.answered_at
    ).where(SurveyAnswer.is_first.is_(True), SurveyAnswer.score.is_not(None))
    if start is not None:
        query = query.where(SurveyAnswer.answered_at >= start)
    if end is not None:
        query = query.where(SurveyAnswer.answered_at < end)
    query = query.order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
    rows: Any = session.execute(query.execution_options(yield_per=5_000))
    for member_id, score, channel, answered_at in rows:
        yield int(member_id), int(score), channel, answered_at


def member_segments(session: Session, member_ids: Iterable[int]) -> dict[int, list[str]]:
    wanted = sorted(set(member_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(wanted), 500):
        rows: Any = session.execute(
            select(Member.id, Member.segments).where(Member.id.in_(wanted[start : start + 500]))
        )
        found.update({int(pk): list(segments or ()) for pk, segments in rows})
    return found


# -- member scores --------------------------------------------------------------------------
def _in_current() -> ColumnElement[bool]:
    return GENERATIONS.is_current(MemberScore.generation)


def current_generation(session: Session) -> tuple[int, datetime | None] | None:
    """``(id, segments_at)`` of the current generation, None before the first publish."""
    row = session.execute(
        select(ScoreGeneration.id, ScoreGeneration.segments_at).where(
            ScoreGeneration.id == GENERATIONS.current()
        )
    ).first()
    return None if row is None else (int(row[0]), row[1])


def add_generation(session: Session, computed_at: datetime) -> int:
    """A new, unpublished generation; returns its id (greater than every earlier one)."""
    generation = ScoreGeneration(computed_at=computed_at)
    session.add(generation)
    session.flush()
    return generation.id


def insert_scores(session: Session, rows: pl.DataFrame) -> None:
    """Insert ``rows`` (columns of ``member_scores``, ``generation`` included)."""
    bulk.copy_frame(session, SCORES, rows)


def upsert_scores(session: Session, rows: pl.DataFrame) -> None:
    """Store ``rows`` (``generation``, ``member_id`` and some other columns of
    ``member_scores``): a member with a row in the generation gets the given columns, the
    others a new row."""
    bulk.copy_frame(session, SCORES, rows, upsert_key=("generation", "member_id"))


def segments_applied(session: Session, generation: int, at: datetime) -> None:
    session.execute(
        update(ScoreGeneration).where(ScoreGeneration.id == generation).values(segments_at=at)
    )


def at_risk(
    session: Session,
    segments: list[str],
    churn_risk_at_least: float,
    member_ids: Sequence[int] | None,
) -> tuple[int, datetime, list[int]] | None:
    """``(generation, published_at, member ids)`` of the current generation's rows (of
    ``member_ids`` only, when given) in one of ``segments`` or with ``churn_risk ≥
    churn_risk_at_least``."""
    row = session.execute(
        select(ScoreGeneration.id, ScoreGeneration.published_at).where(
            ScoreGeneration.id == GENERATIONS.current()
        )
    ).first()
    if row is None or row[1] is None:
        return None
    generation = int(row[0])
    query = select(MemberScore.member_id).where(
        MemberScore.generation == generation,
        MemberScore.segment.in_(segments) | (MemberScore.churn_risk >= churn_risk_at_least),
    )
    if member_ids is not None:
        query = query.where(MemberScore.member_id.in_(member_ids))
    members = session.scalars(query.order_by(MemberScore.member_id))
    return generation, row[1], [int(m) for m in members]


def member_score(session: Session, member_id: int) -> MemberScore | None:
    """The member's row in the current generation."""
    return session.scalars(
        select(MemberScore).where(_in_current(), MemberScore.member_id == member_id)
    ).first()


def member_score_facts(session: Session, member_ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """``(member id, segment, r, f, m, churn risk, clv, currency)`` of the members' rows in
    the current generation."""
    wanted = sorted(set(member_ids))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                MemberScore.member_id,
                MemberScore.segment,
                MemberScore.r_score,
                MemberScore.f_score,
                MemberScore.m_score,
                MemberScore.churn_risk,
                MemberScore.clv,
                MemberScore.currency,
            ).where(_in_current(), MemberScore.member_id.in_(wanted[start : start + 500]))
        )
        found.extend(tuple(row) for row in rows)
    return found


def member_clv(session: Session, member_ids: Sequence[int]) -> list[tuple[int, float, str]]:
    """``(member_id, clv, currency)`` of the members whose current scores have a CLV."""
    out: list[tuple[int, float, str]] = []
    wanted = sorted(set(member_ids))
    for chunk in bulk.key_chunks(session, wanted):
        rows = session.execute(
            select(MemberScore.member_id, MemberScore.clv, MemberScore.currency).where(
                _in_current(),
                bulk.among(session, MemberScore.member_id, chunk),
                MemberScore.clv.is_not(None),
                MemberScore.currency.is_not(None),
            )
        )
        out.extend((int(m), float(v or 0), str(c)) for m, v, c in rows)
    return out


def generation_segments(session: Session) -> Batches:
    """``(member_id, segment, churn_risk)`` of the current generation's rows."""
    return _batches(
        session,
        select(MemberScore.member_id, MemberScore.segment, MemberScore.churn_risk).where(
            _in_current()
        ),
    )


def segment_figures(session: Session) -> list[tuple[Any, ...]]:
    """Per RFM segment: ``(segment, members, avg recency_days, avg frequency, avg monetary,
    avg p_alive, sum clv)`` over the stored scores."""
    score = MemberScore
    rows = session.execute(
        select(
            score.segment,
            func.count(),
            func.avg(score.recency_days),
            func.avg(score.frequency),
            func.avg(score.monetary),
            func.avg(score.p_alive),
            func.sum(score.clv),
        )
        .where(_in_current(), score.segment.is_not(None))
        .group_by(score.segment)
    )
    return [tuple(row) for row in rows]


def members_at_risk(session: Session, threshold: float) -> int:
    """Members whose stored churn risk is at least ``threshold``."""
    found = session.scalar(
        select(func.count())
        .select_from(MemberScore)
        .where(_in_current(), MemberScore.churn_risk >= threshold)
    )
    return int(found or 0)


def latest_scores(session: Session) -> tuple[datetime | None, str | None]:
    """The latest ``computed_at`` and ``currency`` among the current generation's scores."""
    row = session.execute(
        select(func.max(MemberScore.computed_at), func.max(MemberScore.currency)).where(
            _in_current()
        )
    ).one()
    return row[0], row[1]


# -- the snapshot export's reads ------------------------------------------------------------
def _batches(session: Session, query: Select[*_Ts]) -> Batches:
    result = session.execute(query.execution_options(yield_per=BATCH))
    yield from result.partitions()


def _paid(query: Select[*_Ts], currency: str | None) -> Select[*_Ts]:
    """Only paid and not cancelled orders (the ones reported paid), of ``currency``."""
    query = query.where(Order.is_paid_reported.is_(True), Order.cancelled_at.is_(None))
    return query if currency is None else query.where(Order.currency == currency)


def members(session: Session) -> Batches:
    """``(member_id, enrolled_at or created_at, segments)`` of every member."""
    return _batches(
        session,
        select(Member.id, func.coalesce(Member.enrolled_at, Member.created_at), Member.segments),
    )


def members_with_tier_rows(session: Session) -> list[int]:
    """Members with a stored tier or a paid tier membership, by id."""
    stored = union(select(MemberTier.member_id), select(TierMembership.member_id))
    return sorted(int(m) for m in session.scalars(select(stored.subquery().c[0])))


def paid_orders(session: Session, currency: str | None) -> Batches:
    """``(id, member_id, paid_at, currency, channel, net_amount)`` of paid orders."""
    return _batches(
        session,
        _paid(
            select(
                Order.id,
                Order.member_id,
                Order.paid_at,
                Order.currency,
                Order.channel,
                Order.net_amount,
            ),
            currency,
        ),
    )


def applied_returns(session: Session, currency: str | None) -> Batches:
    """``(order_id, returned amount)`` of the applied returns of paid orders."""
    return _batches(
        session,
        _paid(
            select(OrderReturn.order_id, func.sum(OrderReturn.returned_amount))
            .join(Order, Order.id == OrderReturn.order_id)
            .where(OrderReturn.is_applied.is_(True))
            .group_by(OrderReturn.order_id),
            currency,
        ),
    )


def paid_lines(session: Session, currency: str | None) -> Batches:
    """``(order_id, sku, category, quantity, unit_price, discount, returned_quantity)`` of
    the lines of paid orders."""
    return _batches(
        session,
        _paid(
            select(
                OrderLine.order_id,
                OrderLine.sku,
                OrderLine.category,
                OrderLine.quantity,
                OrderLine.unit_price,
                OrderLine.discount,
                OrderLine.returned_quantity,
            ).join(Order, Order.id == OrderLine.order_id),
            currency,
        ),
    )


def system_flows(session: Session) -> Batches:
    """``(effective_at, member_id, debit, credit, amount)`` of postings touching a system
    account."""
    return _batches(
        session,
        select(
            Posting.effective_at,
            Posting.member_id,
            Posting.debit_account,
            Posting.credit_account,
            Posting.amount,
        ).where(
            or_(
                Posting.debit_account.in_(SYSTEM_ACCOUNTS),
                Posting.credit_account.in_(SYSTEM_ACCOUNTS),
            )
        ),
    )


def live_reviews(session: Session) -> Batches:
    """``(member_id, published_at, rating, sku)`` of live reviews."""
    return _batches(
        session,
        select(Review.member_id, Review.published_at, Review.rating, Review.sku).where(
            Review.status == ReviewStatus.LIVE
        ),
    )


def scored_first_answers(session: Session) -> Batches:
    """``(member_id, answered_at, score, channel)`` of first survey answers with a score."""
    return _batches(
        session,
        select(
            SurveyAnswer.member_id,
            SurveyAnswer.answered_at,
            SurveyAnswer.score,
            SurveyAnswer.channel,
        ).where(SurveyAnswer.is_first.is_(True), SurveyAnswer.score.is_not(None)),
    )


def converted_referrals(session: Session) -> Batches:
    """``(referrer_id, friend_id, converted_at)`` of converted referrals."""
    return _batches(
        session,
        select(Referral.referrer_id, Referral.friend_id, Referral.converted_at).where(
            Referral.status == ReferralStatus.CONVERTED, Referral.converted_at.is_not(None)
        ),
    )


def delete_member_scores(session: Session, member_ids: Sequence[int]) -> None:
    """Delete the members' scores in every generation."""
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        session.execute(
            delete(MemberScore)
            .where(MemberScore.member_id.in_(wanted[start : start + 500]))
            .execution_options(synchronize_session=False)
        )


def members_enrolled_before(session: Session, end: datetime) -> list[int]:
    """Ids of members enrolled (or created) before ``end`` and not erased."""
    return [
        int(m)
        for m in session.scalars(
            select(Member.id).where(
                func.coalesce(Member.enrolled_at, Member.created_at) < end,
                Member.erased_at.is_(None),
            )
        )
    ]


def revenue_by_member(
    session: Session, start: datetime, end: datetime, currency: str
) -> list[tuple[int, int]]:
    """``(member_id, net amount)`` summed over each member's paid (not cancelled) orders
    in ``currency`` paid in ``[start, end)``."""
    rows = session.execute(
        _paid(
            select(Order.member_id, func.sum(Order.net_amount))
            .where(Order.paid_at >= start, Order.paid_at < end)
            .group_by(Order.member_id),
            currency,
        )
    )
    return [(int(m), int(r or 0)) for m, r in rows]


# -- the dashboard's pre-computed figures ---------------------------------------------------
def stored_dashboard(session: Session, period: str) -> tuple[datetime, dict[str, Any]] | None:
    """``(computed_at, figures)`` of the preset ``period``, None before the job stored it."""
    row = session.execute(
        select(DashboardFigures.computed_at, DashboardFigures.figures).where(
            DashboardFigures.period == period
        )
    ).first()
    return None if row is None else (row[0], row[1])


def dashboards_computed_at(session: Session) -> dict[str, datetime]:
    """When each stored preset was computed."""
    rows = session.execute(select(DashboardFigures.period, DashboardFigures.computed_at))
    return {str(period): at for period, at in rows}


def store_dashboard(
    session: Session, period: str, computed_at: datetime, figures: dict[str, Any]
) -> None:
    """Replace the preset's figures (a row lock orders two workers storing the same one)."""
    found = session.get(DashboardFigures, period, with_for_update=True)
    if found is None:
        session.add(DashboardFigures(period=period, computed_at=computed_at, figures=figures))
    else:
        found.computed_at, found.figures = computed_at, figures
    session.flush()
