"""Badges, quest rewards and streaks exactly once under concurrent events of one member,
over HTTP, on both databases (on PostgreSQL each request is its own racing transaction)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.gamification.events import BadgeAwarded, QuestCompleted, StreakExtended
from loyalist.gamification.models import MemberBadge, MemberStreak, QuestProgress
from loyalist.ledger.models import Posting
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, send
from tests.integration.test_checkout_concurrency import together

NAME = {"en": "Name", "ru": "Имя"}


@pytest.fixture
def headers(app: Loyalist) -> dict[str, str]:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    return {"Authorization": f"Bearer {token}"}


def define(app: Loyalist, headers: dict[str, str]) -> None:
    bodies = [
        ("/api/v1/badges/first-order", {"name": NAME, "criteria": "member.orders >= 1"}),
        (
            "/api/v1/quests/three-orders",
            {
                "name": NAME,
                "steps": [{"event": "order.paid", "count": 3}],
                "period": {"type": "month"},
                "reward": {"points": 500, "badge": "quester"},
            },
        ),
        ("/api/v1/streaks/weekly", {"name": NAME, "period": "week", "on": ["order.paid"]}),
    ]
    answers = together(app, [("PUT", url, body, headers) for url, body in bodies])
    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]


def stored(app: Loyalist) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        s = uow.session
        return {
            "badges": sorted(s.scalars(select(MemberBadge.badge)).all()),
            "progress": [
                (p.steps, p.completed_at is not None) for p in s.scalars(select(QuestProgress))
            ],
            "quest_points": list(
                s.scalars(select(Posting.amount).where(Posting.reason_code == "earn_quest"))
            ),
            "streaks": [(r.current, r.best) for r in s.scalars(select(MemberStreak))],
            "streak_rows": s.scalar(select(func.count()).select_from(MemberStreak)),
        }

    return app.db.read(op)


@pytest.mark.parametrize("n", [12])
def test_concurrent_orders_of_one_member_grant_each_reward_once(
    app: Loyalist, headers: dict[str, str], n: int
) -> None:
    define(app, headers)
    send(app, event("hello", "member.enrolled", "M1", START))  # exists before the race
    seen: list[Any] = []

    def keep(_uow: UnitOfWork, run: Sequence[Any], _program: ProgramPolicy) -> None:
        seen.extend(run)

    app.subscribe((BadgeAwarded, QuestCompleted, StreakExtended), keep)
    requests = [
        (
            "POST",
            "/api/v1/events",
            event(f"e{i}", "order.paid", "M1", START, **order_body(f"o{i}", ("SKU", 1, 1000))),
            headers,
        )
        for i in range(n)
    ]
    answers = together(app, requests)

    assert Counter(a.status_code for a in answers) == Counter({200: n}) or all(
        a.status_code < 300 for a in answers
    ), [a.text for a in answers if a.status_code >= 300]
    assert stored(app) == {
        "badges": ["first-order", "quester"],
        "progress": [([3], True)],
        "quest_points": [500],
        "streaks": [(1, 1)],
        "streak_rows": 1,
    }
    assert Counter(type(e).__name__ for e in seen) == Counter(
        {"BadgeAwarded": 2, "QuestCompleted": 1, "StreakExtended": 1}
    )
    assert_ledger_consistent(app)


def test_concurrent_custom_events_count_each_step_once_under_the_statistics_lock(
    app: Loyalist, headers: dict[str, str]
) -> None:
    """No rule reacts to ``x.checkin``, so no ledger row serializes these requests: the
    member's statistics row is the only lock (without it, PostgreSQL loses counts)."""
    quest = {
        "name": NAME,
        "steps": [{"event": "x.checkin", "count": 20}],
        "period": {"type": "month"},
        "reward": {"badge": "regular"},
    }
    (answer,) = together(app, [("PUT", "/api/v1/quests/checkins", quest, headers)])
    assert answer.status_code == 201, answer.text
    send(app, event("hello", "member.enrolled", "M1", START))
    requests = [
        ("POST", "/api/v1/events", event(f"c{i}", "x.checkin", "M1", START), headers)
        for i in range(24)
    ]
    answers = together(app, requests)

    assert [a.status_code for a in answers if a.status_code >= 300] == []
    found = stored(app)
    assert (found["badges"], found["progress"]) == (["regular"], [([20], True)])
