"""``verify_chain`` finds the first row that was edited, deleted or inserted; PostgreSQL
refuses UPDATE and DELETE on the trail; retention deletes old rows from the front and the
chain still verifies from the anchor it records."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from loyalist.audit import service as audit
from loyalist.audit.jobs import prune_audit
from loyalist.audit.models import Actor, ActorKind
from loyalist.audit.policy import row_hash
from loyalist.audit.verification import ChainBreak, verify_chain
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.settings import AuditSettings, Settings
from tests.auditing import audit_rows

_STAFF = Actor(ActorKind.STAFF, id="7", label="Ann", ip="10.1.2.3", request_id="r1")


def _change(number: int, uow: UnitOfWork) -> None:
    audit.record(
        uow, _STAFF, "rule.changed", target_type="rule", target_id=f"r{number}",
        before={"n": number}, after={"n": number + 1, "at": uow.now},
    )  # fmt: skip


def _record(app: Loyalist, count: int, clock: ManualClock | None = None) -> None:
    for number in range(count):
        app.db.write(functools.partial(_change, number))
        if clock is not None:
            clock.advance(timedelta(days=1))


@contextmanager
def _tampering(app: Loyalist) -> Iterator[Connection]:
    """A connection that may change the trail: on PostgreSQL its trigger is disabled for
    the transaction (as the table's owner could), on SQLite nothing guards it."""
    engine = create_engine(app.settings.effective_database_url)
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        yield conn
        if postgres:
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    engine.dispose()


def _verify(app: Loyalist) -> tuple[int, ChainBreak | None]:
    report = app.db.read(verify_chain)
    return report.verified, report.broken


class TestVerify:
    def test_an_untouched_chain_verifies_every_row(self, app: Loyalist) -> None:
        _record(app, 5)

        report = app.db.read(verify_chain)

        assert (report.verified, report.first_seq, report.last_seq, report.broken) == (
            5, 1, 5, None,
        )  # fmt: skip

    def test_an_empty_trail_verifies(self, app: Loyalist) -> None:
        assert _verify(app) == (0, None)

    def test_finds_an_edited_row(self, app: Loyalist) -> None:
        _record(app, 5)
        with _tampering(app) as conn:
            conn.execute(text("UPDATE audit_log SET target_id = 'forged' WHERE seq = 3"))

        verified, broken = _verify(app)

        assert verified == 2
        assert broken is not None
        assert (broken.seq, broken.kind) == (3, "edited")

    def test_finds_a_row_rewritten_with_a_fresh_hash_at_the_next_row(self, app: Loyalist) -> None:
        _record(app, 5)
        row = audit_rows(app)[2]
        fields = {k: v for k, v in row.items() if k not in ("prev_hash", "hash")}
        forged = row_hash(row["prev_hash"], fields | {"target_id": "forged"})
        with _tampering(app) as conn:
            conn.execute(
                text("UPDATE audit_log SET target_id = 'forged', hash = :h WHERE seq = 3"),
                {"h": forged},
            )

        assert _verify(app)[1] == ChainBreak(
            4, "inserted", "it does not chain from row 3 (a row was replaced or put in between)"
        )

    def test_finds_a_deleted_row(self, app: Loyalist) -> None:
        _record(app, 5)
        with _tampering(app) as conn:
            conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))

        verified, broken = _verify(app)

        assert verified == 1
        assert broken == ChainBreak(3, "deleted", "row 2 before it is missing")

    def test_finds_the_newest_rows_deleted_and_the_oldest_deleted_without_retention(
        self, app: Loyalist
    ) -> None:
        _record(app, 5)
        with _tampering(app) as conn:
            conn.execute(text("DELETE FROM audit_log WHERE seq >= 4"))
        assert _verify(app) == (
            3,
            ChainBreak(4, "deleted", "rows after 3 up to the head (5) are missing"),
        )
        with _tampering(app) as conn:
            conn.execute(text("DELETE FROM audit_log WHERE seq = 1"))
        assert _verify(app)[1] == ChainBreak(
            2, "deleted", "rows before 2 are missing and no retention record vouches for it"
        )

    def test_finds_a_row_inserted_after_the_head(self, app: Loyalist) -> None:
        _record(app, 3)
        row = audit_rows(app)[-1]
        fields = {k: v for k, v in row.items() if k not in ("prev_hash", "hash")}
        fields |= {"seq": 4, "target_id": "forged"}
        with _tampering(app) as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_label, action,"
                    " target_type, target_id, prev_hash, hash) VALUES (4, :at, 'staff', '7',"
                    " 'Ann', 'rule.changed', 'rule', 'forged', :prev, :hash)"
                ),
                {
                    "at": row["at"].isoformat(" ") if conn.dialect.name == "sqlite" else row["at"],
                    "prev": row["hash"],
                    "hash": "f" * 64,
                },
            )

        verified, broken = _verify(app)

        assert verified == 3
        assert broken is not None
        assert (broken.seq, broken.kind) == (4, "edited")


class TestPostgresTrigger:
    def test_refuses_update_and_delete_unless_retention_deletes(
        self, app: Loyalist, db_url: str
    ) -> None:
        if not db_url.startswith("postgresql"):
            pytest.skip("SQLite has no triggers guarding the trail (verify finds changes)")
        _record(app, 2)
        engine = create_engine(app.settings.effective_database_url)
        refused = []
        for statement in (
            "UPDATE audit_log SET reason = 'x' WHERE seq = 1",
            "DELETE FROM audit_log WHERE seq = 1",
        ):
            with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
                conn.execute(text(statement))
            refused.append(type(caught.value.orig).__name__)
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL loyalist.audit_retention = 'on'"))
            with pytest.raises(DBAPIError), conn.begin_nested():
                conn.execute(text("UPDATE audit_log SET reason = 'x' WHERE seq = 1"))
        engine.dispose()

        assert refused == ["InsufficientPrivilege", "InsufficientPrivilege"]
        assert [row["seq"] for row in audit_rows(app)] == [1, 2]
        assert _verify(app) == (2, None)


class TestRetention:
    def test_deletes_rows_older_than_the_period_and_the_rest_still_verifies(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _record(app, 6, clock)  # one a day: days 0..5, now is day 6

        deleted = app.db.write(lambda uow: prune_audit(uow, 3, 1_000))

        rows = audit_rows(app)
        assert deleted == 3
        assert [row["seq"] for row in rows] == [4, 5, 6, 7]
        assert rows[-1]["action"] == "audit.retention"
        assert rows[-1]["after"] == {
            "first_kept_seq": 4,
            "anchor": rows[0]["prev_hash"],
            "deleted_count": 3,
            "retention_days": 3,
        }
        assert _verify(app) == (4, None)
        assert app.db.write(lambda uow: prune_audit(uow, 3, 1_000)) == 0

    def test_deletes_in_bounded_passes_each_vouched_for(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _record(app, 6, clock)

        passes = [app.db.write(lambda uow: prune_audit(uow, 1, 2)) for _ in range(4)]

        assert passes == [2, 2, 1, 0]
        assert [row["action"] for row in audit_rows(app)][-3:] == ["audit.retention"] * 3
        assert _verify(app)[1] is None

    def test_deleting_every_old_row_keeps_the_retention_record_as_the_chain_start(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _record(app, 3, clock)
        clock.advance(timedelta(days=30))

        assert app.db.write(lambda uow: prune_audit(uow, 7, 1_000)) == 3

        assert [row["action"] for row in audit_rows(app)] == ["audit.retention"]
        assert _verify(app) == (1, None)

    def test_the_due_job_follows_the_setting_and_keeps_everything_by_default(
        self, app: Loyalist, clock: ManualClock, db_url: str
    ) -> None:
        _record(app, 3, clock)
        clock.advance(timedelta(days=30))

        kept = app.run_due_work().done["audit_retention"]
        pruning = Loyalist(
            settings=Settings(database_url=db_url, audit=AuditSettings(retention_days=10)),
            clock=clock,
            keyring=app.keyring,
        )
        try:
            pruned = pruning.run_due_work().done["audit_retention"]
        finally:
            pruning.close()

        assert (kept, pruned) == (0, 3)
        assert _verify(app) == (1, None)
