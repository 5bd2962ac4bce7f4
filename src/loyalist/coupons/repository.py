"""Coupon SQL: lookups, the conditional updates that make a use count exactly once, and the
bulk writes of generated codes (``COPY`` on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

import psycopg
from sqlalchemy import Row, Table, case, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from loyalist.coupons.codes import CodeBlock
from loyalist.coupons.models import (
    BatchStatus,
    CouponBatch,
    CouponCampaign,
    CouponCode,
    CouponMemberUse,
    CouponRedemption,
    RedemptionStatus,
)
from loyalist.db import bulk, keyset, raw
from loyalist.db.raw import Cursor

#: The code, its batch's status, the campaign's counter, then the campaign's rules as text
#: (the cache key of their parsed form).
_CODE_FACTS_SQL = (
    "SELECT c.id, c.code, c.campaign_id, c.max_uses, c.uses, c.disabled, c.member_id,"
    " c.valid_until, b.status, k.redemptions,"
    " k.key, CAST(k.name AS TEXT), CAST(k.discount AS TEXT), CAST(k.conditions AS TEXT),"
    " k.stacking, k.priority, k.status, k.valid_from, k.valid_until, k.max_redemptions,"
    " k.per_member_limit"
    " FROM coupon_codes c"
    " JOIN coupon_campaigns k ON k.id = c.campaign_id"
    " LEFT JOIN coupon_batches b ON b.id = c.batch_id"
    " WHERE c.code = ?"
)
_MEMBER_USES_SQL = "SELECT uses FROM coupon_member_uses WHERE campaign_id = ? AND member_id = ?"


def code_facts(cursor: Cursor, code: str) -> tuple[Any, ...] | None:
    """id, code, campaign_id, max_uses, uses, disabled, member_id, valid_until, the batch's
    status, the campaign's redemptions; then its key, name, discount, conditions (JSON
    text), stacking, priority, status, valid_from, valid_until, max_redemptions and
    per_member_limit."""
    return cursor.one(_CODE_FACTS_SQL, (code,))


def member_uses(cursor: Cursor, campaign_id: int, member_id: int) -> int:
    row = cursor.one(_MEMBER_USES_SQL, (campaign_id, member_id))
    return 0 if row is None else int(row[0])


_PERSONAL_SQL = (
    "SELECT code FROM coupon_codes WHERE member_id = ?"
    " AND (max_uses IS NULL OR uses < max_uses) ORDER BY id DESC LIMIT 50"
)


def personal_codes(cursor: Cursor, member_id: int) -> list[str]:
    """The member's personal codes with a use left, newest first (at most 50)."""
    return [row[0] for row in cursor.all(_PERSONAL_SQL, (member_id,))]


_TAKE_CODE_SQL = (
    "UPDATE coupon_codes SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)"
)
_TAKE_CAMPAIGN_SQL = (
    "UPDATE coupon_campaigns SET redemptions = redemptions + 1"
    " WHERE id = ? AND redemptions < max_redemptions"
)
# RETURNING, not rowcount: drivers report -1 for INSERT … ON CONFLICT.
_TAKE_MEMBER_SQL = (
    "INSERT INTO coupon_member_uses (campaign_id, member_id, uses) VALUES (?, ?, 1)"
    " ON CONFLICT (campaign_id, member_id) DO UPDATE SET uses = coupon_member_uses.uses + 1"
    " WHERE coupon_member_uses.uses < ? RETURNING uses"
)
_INSERT_REDEMPTION_SQL = (
    "INSERT INTO coupon_redemptions (id, code_id, campaign_id, member_id, order_id,"
    " checkout_id, currency, discount, shipping_discount, status, reason, created_at,"
    " settled_at, member_counted, campaign_counted)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def take_code_use(writer: Cursor, code_id: int) -> bool:
    """One more use of a code if it has one left (atomic on every backend)."""
    return writer.change(_TAKE_CODE_SQL, (code_id,)) == 1


def take_campaign_use(writer: Cursor, campaign_id: int) -> bool:
    return writer.change(_TAKE_CAMPAIGN_SQL, (campaign_id,)) == 1


def take_member_use(writer: Cursor, campaign_id: int, member_id: int, limit: int) -> bool:
    """Insert the member's first use, or add one while below ``limit`` (one statement)."""
    return writer.one(_TAKE_MEMBER_SQL, (campaign_id, member_id, limit)) is not None


def insert_redemption(writer: Cursor, r: CouponRedemption) -> None:
    writer.change(
        _INSERT_REDEMPTION_SQL,
        (
            r.id,
            r.code_id,
            r.campaign_id,
            r.member_id,
            r.order_id,
            r.checkout_id,
            r.currency,
            r.discount,
            r.shipping_discount,
            str(r.status),
            r.reason,
            writer.stamp(r.created_at),
            writer.stamp(r.settled_at),
            r.member_counted,
            r.campaign_counted,
        ),
    )


def campaign_by_key(session: Session, key: str) -> CouponCampaign | None:
    return session.scalar(select(CouponCampaign).where(CouponCampaign.key == key))


def campaigns_by_keys(session: Session, keys: Sequence[str]) -> Sequence[CouponCampaign]:
    if not keys:
        return []
    return session.scalars(select(CouponCampaign).where(CouponCampaign.key.in_(keys))).all()


def campaigns(session: Session, *, origin: str | None = None) -> Sequence[CouponCampaign]:
    query = select(CouponCampaign).order_by(CouponCampaign.key)
    if origin is not None:
        query = query.where(CouponCampaign.origin == origin)
    return session.scalars(query).all()


def code_row(session: Session, code: str) -> Row[CouponCode, BatchStatus] | None:
    """The code with its batch's status (None for codes not generated in a batch)."""
    return session.execute(
        select(CouponCode, CouponBatch.status)
        .outerjoin(CouponBatch, CouponBatch.id == CouponCode.batch_id)
        .where(CouponCode.code == code)
    ).first()


def code_by_source(session: Session, source: str) -> CouponCode | None:
    return session.scalar(select(CouponCode).where(CouponCode.source == source))


def code_with_campaign(session: Session, source: str) -> Row[CouponCode, CouponCampaign] | None:
    """The code issued for ``source``, with its campaign."""
    return session.execute(
        select(CouponCode, CouponCampaign)
        .join(CouponCampaign, CouponCampaign.id == CouponCode.campaign_id)
        .where(CouponCode.source == source)
    ).first()


def codes_by_sources(cursor: Cursor, sources: Sequence[str]) -> list[tuple[Any, ...]]:
    """``(source, id, code, campaign_id, valid_until)`` of the codes issued for ``sources``:
    fixed statements, no ORM objects (a campaign's chunk reads thousands)."""
    table = cast(Table, CouponCode.__table__)
    names = ("source", "id", "code", "campaign_id", "valid_until")
    return raw.rows_in(cursor, table, names, "source", sources)


def campaign_names(session: Session, ids: Collection[int]) -> dict[int, dict[str, str]]:
    """The names of the coupon campaigns ``ids``, by id."""
    rows = session.execute(
        select(CouponCampaign.id, CouponCampaign.name).where(CouponCampaign.id.in_(sorted(ids)))
    )
    return {campaign_id: dict(name) for campaign_id, name in rows}


def codes_granted_to(
    session: Session, member_ids: Collection[int]
) -> Sequence[Row[CouponCode, CouponCampaign]]:
    """The members' codes rules granted (source ``rule:<key>:<ref>``), oldest first."""
    wanted = sorted(set(member_ids))
    found: list[Row[CouponCode, CouponCampaign]] = []
    for start in range(0, len(wanted), 500):
        found.extend(
            session.execute(
                select(CouponCode, CouponCampaign)
                .join(CouponCampaign, CouponCampaign.id == CouponCode.campaign_id)
                .where(
                    CouponCode.member_id.in_(wanted[start : start + 500]),
                    CouponCode.source.startswith("rule:", autoescape=True),
                )
                .order_by(CouponCode.id)
            ).all()
        )
    return found


def codes_by_id(session: Session, ids: Collection[int]) -> dict[int, CouponCode]:
    wanted = sorted(set(ids))
    found: dict[int, CouponCode] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            (code.id, code)
            for code in session.scalars(select(CouponCode).where(CouponCode.id.in_(chunk)))
        )
    return found


def shared_code(session: Session, campaign_id: int) -> CouponCode | None:
    """A generic campaign's one code (not generated in a batch, not personal)."""
    return session.scalar(
        select(CouponCode)
        .where(
            CouponCode.campaign_id == campaign_id,
            CouponCode.member_id.is_(None),
            CouponCode.batch_id.is_(None),
        )
        .limit(1)
    )


def existing_codes(session: Session, codes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update(session.scalars(select(CouponCode.code).where(CouponCode.code.in_(chunk))))
    return found


def issued_sources(session: Session, sources: Sequence[str]) -> set[str]:
    """Which of ``sources`` already issued a personal code (PostgreSQL: one statement, the
    sources as one array; an ``IN`` list of thousands costs seconds there)."""
    found: set[str] = set()
    if session.get_bind().dialect.name == "postgresql":
        if sources:
            rows = session.execute(
                text("SELECT source FROM coupon_codes WHERE source = ANY(:sources)"),
                {"sources": list(sources)},
            )
            found.update(row[0] for row in rows)
        return found
    for start in range(0, len(sources), 5_000):
        chunk = sources[start : start + 5_000]
        found.update(
            s
            for s in session.scalars(select(CouponCode.source).where(CouponCode.source.in_(chunk)))
            if s is not None
        )
    return found


def insert_personal_codes(session: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert personal codes (each with its ``source``), skipping any whose code or source
    is already stored; returns the sources of the rows inserted."""
    table = cast(Table, CouponCode.__table__)
    return {row[0] for row in bulk.insert_new_rows(session, table, rows, ["source"])}


def member_codes(session: Session, member_id: int) -> Sequence[Row[CouponCode, CouponCampaign]]:
    return session.execute(
        select(CouponCode, CouponCampaign)
        .join(CouponCampaign, CouponCampaign.id == CouponCode.campaign_id)
        .where(CouponCode.member_id == member_id)
        .order_by(CouponCode.id.desc())
    ).all()


def give_back(session: Session, redemption: CouponRedemption) -> None:
    """Return a use to the code, the member's count and the campaign's count."""
    session.execute(
        update(CouponCode)
        .where(CouponCode.id == redemption.code_id)
        .values(uses=CouponCode.uses - 1)
        .execution_options(synchronize_session=False)
    )
    if redemption.member_counted and redemption.member_id is not None:
        session.execute(
            update(CouponMemberUse)
            .where(
                CouponMemberUse.campaign_id == redemption.campaign_id,
                CouponMemberUse.member_id == redemption.member_id,
            )
            .values(uses=CouponMemberUse.uses - 1)
            .execution_options(synchronize_session=False)
        )
    if redemption.campaign_counted:
        session.execute(
            update(CouponCampaign)
            .where(CouponCampaign.id == redemption.campaign_id)
            .values(redemptions=CouponCampaign.redemptions - 1)
            .execution_options(synchronize_session=False)
        )


def member_uses_before(
    session: Session, member_id: int, *, limit: int, before: keyset.Bound | None
) -> Sequence[Row[CouponRedemption, CouponCampaign]]:
    """The member's uses of codes newest first, those after ``before`` (the timeline)."""
    query = (
        select(CouponRedemption, CouponCampaign)
        .join(CouponCampaign, CouponCampaign.id == CouponRedemption.campaign_id)
        .where(CouponRedemption.member_id == member_id)
    )
    if before is not None:
        query = query.where(
            keyset.condition(before, CouponRedemption.created_at, CouponRedemption.id)
        )
    return session.execute(
        query.order_by(CouponRedemption.created_at.desc(), CouponRedemption.id.desc()).limit(limit)
    ).all()


def redemption_for_update(session: Session, redemption_id: str) -> CouponRedemption | None:
    return session.scalar(
        select(CouponRedemption)
        .where(CouponRedemption.id == redemption_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def redemptions_for(session: Session, checkout_id: str) -> Sequence[CouponRedemption]:
    return session.scalars(
        select(CouponRedemption)
        .where(CouponRedemption.checkout_id == checkout_id)
        .order_by(CouponRedemption.created_at, CouponRedemption.id)
    ).all()


def redemptions_of_checkout(session: Session, checkout_id: str) -> Sequence[CouponRedemption]:
    return session.scalars(
        select(CouponRedemption)
        .where(CouponRedemption.checkout_id == checkout_id)
        .order_by(CouponRedemption.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def count_campaign_uses(session: Session, campaign_id: int) -> int:
    """Uses held by redemptions (redeemed or reserved), now marked as counted."""
    live = (RedemptionStatus.REDEEMED, RedemptionStatus.RESERVED)
    mark = (
        update(CouponRedemption)
        .where(CouponRedemption.campaign_id == campaign_id, CouponRedemption.status.in_(live))
        .values(campaign_counted=True)
        .execution_options(synchronize_session=False)
    )
    session.execute(mark)
    found = session.scalar(
        select(func.count())
        .select_from(CouponRedemption)
        .where(CouponRedemption.campaign_id == campaign_id, CouponRedemption.status.in_(live))
    )
    return int(found or 0)


def campaign_stats(session: Session, campaign_id: int) -> dict[str, int]:
    figures = campaign_figures(session, [campaign_id])[campaign_id]
    return {
        "codes": figures["codes"],
        "uses": figures["uses"],
        "redeemed": figures["redeemed"],
        "discount_given": sum(figures["discount_given"].values()),
    }


def campaign_figures(session: Session, campaign_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """Per campaign, in two grouped reads: its usable codes (``codes``: those of ready
    batches, shared and personal ones), their ``uses``, the codes used at least once
    (``used_codes``), its ``redeemed`` redemptions and the discount they gave per currency
    (``discount_given``, minor units)."""
    ids = sorted(set(campaign_ids))
    found: dict[int, dict[str, Any]] = {
        i: {"codes": 0, "uses": 0, "used_codes": 0, "redeemed": 0, "discount_given": {}}
        for i in ids
    }
    if not ids:
        return found
    codes = session.execute(
        select(
            CouponCode.campaign_id,
            func.count(),
            func.coalesce(func.sum(CouponCode.uses), 0),
            func.coalesce(func.sum(case((CouponCode.uses > 0, 1), else_=0)), 0),
        )
        .select_from(CouponCode)
        .outerjoin(CouponBatch, CouponBatch.id == CouponCode.batch_id)
        .where(
            CouponCode.campaign_id.in_(ids),
            or_(CouponCode.batch_id.is_(None), CouponBatch.status == BatchStatus.READY),
        )
        .group_by(CouponCode.campaign_id)
    )
    for campaign_id, count, uses, used in codes:
        found[campaign_id].update(codes=int(count), uses=int(uses), used_codes=int(used))
    redeemed = session.execute(
        select(
            CouponRedemption.campaign_id,
            CouponRedemption.currency,
            func.count(),
            func.coalesce(func.sum(CouponRedemption.discount), 0),
        )
        .where(
            CouponRedemption.campaign_id.in_(ids),
            CouponRedemption.status == RedemptionStatus.REDEEMED,
        )
        .group_by(CouponRedemption.campaign_id, CouponRedemption.currency)
        .order_by(CouponRedemption.campaign_id, CouponRedemption.currency)
    )
    for campaign_id, currency, count, discount in redeemed:
        figures = found[campaign_id]
        figures["redeemed"] += int(count)
        figures["discount_given"][currency] = int(discount)
    return found


def redemptions_by(
    session: Session, *, code: str | None, order_id: str | None, limit: int
) -> Sequence[Row[CouponRedemption, str, str]]:
    """Redemptions of a stored code or of an order (either given), newest first, with the
    code and its campaign's key."""
    query = (
        select(CouponRedemption, CouponCode.code, CouponCampaign.key)
        .join(CouponCode, CouponCode.id == CouponRedemption.code_id)
        .join(CouponCampaign, CouponCampaign.id == CouponRedemption.campaign_id)
        .order_by(CouponRedemption.created_at.desc(), CouponRedemption.id.desc())
        .limit(limit)
    )
    if code is not None:
        query = query.where(CouponCode.code == code)
    if order_id is not None:
        query = query.where(CouponRedemption.order_id == order_id)
    return session.execute(query).all()


def batch(session: Session, campaign_id: int, batch_id: int) -> CouponBatch | None:
    return session.scalar(
        select(CouponBatch).where(
            CouponBatch.id == batch_id, CouponBatch.campaign_id == campaign_id
        )
    )


# -- bulk generation and export -----------------------------------------------------------
def batch_by_key(session: Session, campaign_id: int, request_key: str) -> CouponBatch | None:
    return session.scalar(
        select(CouponBatch).where(
            CouponBatch.campaign_id == campaign_id, CouponBatch.request_key == request_key
        )
    )


def batch_for_update(session: Session, batch_id: int) -> CouponBatch | None:
    """The batch, locked (PostgreSQL) so two runs resuming it write one chunk at a time."""
    return session.scalar(
        select(CouponBatch)
        .where(CouponBatch.id == batch_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def codes_in_space(session: Session, prefix: str, length: int) -> int:
    """Stored codes of ``length`` characters after ``prefix``: those a pattern could collide
    with (any code, whatever its campaign or batch)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(CouponCode)
            .where(
                func.length(CouponCode.code) == len(prefix) + length,
                CouponCode.code.startswith(prefix, autoescape=True),
            )
        )
        or 0
    )


#: ``insert_codes`` tries a plain ``COPY`` when a chunk is expected to meet fewer stored
#: codes than this; above it (short codes in a crowded space) it goes straight to the
#: insert that skips them.
_COPY_BELOW_EXPECTED_COLLISIONS = 0.1


def insert_codes(
    session: Session,
    *,
    campaign_id: int,
    batch_id: int,
    max_uses: int | None,
    codes: CodeBlock,
    space: int,
) -> int:
    """Insert generated codes (distinct, in byte order), skipping any already stored;
    returns how many were new. ``space`` is how many codes the pattern can make.

    PostgreSQL: one ``COPY`` into ``coupon_codes`` inside a savepoint. A code already
    stored (a unique violation, which aborts the whole ``COPY``) rolls the savepoint back
    and the chunk goes again as ``INSERT … ON CONFLICT (code) DO NOTHING``. The ``COPY`` is
    skipped when the table's row estimate says the chunk would likely collide. SQLite: the
    ``INSERT … ON CONFLICT`` ``executemany`` (its C loop is as fast as it gets there).
    """
    if not len(codes):
        return 0
    table = CouponCode.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name == "postgresql":
        expected = len(codes) * _estimated_rows(session, table.name) / space
        if expected < _COPY_BELOW_EXPECTED_COLLISIONS:
            tail = f"\t{campaign_id}\t{batch_id}\t{_copy_text(max_uses)}\n".encode()
            copied = copy_rows(
                session, table, ("code", "campaign_id", "batch_id", "max_uses"), codes.rows(tail)
            )
            if copied is not None:
                return copied
    return bulk.insert_new_values(
        session,
        table,
        "code",
        codes.texts(),
        {"campaign_id": campaign_id, "batch_id": batch_id, "max_uses": max_uses},
    )


def _copy_text(value: int | None) -> str:
    return "\\N" if value is None else str(value)


def _estimated_rows(session: Session, table: str) -> int:
    """PostgreSQL's estimate of ``table``'s rows (kept by ``ANALYZE`` and autovacuum; 0
    before the first)."""
    found = session.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = CAST(:table AS regclass)"),
        {"table": table},
    ).scalar()
    return max(int(found or 0), 0)


def copy_rows(session: Session, table: Table, columns: Sequence[str], data: bytes) -> int | None:
    """PostgreSQL text ``COPY table (columns) FROM STDIN`` of ``data`` (tab-separated rows,
    each ending in a newline) on the session's connection, in its transaction; returns the
    rows copied, or None when a row broke a unique constraint (then nothing was written:
    the ``COPY`` ran in a savepoint that is rolled back). Other errors are raised as
    SQLAlchemy raises them, so the unit of work's retries see them.

    A generic helper kept here until the bulk writers of ``loyalist.db.bulk`` gather one.
    """
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    # Identifiers come from the table metadata; the rows travel as COPY data.
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with driver.cursor() as cursor:
            cursor.execute("SAVEPOINT copy_rows")
            try:
                with cursor.copy(sql) as copy:
                    copy.write(data)
            except psycopg.errors.UniqueViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT copy_rows")
                cursor.execute("RELEASE SAVEPOINT copy_rows")
                return None
            copied: int = cursor.rowcount
            cursor.execute("RELEASE SAVEPOINT copy_rows")
            return copied
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


def batches(session: Session, campaign_id: int) -> Sequence[CouponBatch]:
    return session.scalars(
        select(CouponBatch).where(CouponBatch.campaign_id == campaign_id).order_by(CouponBatch.id)
    ).all()


#: id, batch_id, code, uses, max_uses, member_id, valid_until
ExportRow = Row[int, int | None, str, int, int | None, int | None, datetime | None]


def export_page(
    session: Session, campaign_id: int, after_id: int, limit: int
) -> Sequence[ExportRow]:
    """Up to ``limit`` of the campaign's usable codes with ``id > after_id``, by id (keyset
    pagination on the ``(campaign_id, id)`` index): codes of ready batches, the shared code
    and personal codes."""
    return session.execute(
        select(
            CouponCode.id,
            CouponCode.batch_id,
            CouponCode.code,
            CouponCode.uses,
            CouponCode.max_uses,
            CouponCode.member_id,
            CouponCode.valid_until,
        )
        .outerjoin(CouponBatch, CouponBatch.id == CouponCode.batch_id)
        .where(
            CouponCode.campaign_id == campaign_id,
            CouponCode.id > after_id,
            or_(CouponCode.batch_id.is_(None), CouponBatch.status == BatchStatus.READY),
        )
        .order_by(CouponCode.id)
        .limit(limit)
    ).all()


def refresh_code_statistics(session: Session) -> None:
    """Let PostgreSQL's planner see a batch that just added many rows at once (before
    autovacuum does): with stale counts it sorts the whole campaign for every export page
    instead of walking the ``(campaign_id, id)`` index. ``coupon_batches`` too (a few rows,
    ~1 ms): never analysed, its default estimate makes the export's join look selective
    enough for that sort (a page of 300,000 codes: ~160 ms instead of ~15 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE coupon_codes"))
        session.execute(text("ANALYZE coupon_batches"))


def rename_redemption_orders(session: Session, refs: dict[str, str]) -> None:
    bulk.replace_values(session, cast(Table, CouponRedemption.__table__), "order_id", refs)


def redeemed_by_source(session: Session, prefix: str) -> list[tuple[int | None, str, int]]:
    """``(code's member, currency, discount incl. shipping)`` of the redeemed uses of codes
    whose source starts with ``prefix``."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = session.execute(
        select(
            CouponCode.member_id,
            CouponRedemption.currency,
            func.sum(CouponRedemption.discount + CouponRedemption.shipping_discount),
        )
        .join(CouponCode, CouponCode.id == CouponRedemption.code_id)
        .where(
            CouponRedemption.status == RedemptionStatus.REDEEMED,
            CouponCode.source.like(pattern, escape="\\"),
        )
        .group_by(CouponCode.member_id, CouponRedemption.currency)
    )
    return [(None if m is None else int(m), str(c), int(d or 0)) for m, c, d in rows]
