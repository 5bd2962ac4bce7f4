"""What the demo does after its shop's history so that every capability the program file
switches on shows working: members take rewards from the catalogue, and a few refer
friends, who sign up with their codes and order. Deterministic for a seed; each step once
per database (an idempotency record guards it), so the demo can run again."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.db import idempotency
from loyalist.db.uow import UnitOfWork
from loyalist.demo.generator import ShopSpec, catalogue
from loyalist.errors import DomainError
from loyalist.ledger.balances import members_with_points
from loyalist.referrals import service as referrals
from loyalist.rewards import catalogue as rewards
from loyalist.rewards import service as redemptions
from loyalist.settings import ProgramPolicy

#: Share of members with points enough who take a reward.
TAKE_SHARE = 0.15
#: Referrers (the shop's first members) and friends each brings.
REFERRERS = 3
FRIENDS_EACH = 2
_FRIEND_NAMES = (
    ("Hannah", "Weber"),
    ("Lukas", "Novak"),
    ("Olga", "Smirnova"),
    ("Marco", "Bianchi"),
    ("Ines", "Duarte"),
    ("Pavel", "Orlov"),
)


def _once(uow: UnitOfWork, key: str, step: Callable[[], int]) -> int:
    if idempotency.find_replay(uow, "demo", key, key) is not None:
        return 0
    done = step()
    idempotency.remember(uow, "demo", key, key, 200, {"done": done})
    return done


def take_rewards(uow: UnitOfWork, program: ProgramPolicy, seed: int) -> int:
    """Some members with points spend them on a catalogue reward they may take (its
    coupon issued to them). Returns the rewards taken (0 without a catalogue)."""

    def step() -> int:
        offered = sorted(rewards.active_rewards(uow), key=lambda r: r.cost_points)
        if not offered:
            return 0
        rng = random.Random(seed)
        taken = 0
        for member_id, available in members_with_points(uow, minimum=offered[0].cost_points):
            if rng.random() >= TAKE_SHARE:
                continue
            affordable = [r for r in offered if 0 < r.cost_points <= available]
            if not affordable:
                continue
            reward = rng.choice(affordable)
            try:
                with uow.session.begin_nested():
                    redemptions.redeem(uow, member_id, reward.key, program)
            except DomainError:
                continue  # gated, out of stock or at its limit: as a real member would be
            taken += 1
        return taken

    return _once(uow, f"rewards:{seed}", step)


def refer_friends(uow: UnitOfWork, spec: ShopSpec, at: datetime) -> int:
    """The shop's first members share their referral codes; their friends sign up with
    them and place a first order now (their referrers are rewarded once the orders can no
    longer be returned). Returns the friends' events applied (0 without an active
    referral program)."""

    def step() -> int:
        config = referrals.current_config(uow)
        if config is None or not config.is_active:
            return 0
        products = catalogue(spec)
        moment = at.isoformat()
        events: list[dict[str, Any]] = []
        for r in range(REFERRERS):
            code = referrals.member_referral(uow, f"C{r + 1:06d}")["code"]
            for f in range(FRIENDS_EACH):
                n = r * FRIENDS_EACH + f
                first, last = _FRIEND_NAMES[n % len(_FRIEND_NAMES)]
                friend = f"F{spec.seed:03d}{n + 1:04d}"
                prefix = f"demo-{spec.seed}-friend-{n + 1}"
                chosen = products[n * 3 : n * 3 + 3]
                lines: list[dict[str, Any]] = [
                    {
                        "sku": p.sku,
                        "name": p.name,
                        "category": p.category,
                        "quantity": 1,
                        "unit_price": p.unit_price,
                    }
                    for p in chosen
                ]
                total = sum(p.unit_price for p in chosen)
                order = {
                    "order_id": f"{friend}-1",
                    "currency": spec.currency,
                    "channel": "web",
                    "lines": lines,
                    "total": total,
                }
                enrolled = {
                    "email": f"{first}.{last}.{spec.seed}@mail.example".lower(),
                    "first_name": first,
                    "last_name": last,
                    "locale": "en",
                    "consents": {"email": True},
                    "referral": {"code": code},
                }
                for kind, data in (
                    ("member.enrolled", enrolled),
                    ("order.placed", order),
                    ("order.paid", {"order_id": order["order_id"]}),
                ):
                    events.append(
                        {
                            "id": f"{prefix}-{kind}",
                            "type": kind,
                            "member_id": friend,
                            "occurred_at": moment,
                            "data": data,
                        }
                    )
        return len(ingest_events(uow, parse_events(events)))

    return _once(uow, f"referrals:{spec.seed}", step)


def show_everything(loyalist: Loyalist, spec: ShopSpec) -> int:
    """After the history: rewards taken, friends referred, their due work done (the
    friends' welcome and order messages). Returns the events applied."""
    loyalist.db.write(lambda uow: take_rewards(uow, loyalist.program, spec.seed))
    applied = loyalist.db.write(lambda uow: refer_friends(uow, spec, loyalist.clock.now()))
    while loyalist.run_due_work(limit=1000).did_work:
        pass
    return applied
