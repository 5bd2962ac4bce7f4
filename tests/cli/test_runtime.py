"""``loyalist worker --once``: due work is done in one pass and the command exits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from tests.cli.conftest import Cli
from tests.conftest import event, order_body
from tests.integration.helpers import assert_ledger_consistent, points, send


class TestWorkerOnce:
    def test_matures_points_whose_return_window_has_passed(
        self, cli: Cli, app: Loyalist, clock: ManualClock
    ) -> None:
        # Delivered 39 days before the real now the command runs at: the 30-day return
        # window closed 9 days ago; the points were recorded while it was still open.
        paid_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)
        clock.set(paid_at + timedelta(days=2))
        send(
            app,
            event("p1", "order.placed", "M1", paid_at, **order_body("1043", ("shoe", 2, 5000))),
            event("p2", "order.paid", "M1", paid_at, order_id="1043"),
            event("d1", "order.delivered", "M1", paid_at + timedelta(days=1), order_id="1043"),
        )
        assert (points(app, "M1")["pending"], points(app, "M1")["available"]) == (100, 0)

        result = cli.run("worker", "--once")

        assert result.code == 0, result.stderr
        assert "matured 100 points" in result.stderr
        balance = points(app, "M1")
        assert (balance["pending"], balance["available"]) == (0, 100)
        assert balance["next_expiry"] is not None
        assert_ledger_consistent(app)
