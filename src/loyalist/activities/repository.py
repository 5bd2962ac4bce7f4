"""Activity and order queries."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    delete,
    func,
    null,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.orm import Session, defer, selectinload

from loyalist.activities.models import (
    Activity,
    ImportJob,
    ImportStatus,
    Order,
    OrderLine,
    OrderReturn,
    Review,
    ReviewStatus,
    SurveyAnswer,
)
from loyalist.db.bulk import among, insert_rows, replace_values, update_rows
from loyalist.db.crypto import SEALED_PREFIX
from loyalist.db.raw import RawReader, rows_in
from loyalist.members.models import Member


def stored_events(
    session: Session, event_ids: Iterable[str]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """``event_id -> (request_hash, result)`` for the ids already stored."""
    rows = rows_in(
        RawReader.on_session(session),
        cast(Table, Activity.__table__),
        ("event_id", "request_hash", "result"),
        "event_id",
        list(set(event_ids)),
    )
    return {eid: (digest, result) for eid, digest, result in rows}


def insert_activities(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        insert_rows(session, cast(Table, Activity.__table__), rows)


def _to_reseal(types: Sequence[str], fields: Sequence[str]) -> ColumnElement[bool]:
    """Stored events of ``types`` whose personal part is in a legacy format: sealed by a
    master key (``sealed`` not in the member-key format), or not sealed at all (one of
    ``fields`` in the clear)."""
    sealed = Activity.data["sealed"].as_string()
    return and_(
        Activity.type.in_(types),
        or_(
            sealed.not_like(SEALED_PREFIX + "%"),
            and_(
                sealed.is_(None), or_(*(Activity.data[f].as_string().is_not(None) for f in fields))
            ),
        ),
    )


def count_to_reseal(session: Session, types: Sequence[str], fields: Sequence[str]) -> int:
    statement = select(func.count()).select_from(Activity).where(_to_reseal(types, fields))
    return int(session.scalar(statement) or 0)


def to_reseal(
    session: Session, after: int, limit: int, types: Sequence[str], fields: Sequence[str]
) -> list[tuple[int, int, str, dict[str, Any]]]:
    """``(id, member_id, type, data)`` of the next ``limit`` stored events above ``after``
    to reseal, by id (locked on PostgreSQL)."""
    statement = (
        select(Activity.id, Activity.member_id, Activity.type, Activity.data)
        .where(Activity.id > after, _to_reseal(types, fields))
        .order_by(Activity.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return [(i, m, t, d) for i, m, t, d in session.execute(statement)]


def write_data(session: Session, data: dict[int, dict[str, Any]]) -> None:
    update_rows(
        session,
        cast(Table, Activity.__table__),
        ["id"],
        ["data"],
        [{"id": activity_id, "data": value} for activity_id, value in sorted(data.items())],
    )


def timeline(
    session: Session, member_id: int, *, limit: int, before: tuple[datetime, int] | None
) -> Sequence[Activity]:
    query = select(Activity).where(Activity.member_id == member_id)
    if before is not None:
        query = query.where(tuple_(Activity.occurred_at, Activity.id) < before)
    return session.scalars(
        query.order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(limit)
    ).all()


def find_order(session: Session, order_id: str) -> Order | None:
    return session.scalar(
        select(Order)
        .where(Order.order_id == order_id)
        .options(selectinload(Order.lines), selectinload(Order.returns))
    )


def count_orders(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def paid_orders_between(
    session: Session, start: datetime, end: datetime, batch: int = 2_000
) -> Iterator[Order]:
    """Paid orders with lines, ``start <= paid_at < end``, oldest first, in batches."""
    last: tuple[datetime, int] | None = None
    while True:
        query = (
            select(Order)
            .where(Order.paid_at >= start, Order.paid_at < end, Order.has_lines.is_(True))
            .options(selectinload(Order.lines))
            .order_by(Order.paid_at, Order.id)
            .limit(batch)
        )
        if last is not None:
            query = query.where(tuple_(Order.paid_at, Order.id) > tuple_(*last))
        rows = session.scalars(query).all()
        if not rows:
            return
        yield from rows
        paid_at = rows[-1].paid_at
        assert paid_at is not None
        last = (paid_at, rows[-1].id)
        session.expunge_all()


def activities_between(
    session: Session, start: datetime, end: datetime, types: Sequence[str], batch: int = 5_000
) -> Iterator[Activity]:
    last: tuple[datetime, int] | None = None
    while True:
        query = (
            select(Activity)
            .where(
                Activity.occurred_at >= start, Activity.occurred_at < end, Activity.type.in_(types)
            )
            .order_by(Activity.occurred_at, Activity.id)
            .limit(batch)
        )
        if last is not None:
            query = query.where(tuple_(Activity.occurred_at, Activity.id) > tuple_(*last))
        rows = session.scalars(query).all()
        if not rows:
            return
        yield from rows
        last = (rows[-1].occurred_at, rows[-1].id)


def order_stats_before(
    session: Session, at: datetime
) -> dict[int, tuple[int, int, datetime | None]]:
    """Per member: paid orders not cancelled before ``at``, their net amount, the last one."""
    rows = session.execute(
        select(Order.member_id, func.count(), func.sum(Order.net_amount), func.max(Order.paid_at))
        .where(Order.paid_at < at, Order.cancelled_at.is_(None), Order.has_lines.is_(True))
        .group_by(Order.member_id)
    )
    return {m: (int(n), int(s or 0), last) for m, n, s, last in rows}


# -- reviews and survey answers ------------------------------------------------------------
def find_review(session: Session, review_id: str) -> Review | None:
    return session.scalar(select(Review).where(Review.review_id == review_id))


def removal_seen(session: Session, member_id: int, review_id: str) -> bool:
    """A ``review.removed`` of this review was stored before the review itself arrived."""
    found = session.scalar(
        select(Activity.id)
        .where(
            Activity.member_id == member_id,
            Activity.type == "review.removed",
            Activity.data["review_id"].as_string() == review_id,
        )
        .limit(1)
    )
    return found is not None


def slot_holder(session: Session, member_id: int, sku: str) -> Review | None:
    """The member's live review of this SKU that counts (earns), if any."""
    return session.scalar(
        select(Review).where(
            Review.member_id == member_id, Review.sku == sku, Review.holds_slot.is_(True)
        )
    )


def order_ids_with_sku(session: Session, member_id: int, sku: str) -> list[str]:
    """Stored orders of the member with a line of this SKU (paid or not)."""
    return list(
        session.scalars(
            select(Order.order_id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.member_id == member_id, OrderLine.sku == sku)
        )
    )


def has_first_answer(session: Session, member_id: int, survey_id: str) -> bool:
    return (
        session.scalar(
            select(SurveyAnswer.id).where(
                SurveyAnswer.member_id == member_id,
                SurveyAnswer.survey_id == survey_id,
                SurveyAnswer.is_first.is_(True),
            )
        )
        is not None
    )


def add(session: Session, row: Review | SurveyAnswer) -> None:
    session.add(row)
    session.flush()


def paid_orders(session: Session, member_ids: Collection[int]) -> list[tuple[int, str, datetime]]:
    """``(member_id, order_id, paid_at)`` of the members' paid orders (cancelled ones too;
    orders without lines left out)."""
    if not member_ids:
        return []
    query = select(Order.member_id, Order.order_id, Order.paid_at).where(
        Order.member_id.in_(sorted(member_ids)),
        Order.paid_at.is_not(None),
        Order.has_lines.is_(True),
    )
    return [(int(m), str(o), cast(datetime, at)) for m, o, at in session.execute(query)]


#: ``(order pk, member_id, paid_at, currency, sku, category, quantity, returned_quantity,
#: unit_price, discount)`` of one line of a paid, not cancelled order.
PurchaseRow = tuple[int, int, datetime, str | None, str, str | None, int, int, int, int]


def purchase_lines(
    session: Session,
    *,
    member_id: int | None = None,
    member_ids: Collection[int] | None = None,
    since: datetime | None = None,
    batch: int = 20_000,
) -> Iterator[PurchaseRow]:
    """Lines of paid, not cancelled orders (``paid_at >= since``; one member's when
    ``member_id`` is given, those of ``member_ids`` when given), streamed ``batch`` rows at
    a time, in no particular order."""
    query = (
        select(
            Order.id,
            Order.member_id,
            Order.paid_at,
            Order.currency,
            OrderLine.sku,
            OrderLine.category,
            OrderLine.quantity,
            OrderLine.returned_quantity,
            OrderLine.unit_price,
            OrderLine.discount,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.paid_at.is_not(None), Order.cancelled_at.is_(None), Order.has_lines.is_(True))
    )
    if member_id is not None:
        query = query.where(Order.member_id == member_id)
    if member_ids is not None:
        query = query.where(among(session, Order.member_id, sorted(member_ids)))
    if since is not None:
        query = query.where(Order.paid_at >= since)
    rows: Any = session.execute(query.execution_options(yield_per=batch))
    for row in rows:
        yield tuple(row)


# -- members' history, for domains that start counting late --------------------------------
#: ``(order pk, member_id, net_amount, paid_at, is_cancel_reported, category, quantity,
#: returned_quantity, unit_price, discount)`` of one line of an order reported paid.
ReportedLineRow = tuple[int, int, int, datetime, bool, str | None, int, int, int, int]


def reported_order_lines(session: Session, member_ids: Sequence[int]) -> list[ReportedLineRow]:
    """Lines of the members' orders whose ``OrderPaid`` was emitted (cancelled ones too)."""
    rows = session.execute(
        select(
            Order.id,
            Order.member_id,
            Order.net_amount,
            Order.paid_at,
            Order.is_cancel_reported,
            OrderLine.category,
            OrderLine.quantity,
            OrderLine.returned_quantity,
            OrderLine.unit_price,
            OrderLine.discount,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.member_id.in_(sorted(set(member_ids))), Order.is_paid_reported.is_(True))
        .order_by(Order.id, OrderLine.line_no)
    )
    return [cast(ReportedLineRow, tuple(row)) for row in rows]


def verified_live_reviews(session: Session, member_ids: Sequence[int]) -> list[tuple[int, str]]:
    """``(member_id, review_id)`` of the members' verified reviews not removed, oldest first."""
    rows = session.execute(
        select(Review.member_id, Review.review_id)
        .where(
            Review.member_id.in_(sorted(set(member_ids))),
            Review.is_verified_purchase.is_(True),
            Review.status == ReviewStatus.LIVE,
        )
        .order_by(Review.published_at, Review.id)
    )
    return [(int(m), str(r)) for m, r in rows]


def answered_surveys(session: Session, member_ids: Sequence[int]) -> list[tuple[int, str]]:
    """``(member_id, survey_id)`` of every survey the members answered, first answers' order."""
    rows = session.execute(
        select(SurveyAnswer.member_id, SurveyAnswer.survey_id)
        .where(SurveyAnswer.member_id.in_(sorted(set(member_ids))), SurveyAnswer.is_first.is_(True))
        .order_by(SurveyAnswer.received_at, SurveyAnswer.id)
    )
    return [(int(m), str(s)) for m, s in rows]


def reviewed_skus(session: Session, member_ids: Sequence[int]) -> list[tuple[int, str]]:
    """``(member_id, sku)`` of every review the members published (removed ones too)."""
    rows = session.execute(
        select(Review.member_id, Review.sku)
        .where(Review.member_id.in_(sorted(set(member_ids))))
        .distinct()
    )
    return [(int(m), str(s)) for m, s in rows]


def last_survey_answers(session: Session, member_ids: Sequence[int]) -> dict[int, datetime]:
    """When each of the members last answered a survey (any survey)."""
    rows = session.execute(
        select(SurveyAnswer.member_id, func.max(SurveyAnswer.answered_at))
        .where(SurveyAnswer.member_id.in_(sorted(set(member_ids))))
        .group_by(SurveyAnswer.member_id)
    )
    return {int(m): at for m, at in rows}


def product_names(session: Session, skus: Sequence[str]) -> dict[str, str]:
    """The shop's name of each SKU, as the latest order line naming it gave it."""
    rows = session.execute(
        select(OrderLine.sku, OrderLine.name)
        .where(OrderLine.sku.in_(sorted(set(skus))), OrderLine.name.is_not(None))
        .order_by(OrderLine.order_id)
    )
    return {str(sku): str(name) for sku, name in rows}


def last_paid(session: Session, member_ids: Sequence[int]) -> dict[int, datetime]:
    """The latest ``paid_at`` of each member's orders (members without a paid order left
    out)."""
    rows = session.execute(
        select(Order.member_id, func.max(Order.paid_at))
        .where(Order.member_id.in_(member_ids), Order.paid_at.is_not(None))
        .group_by(Order.member_id)
    )
    return {int(m): at for m, at in rows if at is not None}


# -- erasure and retention ------------------------------------------------------------------
_EMPTY_ACTIVITY = {
    "sqlite": "UPDATE activities SET data = '{}', result = json_set(result, '$.member_id', "
    ":subject) WHERE member_id = :member_id",
    "postgresql": "UPDATE activities SET data = '{}'::jsonb, result = jsonb_set(result, "
    "'{member_id}', to_jsonb(CAST(:subject AS text))) WHERE member_id = :member_id",
}


def _counts(rows: Iterable[Any]) -> dict[int, int]:
    counted: dict[int, int] = {}
    for (member_id,) in rows:
        counted[int(member_id)] = counted.get(int(member_id), 0) + 1
    return counted


def empty_member_activities(session: Session, subjects: dict[int, str]) -> dict[int, int]:
    """Empty the stored data of the members' activities and name each member by
    ``subjects[member]`` in their stored results; returns the activities per member."""
    wanted = sorted(subjects)
    counted: dict[int, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        counted.update(
            (int(m), int(n))
            for m, n in session.execute(
                select(Activity.member_id, func.count())
                .where(Activity.member_id.in_(chunk))
                .group_by(Activity.member_id)
            )
        )
    found = [{"member_id": m, "subject": subjects[m]} for m in wanted if m in counted]
    if found:
        session.execute(text(_EMPTY_ACTIVITY[session.get_bind().dialect.name]), found)
    return counted


def erase_member_orders(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """Drop what the members' orders say beyond the amounts: lines (products), what the
    returns named, store, carrier and tracking, the referral and its signals. Returns the
    lines deleted per member."""
    deleted: dict[int, int] = {}
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        owners = {
            int(pk): int(member_id)
            for pk, member_id in session.execute(
                select(Order.id, Order.member_id).where(Order.member_id.in_(chunk))
            )
        }
        if not owners:
            continue
        _clear_orders(session, sorted(owners))
        for order_pk, n in _deleted_lines(session, sorted(owners)).items():
            deleted[owners[order_pk]] = deleted.get(owners[order_pk], 0) + n
    return deleted


def _deleted_lines(session: Session, order_pks: Sequence[int]) -> dict[int, int]:
    return _counts(
        session.execute(
            delete(OrderLine)
            .where(OrderLine.order_id.in_(order_pks))
            .returning(OrderLine.order_id)
            .execution_options(synchronize_session=False)
        )
    )


def _clear_orders(session: Session, order_pks: Sequence[int], **more: Any) -> None:
    session.execute(
        update(Order)
        .where(Order.id.in_(order_pks))
        .values(
            store=None,
            carrier=None,
            tracking_number=None,
            tracking_url=None,
            referral=null(),
            **more,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OrderReturn)
        .where(OrderReturn.order_id.in_(order_pks))
        .values(requested=[])
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OrderReturn)
        .where(OrderReturn.order_id.in_(order_pks), OrderReturn.is_applied.is_(True))
        .values(applied=[])
        .execution_options(synchronize_session=False)
    )


def clear_review_texts(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """Clear the free text kept with the members' reviews; returns reviews per member."""
    cleared: dict[int, int] = {}
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        for member_id, n in _counts(
            session.execute(
                update(Review)
                .where(
                    Review.member_id.in_(wanted[start : start + 500]),
                    Review.removal_reason.is_not(None),
                )
                .values(removal_reason=None)
                .returning(Review.member_id)
                .execution_options(synchronize_session=False)
            )
        ).items():
            cleared[member_id] = n
    return cleared


def orders_to_retire(session: Session, order_pks: Sequence[int]) -> list[tuple[int, str, int]]:
    """``(id, order_id, member_id)`` of these orders not retired yet."""
    return [
        (int(pk), order_id, int(member_id))
        for pk, order_id, member_id in session.execute(
            select(Order.id, Order.order_id, Order.member_id).where(
                Order.id.in_(order_pks), Order.retired_at.is_(None)
            )
        )
    ]


def retire_orders(
    session: Session, found: Sequence[tuple[int, str, int]], refs: dict[str, str], now: datetime
) -> None:
    """Rename the orders (``refs``: old id -> opaque id) and drop their line details, the
    order ids their reviews name and the data of their stored order events."""
    pks = [pk for pk, _, _ in found]
    _deleted_lines(session, pks)
    _clear_orders(session, pks, retired_at=now)
    update_rows(
        session,
        cast(Table, Order.__table__),
        ["id"],
        ["order_id"],
        [{"id": pk, "order_id": refs[order_id]} for pk, order_id, _ in found],
    )
    reviews = cast(Table, Review.__table__)
    replace_values(session, reviews, "order_id", refs)
    replace_values(session, reviews, "verified_order_id", refs)
    members = sorted({member_id for _, _, member_id in found})
    events = [
        activity_id
        for activity_id, order_id in session.execute(
            select(Activity.id, Activity.data["order_id"].as_string()).where(
                Activity.member_id.in_(members), Activity.type.like("order.%")
            )
        )
        if order_id in refs
    ]
    for start in range(0, len(events), 500):
        session.execute(
            update(Activity)
            .where(Activity.id.in_(events[start : start + 500]))
            .values(data={})
            .execution_options(synchronize_session=False)
        )


# -- imports -------------------------------------------------------------------------------
def find_import(session: Session, job_id: str, *, lock: bool = False) -> ImportJob | None:
    query = select(ImportJob).where(ImportJob.id == job_id)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def recent_imports(session: Session, limit: int) -> list[ImportJob]:
    """The newest imports (without their sealed files)."""
    query = (
        select(ImportJob)
        .options(defer(ImportJob.content))
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def next_import(session: Session) -> ImportJob | None:
    """The oldest import not done yet."""
    query = (
        select(ImportJob)
        .where(ImportJob.status != ImportStatus.DONE)
        .order_by(ImportJob.created_at, ImportJob.id)
        .limit(1)
    )
    return session.scalars(query).one_or_none()


# -- exports ---------------------------------------------------------------------------------
def export_orders(
    session: Session, start: datetime | None, end: datetime | None, *, after: int, limit: int
) -> list[tuple[Any, ...]]:
    """Up to ``limit`` orders above row id ``after`` placed (or, without a placement, paid)
    in ``[start, end)``, by row id: ``(row id, order id, member external id, currency,
    channel, store, total, shipping, tax, net_amount, lines, placed_at, paid_at,
    shipped_at, delivered_at, cancelled_at, carrier, tracking_number)``."""
    lines = (
        select(func.count())
        .select_from(OrderLine)
        .where(OrderLine.order_id == Order.id)
        .scalar_subquery()
    )
    query = (
        select(
            Order.id,
            Order.order_id,
            Member.external_id,
            Order.currency,
            Order.channel,
            Order.store,
            Order.total,
            Order.shipping,
            Order.tax,
            Order.net_amount,
            lines,
            Order.placed_at,
            Order.paid_at,
            Order.shipped_at,
            Order.delivered_at,
            Order.cancelled_at,
            Order.carrier,
            Order.tracking_number,
        )
        .join(Member, Member.id == Order.member_id)
        .where(Order.id > after)
    )
    when = func.coalesce(Order.placed_at, Order.paid_at)
    if start is not None:
        query = query.where(when >= start)
    if end is not None:
        query = query.where(when < end)
    return [tuple(r) for r in session.execute(query.order_by(Order.id).limit(limit))]
