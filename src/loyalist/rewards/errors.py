"""Problems of the rewards catalogue and of redeeming a reward (a ``Refusal`` names one of
the redemption problems, or the ledger's ``InsufficientPointsError``)."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class RewardNotFoundError(NotFoundError):
    """No reward has the key asked for."""

    code = "reward_not_found"


class RewardCampaignTakenError(ConflictError):
    """A coupon campaign that is not a reward's already has the reward's campaign key."""

    code = "reward_campaign_taken"


class RewardStockBelowIssuedError(ConflictError):
    """A reward's new ``stock`` is below the rewards already issued."""

    code = "reward_stock_below_issued"


class RewardNotAvailableError(InvalidRequestError):
    """The reward is paused, not started yet or ended."""

    code = "reward_not_available"


class RewardNotEligibleError(InvalidRequestError):
    """The reward is for other tiers or segments than the member's."""

    code = "reward_not_eligible"


class RewardLimitReachedError(ConflictError):
    """The member already holds the reward's ``per_member_limit``."""

    code = "reward_limit_reached"


class RewardOutOfStockError(ConflictError):
    """Every unit of the reward's ``stock`` has been issued."""

    code = "reward_out_of_stock"
