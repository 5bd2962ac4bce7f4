"""The rewards' due work: rewards whose coupon expired are refunded or settled."""

from __future__ import annotations

from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.rewards import repository
from loyalist.rewards.models import RewardRedemptionStatus
from loyalist.settings import ProgramPolicy


def refund_expired(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Settle up to ``limit`` issued rewards whose coupon expired: an unused coupon of a
    reward with ``refund_unused`` gives its points back (at once, reason
    ``reward_refunded``) and the redemption becomes ``refunded``; any other becomes
    ``expired`` and keeps its points. Each is settled once (its status leaves ``issued``
    under a row lock); several workers may run at once on PostgreSQL (rows and members
    another holds are skipped). The refund policy in force at expiry decides.

    Returns how many rewards were settled (call until 0).
    """
    due = repository.due_redemptions(uow.session, uow.now, limit)
    if not due:
        return 0
    held = set(ledger.lock(uow, sorted({r.member_id for r in due}), skip_locked=True))
    due = [r for r in due if r.member_id in held]
    rewards = repository.rewards_by_id(uow.session, [r.reward_id for r in due])
    codes = coupons.codes_by_id(uow, [r.code_id for r in due])
    for redemption in due:
        reward = rewards[redemption.reward_id]
        code = codes.get(redemption.code_id)
        unused = code is not None and code.uses == 0
        if reward.refund_unused and unused and redemption.points > 0:
            ledger.refund_spent_points(
                uow,
                redemption.member_id,
                redemption.points,
                program,
                reason_code="reward_refunded",
                reason_params={"reward": reward.key, "name": reward.name},
            )
            redemption.status = RewardRedemptionStatus.REFUNDED
            redemption.refunded_at = uow.now
        else:
            redemption.status = RewardRedemptionStatus.EXPIRED
    uow.session.flush()
    return len(due)
