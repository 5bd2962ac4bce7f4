"""Gamification and referrals react per batch (one load of the members' state, one write
per table) with the outcome of the same events fed one per unit (both databases)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.gamification.models import (
    DefinitionKind,
    MemberBadge,
    MemberGameStats,
    MemberStreak,
    QuestProgress,
)
from loyalist.gamification.schemas import BadgeSpec, QuestSpec, StreakSpec
from loyalist.ledger.models import Posting
from loyalist.members.models import Member
from loyalist.referrals.models import Referral
from tests.conftest import START, emptied_tables, event, order_body
from tests.integration.helpers import send
from tests.integration.test_referrals import code_of, configure, enrol

NAME = {"en": "Name", "ru": "Имя"}
REFERRERS = ("R0", "R1")
FRIENDS = ("F0", "F1", "F2", "F3")
CATEGORIES = ("shoes", "hats", "bags")
DEFINITIONS: list[tuple[DefinitionKind, str, Any]] = [
    (
        DefinitionKind.BADGE,
        "first-order",
        BadgeSpec.model_validate(
            {"name": NAME, "criteria": "member.orders >= 1", "on": ["order.paid"]}
        ),
    ),
    (
        DefinitionKind.BADGE,
        "explorer",
        BadgeSpec.model_validate({"name": NAME, "criteria": "member.category_count >= 3"}),
    ),
    (
        DefinitionKind.BADGE,
        "quester",
        BadgeSpec.model_validate({"name": NAME, "criteria": "member.quests >= 1"}),
    ),
    (
        DefinitionKind.QUEST,
        "two-orders-a-month",
        QuestSpec.model_validate(
            {
                "name": NAME,
                "steps": [{"event": "order.paid", "count": 2}],
                "period": {"type": "month"},
                "reward": {"points": 200},
            }
        ),
    ),
    (
        DefinitionKind.QUEST,
        "big-basket-week",
        QuestSpec.model_validate(
            {
                "name": NAME,
                "steps": [{"event": "order.paid", "condition": "event.data.amount >= 10000"}],
                "period": {"type": "week"},
                "reward": {"points": 50, "badge": "big-spender"},
            }
        ),
    ),
    (
        DefinitionKind.QUEST,
        "bring-a-friend",
        QuestSpec.model_validate(
            {
                "name": NAME,
                "steps": [{"event": "referral.attributed"}],
                "period": {"type": "month"},
                "reward": {"points": 70},
            }
        ),
    ),
    (
        DefinitionKind.STREAK,
        "weekly",
        StreakSpec.model_validate({"name": NAME, "period": "week", "on": ["order.paid"]}),
    ),
]

#: A friend's sign-up: with a referrer's code (by index) or none, and a device signal.
signup_st = st.tuples(st.sampled_from([None, 0, 1]), st.sampled_from(["d1", "d2", "d3"]))
#: A paid order: ``(member, days before now, amount, category, cancelled)``.
order_st = st.tuples(
    st.sampled_from(REFERRERS + FRIENDS),
    st.integers(min_value=1, max_value=40),
    st.sampled_from([3_000, 6_000, 12_000]),
    st.sampled_from(CATEGORIES),
    st.booleans(),
)
history_st = st.fixed_dictionaries(
    {
        "signups": st.lists(signup_st, min_size=len(FRIENDS), max_size=len(FRIENDS)),
        "orders": st.lists(order_st, min_size=1, max_size=10),
        "batch": st.integers(min_value=2, max_value=40),
    }
)


def _empty(uow: UnitOfWork) -> None:
    for table in emptied_tables():
        uow.session.execute(delete(table))


def _define(uow: UnitOfWork) -> None:
    for kind, key, spec in DEFINITIONS:
        gamification.put_definition(uow, kind, key, spec)


def _set_up(app: Loyalist) -> dict[str, str]:
    """A fresh program: the definitions, the referral program and the referrers with
    their codes (new ones each time: codes are random)."""
    app.db.write(_empty)
    app.db.write(_define)
    configure(app, min_order={"EUR": 5000}, milestones=[{"every": 2, "reward": {"points": 30}}])
    codes = {}
    for referrer in REFERRERS:
        enrol(app, referrer, START - timedelta(days=60))
        codes[referrer] = str(code_of(app, referrer)["code"])
    return codes


def _events(drawn: dict[str, Any], codes: dict[str, str]) -> list[dict[str, Any]]:
    """The friends' sign-ups, then the orders in time order (a cancellation an hour after
    its payment)."""
    events = []
    for n, (friend, (referrer, device)) in enumerate(zip(FRIENDS, drawn["signups"], strict=True)):
        data: dict[str, Any] = {"signals": {"device_id": device, "ip": f"10.0.0.{n}"}}
        if referrer is not None:
            data["referral"] = {"code": codes[REFERRERS[referrer]]}
        events.append(
            event(f"e-{friend}", "member.enrolled", friend, START - timedelta(45), **data)
        )
    timed = []
    for n, (member, days, amount, category, cancelled) in enumerate(drawn["orders"]):
        at = START - timedelta(days=days, minutes=n)
        body = order_body(f"o{n}", ("SKU", 1, amount))
        body["lines"][0]["category"] = category
        timed.append((at, event(f"p{n}", "order.paid", member, at, **body)))
        if cancelled:
            later = at + timedelta(hours=1)
            timed.append(
                (later, event(f"c{n}", "order.cancelled", member, later, order_id=f"o{n}"))
            )
    timed.sort(key=lambda pair: pair[0])
    return events + [e for _, e in timed]


def _outcome(app: Loyalist) -> dict[str, Any]:
    """Everything gamification and referrals decided, by external member id."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        s = uow.session
        ext = {int(m): str(e) for m, e in s.execute(select(Member.id, Member.external_id))}
        stats = {
            ext[r.member_id]: (
                r.orders_count,
                r.spend,
                sorted(r.categories or []),
                r.referrals_count,
                r.quests_count,
                r.badges_count,
                r.last_order_at,
            )
            for r in s.scalars(select(MemberGameStats))
        }
        badges = sorted(
            (ext[b.member_id], b.badge, b.source) for b in s.scalars(select(MemberBadge))
        )
        progress = sorted(
            (ext[p.member_id], p.quest, p.period, list(p.steps), p.completed_at is not None)
            for p in s.scalars(select(QuestProgress))
        )
        streaks = sorted(
            (ext[r.member_id], r.streak, r.current, r.best, r.last_period)
            for r in s.scalars(select(MemberStreak))
        )
        referrals = sorted(
            (
                ext[r.friend_id],
                ext[r.referrer_id],
                r.status,
                r.order_id,
                r.is_friend_rewarded,
                [c["rule"] for c in r.checks],
            )
            for r in s.scalars(select(Referral))
        )
        postings = sorted(
            (ext[p.member_id], p.kind, p.amount, p.reason_code, p.order_ref or "")
            for p in s.scalars(select(Posting))
        )
        return {
            "stats": stats,
            "badges": badges,
            "progress": progress,
            "streaks": streaks,
            "referrals": referrals,
            "postings": postings,
        }

    return app.db.read(op)


def test_a_batch_decides_what_the_same_events_one_per_unit_decide(app: Loyalist) -> None:
    @settings(
        max_examples=10 if app.db.is_sqlite else 6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(drawn=history_st)
    def check(drawn: dict[str, Any]) -> None:
        events = _events(drawn, _set_up(app))
        size = drawn["batch"]
        for start in range(0, len(events), size):
            send(app, *events[start : start + size])
        batched = _outcome(app)

        events = _events(drawn, _set_up(app))
        for one in events:
            send(app, one)
        assert _outcome(app) == batched
        assert batched["stats"], "gamification reacted"

    check()
