"""``loyalist audit verify``: the number of rows verified, or the first broken row and exit
1 (an edited row is caught on both databases; on PostgreSQL the test disables the trail's
trigger as the table's owner could)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from loyalist.audit import service as audit
from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from tests.cli.conftest import Cli


def _record(app: Loyalist, count: int) -> None:
    actor = Actor(ActorKind.STAFF, id="7", label="Ann", ip="10.1.2.3")

    def op(uow: UnitOfWork) -> None:
        for number in range(count):
            audit.record(uow, actor, "pii.read", target_type="member", target_id=f"m{number}")

    app.db.write(op)


def test_reports_the_rows_verified(cli: Cli, app: Loyalist) -> None:
    _record(app, 4)

    result = cli.run("audit", "verify")

    assert result.code == 0, result.stderr
    assert "audit chain verified: 4 rows (rows 1–4)" in result.stdout


def test_an_edited_row_is_reported_with_exit_1(cli: Cli, app: Loyalist, db_url: str) -> None:
    _record(app, 4)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("UPDATE audit_log SET target_id = 'm99' WHERE seq = 3"))
        if postgres:
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    engine.dispose()

    result = cli.run("audit", "verify")

    assert result.code == 1, result.stdout + result.stderr
    assert "audit row 3: edited (its content does not match its hash); 2 rows before it" in (
        result.stdout
    )
