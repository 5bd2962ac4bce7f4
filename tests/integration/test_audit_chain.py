"""The audit trail's hash chain: rows appended in the caller's transaction, one after
another, each hash covering the previous row."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from sqlalchemy import select

from loyalist.audit import service as audit
from loyalist.audit.models import SYSTEM, Actor, ActorKind, AuditRecord
from loyalist.audit.policy import GENESIS, row_hash
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock


def _fields(row: AuditRecord) -> dict[str, object]:
    names = (
        *("seq", "at", "actor_kind", "actor_id", "actor_label", "action", "target_type"),
        *("target_id", "member_id", "before", "after", "reason", "ip", "request_id"),
    )
    return {name: getattr(row, name) for name in names}


def test_rows_chain_in_order_and_roll_back_with_their_change(
    app: Loyalist, clock: ManualClock
) -> None:
    staff = Actor(ActorKind.STAFF, id="7", label="Ann", ip="10.1.2.3", request_id="r1")
    app.db.write(lambda uow: audit.record(uow, SYSTEM, "program.applied", after={"v": 1}))
    clock.advance(timedelta(seconds=1))
    app.db.write(
        lambda uow: audit.record(
            uow,
            staff,
            "pii.read",
            target_type="member",
            target_id="m1",
            member_id=1,
            reason="customer called",
        )
    )

    def fails(uow: object) -> None:
        audit.record(uow, SYSTEM, "never.kept")  # type: ignore[arg-type]
        raise RuntimeError("the change fails")

    with contextlib.suppress(RuntimeError):
        app.db.write(fails)
    rows = app.db.read(
        lambda uow: [
            _fields(row) | {"prev_hash": row.prev_hash, "hash": row.hash}
            for row in uow.session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
        ]
    )
    assert [row["action"] for row in rows] == ["program.applied", "pii.read"]
    prev = GENESIS
    for row in rows:
        stored_prev, stored = row.pop("prev_hash"), row.pop("hash")
        assert stored_prev == prev
        assert stored == row_hash(prev, row)
        prev = stored
    assert rows[1]["ip"] == "10.1.2.3"
    assert rows[1]["reason"] == "customer called"


def test_many_rows_in_one_statement_chain_after_the_rows_before_them(app: Loyalist) -> None:
    app.db.write(lambda uow: audit.record(uow, SYSTEM, "program.applied"))

    seqs = app.db.write(
        lambda uow: audit.record_many(
            uow,
            SYSTEM,
            "privacy.erasure",
            [{"member_id": m, "target_type": "member", "after": {"n": m}} for m in (5, 6)],
        )
    )
    app.db.write(lambda uow: audit.record(uow, SYSTEM, "program.applied"))

    rows = app.db.read(
        lambda uow: [
            _fields(row) | {"prev_hash": row.prev_hash, "hash": row.hash}
            for row in uow.session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
        ]
    )
    assert seqs == [2, 3]
    assert [(row["action"], row["member_id"]) for row in rows] == [
        ("program.applied", None),
        ("privacy.erasure", 5),
        ("privacy.erasure", 6),
        ("program.applied", None),
    ]
    prev = GENESIS
    for row in rows:
        stored_prev, stored = row.pop("prev_hash"), row.pop("hash")
        assert stored_prev == prev
        assert stored == row_hash(prev, row)
        prev = stored
