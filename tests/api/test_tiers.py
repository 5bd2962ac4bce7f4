"""The tier route: current tier, perks, window, progress text in en and ru, history, 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from loyalist.activities.events import ActivityRecorded
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.staff.models import Scope
from loyalist.tiers.service import TierBook, apply_program
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import START
from tests.integration.test_tiers import PROGRAM

V1 = "/api/v1"
TIER_PATH = f"{V1}/members/{{member_id}}/tier"


def _member(
    client: TestClient, admin: dict[str, str], app: Loyalist, member: str, **profile: Any
) -> int:
    assert client.put(f"{V1}/members/{member}", json=profile, headers=admin).status_code == 201

    def op(uow: UnitOfWork) -> int:
        apply_program(uow, PROGRAM)
        return members.get_member_id(uow, member)

    return app.db.write(op)


def _pay(app: Loyalist, pk: int, order_id: str, amount: int) -> None:
    app.db.write(
        lambda uow: TierBook.of(uow, UTC).record_order_paid(
            pk, order_id, "EUR", amount, amount // 100, START
        )
    )


def _tier(client: TestClient, admin: dict[str, str], member: str = "M1", **query: str) -> Any:
    response = client.get(f"{V1}/members/{member}/tier", params=query, headers=admin)
    assert response.status_code == 200, response.text
    return response.json()


class TestTier:
    def test_shows_tier_window_progress_and_what_the_next_tier_needs(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        pk = _member(client, admin, app, "M1")
        _pay(app, pk, "o1", 12000)
        body = _tier(client, admin)
        assert body["tier"] == {"key": "member", "name": "Member"}
        assert body["source"] == "qualified"
        assert body["window"] == {
            "kind": "calendar_year",
            "starts_at": "2026-01-01T00:00:00Z",
            "ends_at": "2027-01-01T00:00:00Z",
            "last_day": "2026-12-31",
        }
        assert body["progress"] == {"spend": 12000, "points": 120, "orders": 1}
        assert body["next_tier"] == {
            "tier": {"key": "silver", "name": "Silver"},
            "needs": {"spend": 8000, "points": None, "orders": 4},
            "by": "2026-12-31",
        }
        assert body["text"] == "€80 or 4 orders to Silver by 31 Dec"
        assert body["locale"] == "en"

    def test_speaks_the_members_language(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        pk = _member(client, admin, app, "M1", locale="ru")
        _pay(app, pk, "o1", 12000)
        body = _tier(client, admin)
        assert body["tier"]["name"] == "Участник"
        assert body["text"] == "80\u00a0€ или 4 заказа до уровня «Серебро» — успейте до 31 декабря"
        assert _tier(client, admin, locale="en")["text"] == "€80 or 4 orders to Silver by 31 Dec"

    def test_answers_in_russian_when_asked(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        _member(client, admin, app, "M1")
        body = _tier(client, admin, locale="ru-RU")
        assert body["locale"] == "ru"
        assert body["text"] == (
            "200\u00a0€ или 5 заказов до уровня «Серебро» — успейте до 31 декабря"
        )

    def test_shows_perks_history_and_the_next_review_after_an_upgrade(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        pk = _member(client, admin, app, "M1")
        _pay(app, pk, "o1", 60000)
        body = _tier(client, admin)
        assert body["tier"]["key"] == "gold"
        assert body["since"] == "2026-01-15T12:00:00Z"
        assert body["review_at"] == "2027-01-31T00:00:00Z"
        assert body["keeps_tier_at_review"] is True
        assert body["perks"] == {
            "earning_multiplier": "1.5",
            "free_shipping": True,
            "flags": {"lounge": True, "support": "priority"},
            "rewards": ["gold-gift"],
        }
        assert body["next_tier"] is None  # plus is only for paying members
        assert body["text"] == "Gold is the top tier"
        assert [(h["from_tier"], h["to_tier"], h["reason"]) for h in body["history"]] == [
            ("member", "gold", "qualified")
        ]

    def test_shows_a_paid_plan_and_its_tier(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        pk = _member(client, admin, app, "M1")
        end = START + timedelta(days=30)
        started = ActivityRecorded(
            pk,
            "M1",
            "ms-started",
            "membership.started",
            START,
            {"membership_id": "ms-1", "plan": "plus-monthly", "period_end": end},
        )
        app.db.write(lambda uow: TierBook.of(uow, UTC).record_activity(started))
        body = _tier(client, admin)
        assert (body["tier"]["key"], body["source"]) == ("plus", "membership")
        assert body["qualified_tier"]["key"] == "member"
        assert body["membership"] == {
            "membership_id": "ms-1",
            "plan": "plus-monthly",
            "tier": "plus",
            "status": "active",
            "period_end": "2026-02-14T12:00:00Z",
            "ends_at": "2026-02-14T12:00:00Z",
        }
        assert body["perks"]["free_shipping"] is True

    def test_without_a_program_has_no_tier_and_no_text(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{V1}/members/M1", json={}, headers=admin)
        body = _tier(client, admin)
        assert (body["tier"], body["source"], body["text"], body["next_tier"]) == (
            None,
            "none",
            None,
            None,
        )

    def test_answers_404_for_an_unknown_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(f"{V1}/members/nobody/tier", headers=admin)
        assert_problem(response, 404, "member_not_found")

    def test_needs_the_members_read_scope(
        self, client: TestClient, admin: dict[str, str], keys: Keys
    ) -> None:
        client.put(f"{V1}/members/M1", json={}, headers=admin)
        denied = client.get(f"{V1}/members/M1/tier", headers=bearer(keys.of(Scope.POINTS_READ)))
        assert_problem(denied, 403, "permission_denied")
        allowed = client.get(f"{V1}/members/M1/tier", headers=bearer(keys.of(Scope.MEMBERS_READ)))
        assert allowed.status_code == 200


def test_reads_without_writing(
    client: TestClient, admin: dict[str, str], app: Loyalist, clock: ManualClock
) -> None:
    """A review due but not yet run shows in the answer; the database is left as it was."""
    pk = _member(client, admin, app, "M1")
    _pay(app, pk, "o1", 60000)
    clock.set(datetime(2028, 2, 1, tzinfo=UTC))
    assert _tier(client, admin)["tier"]["key"] == "silver"
    assert app.db.read(lambda uow: TierBook(uow, UTC, lock=False).snapshot(pk).index) == 1
    assert len(_tier(client, admin)["history"]) == 1  # the review was not stored
