"""``loyalist ledger verify``: a balance that disagrees with the postings fails the check."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from loyalist.bootstrap import Loyalist
from tests.cli.conftest import Cli
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, send


class TestVerify:
    def test_balance_changed_behind_the_ledger_exits_1_naming_member(
        self, cli: Cli, app: Loyalist
    ) -> None:
        body = order_body("1043", ("shoe", 2, 5000))
        send(
            app,
            event("p1", "order.placed", "M1", START, **body),
            event("p2", "order.paid", "M1", START + timedelta(minutes=3), order_id="1043"),
        )
        assert_ledger_consistent(app)
        pk = member_pk(app, "M1")
        with app.db.write_engine.begin() as conn:
            conn.execute(
                text("UPDATE member_points SET available = available + 1 WHERE member_id = :m"),
                {"m": pk},
            )

        result = cli.run("ledger", "verify")

        assert result.code == 1, result.stdout + result.stderr
        problems = [line for line in result.stdout.splitlines() if line.startswith("✗")]
        assert any(f"member {pk}:" in line and "available" in line for line in problems)
        assert "ledger consistent" not in result.stdout
