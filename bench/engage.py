"""``bench/ingest.py --engage``: a referral program, badges, quests, a streak and levels
switched on, and a share of sign-ups arriving with a friend's referral code.

Set-up is not timed; it goes through the same services the API uses.
"""

from __future__ import annotations

import random
from typing import Any

import orjson

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind
from loyalist.gamification.schemas import BadgeSpec, LevelSpec, QuestSpec, StreakSpec
from loyalist.members import service as members
from loyalist.referrals import service as referrals
from loyalist.referrals.schemas import ReferralProgramIn

#: Share of the second half of sign-ups that carries a referral code of the first half.
REFERRED_SHARE = 0.4

PROGRAM = {
    "friend_reward": {"points": 100, "on": "enrolled"},
    "referrer_reward": {"points": 300},
    "min_order": {"EUR": 2000},
    "milestones": [{"every": 3, "reward": {"points": 500}}],
    "cap": {"max_rewarded": 20, "per": "year"},
}

DEFINITIONS: list[tuple[DefinitionKind, str, dict[str, Any]]] = [
    (
        DefinitionKind.BADGE,
        "first-order",
        {
            "name": {"en": "First order", "ru": "Первый заказ"},
            "criteria": "member.orders >= 1",
            "on": ["order.paid"],
        },
    ),
    (
        DefinitionKind.BADGE,
        "three-categories",
        {
            "name": {"en": "Explorer", "ru": "Исследователь"},
            "criteria": "member.category_count >= 3",
            "on": ["order.paid"],
        },
    ),
    (
        DefinitionKind.QUEST,
        "three-orders-a-month",
        {
            "name": {"en": "Three orders this month", "ru": "Три заказа в этом месяце"},
            "steps": [{"event": "order.paid", "count": 3}],
            "period": {"type": "month"},
            "reward": {"points": 200},
        },
    ),
    (
        DefinitionKind.QUEST,
        "big-basket-week",
        {
            "name": {"en": "A big basket this week", "ru": "Большая корзина на этой неделе"},
            "steps": [
                {"event": "order.paid", "condition": "event.data.amount >= 10000"},
            ],
            "period": {"type": "week"},
            "reward": {"points": 50},
        },
    ),
    (
        DefinitionKind.STREAK,
        "monthly-shopper",
        {
            "name": {"en": "Monthly shopper", "ru": "Покупки каждый месяц"},
            "period": "month",
            "on": ["order.paid"],
        },
    ),
    (
        DefinitionKind.LEVEL,
        "bronze",
        {"name": {"en": "Bronze", "ru": "Бронза"}, "points": 0},
    ),
    (
        DefinitionKind.LEVEL,
        "silver",
        {"name": {"en": "Silver", "ru": "Серебро"}, "points": 1000},
    ),
]

_SPECS: dict[DefinitionKind, type[BadgeSpec | QuestSpec | StreakSpec | LevelSpec]] = {
    DefinitionKind.BADGE: BadgeSpec,
    DefinitionKind.QUEST: QuestSpec,
    DefinitionKind.STREAK: StreakSpec,
    DefinitionKind.LEVEL: LevelSpec,
}


def switch_on(app: Loyalist) -> int:
    """Store the referral program and the definitions; returns how many definitions."""

    def op(uow: UnitOfWork) -> int:
        referrals.put_program(uow, ReferralProgramIn.model_validate(PROGRAM), who="bench")
        for kind, key, body in DEFINITIONS:
            gamification.put_definition(uow, kind, key, _SPECS[kind].model_validate(body))
        return len(DEFINITIONS)

    return app.db.write(op)


def refer(app: Loyalist, referrers: list[bytes], friends: list[bytes], seed: int) -> list[bytes]:
    """Give every referrer (already enrolled) a code, and put a referrer's code (with a
    device signal of the friend's own) on ``REFERRED_SHARE`` of the friends' sign-ups."""
    external = [orjson.loads(raw)["member_id"] for raw in referrers]

    def op(uow: UnitOfWork) -> list[str]:
        ids = members.member_ids(uow, external)
        return [referrals.ensure_code(uow, ids[ext], None).code for ext in external if ext in ids]

    codes = app.db.write(op)
    rng = random.Random(seed)
    out: list[bytes] = []
    for raw in friends:
        event = orjson.loads(raw)
        if codes and rng.random() < REFERRED_SHARE:
            event["data"]["referral"] = {"code": rng.choice(codes)}
            event["data"]["signals"] = {
                "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                "device_id": f"dev-{event['member_id']}",
            }
        out.append(orjson.dumps(event))
    return out
