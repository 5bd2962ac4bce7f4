"""The rewards domain's reactions to lower domains' events: rules granting rewards."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.db.uow import UnitOfWork
from loyalist.rewards import service
from loyalist.rules.events import RewardGranted
from loyalist.settings import ProgramPolicy


def on_reward_granted(
    uow: UnitOfWork, events: Sequence[RewardGranted], program: ProgramPolicy
) -> None:
    """Issue what ``reward`` effects granted, once per rule, occurrence and reward."""
    service.grant_rewards(
        uow,
        [
            service.Grant(e.member_id, e.reward, f"rule:{e.rule_key}:{e.ref}:{e.reward}")
            for e in events
        ],
    )
