"""How messages react to other domains' facts: each journey starts from its event.

The reactions are methods of one object the composition root builds from the process
settings: the journeys' links (the shop, its product pages) come from them; the brand kit
and the unsubscribe link are added when a message is rendered, by the delivery job."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import ActivityRecorded, OrderDelivered, OrderPaid, OrderShipped
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.events import PointsAwarded, PointsExpiring, PointsMatured
from loyalist.messages import (
    journeys,
    journeys_kit,
    journeys_points,
    journeys_rewards,
    journeys_shipping,
    journeys_tier,
    journeys_welcome,
    post_purchase,
    staff_notices,
    webhooks,
)
from loyalist.messages.models import WebhookEvent
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.rules.events import RewardGranted
from loyalist.settings import ProgramPolicy, Settings
from loyalist.staff.events import TwoFactorLockedOut
from loyalist.tiers.events import TierDowngraded, TierUpgraded


class MessageHandlers:
    def __init__(self, settings: Settings) -> None:
        self.kit = journeys_kit.Setup.of(settings)

    def on_points_awarded(
        self, uow: UnitOfWork, events: Sequence[PointsAwarded], program: ProgramPolicy
    ) -> None:
        """Points of an order are noted for its confirmation, queued later in the unit;
        subscribed endpoints get a ``points.awarded`` webhook."""
        journeys.note_awards(uow, events)
        webhooks.points_awarded(uow, events, program)

    def on_points_matured(
        self, uow: UnitOfWork, events: Sequence[PointsMatured], program: ProgramPolicy
    ) -> None:
        """The member hears that their points are available (one message for the unit's
        fresh lots); subscribed endpoints get a ``points.matured`` webhook."""
        journeys_points.on_matured(uow, events, program, self.kit)
        webhooks.points_matured(uow, events, program)

    def on_points_expiring(
        self, uow: UnitOfWork, events: Sequence[PointsExpiring], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``points.expiring`` webhook."""
        webhooks.points_expiring(uow, events, program)

    def on_tier_upgraded(
        self, uow: UnitOfWork, events: Sequence[TierUpgraded], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``tier.upgraded`` webhook; the member is congratulated
        (tier)."""
        webhooks.tier_changed(uow, WebhookEvent.TIER_UPGRADED, events, program)
        journeys_tier.upgraded(uow, events, program, self.kit)

    def on_tier_downgraded(
        self, uow: UnitOfWork, events: Sequence[TierDowngraded], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``tier.downgraded`` webhook."""
        webhooks.tier_changed(uow, WebhookEvent.TIER_DOWNGRADED, events, program)

    def on_reward_granted(
        self, uow: UnitOfWork, events: Sequence[RewardGranted], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``reward.granted`` webhook; the member gets the issued
        reward's code (rewards_referrals; the rewards domain issued it earlier in the row)."""
        webhooks.reward_granted(uow, events, program)
        journeys_rewards.rewards_issued(uow, events, program, self.kit)

    def on_referral_converted(
        self, uow: UnitOfWork, events: Sequence[ReferralConverted], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``referral.converted`` webhook (the referrer's); the
        referrer hears that their friend ordered (rewards_referrals)."""
        webhooks.referral_converted(uow, events, program)
        journeys_rewards.referrals_converted(uow, events, program, self.kit)

    def on_referral_attributed(
        self, uow: UnitOfWork, events: Sequence[ReferralAttributed], program: ProgramPolicy
    ) -> None:
        """A referred friend gets the program's welcome offer (rewards_referrals)."""
        journeys_rewards.friends_welcomed(uow, events, program, self.kit)

    def on_order_paid(
        self, uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy
    ) -> None:
        """A paid order is confirmed to the member (transactional email, once per order)."""
        journeys.confirm_orders(uow, events, program, self.kit)

    def on_order_shipped(
        self, uow: UnitOfWork, events: Sequence[OrderShipped], program: ProgramPolicy
    ) -> None:
        """A shipped order is announced with its tracking link and cross-sell (shipping)."""
        journeys_shipping.shipped(uow, events, program, self.kit)

    def on_order_delivered(
        self, uow: UnitOfWork, events: Sequence[OrderDelivered], program: ProgramPolicy
    ) -> None:
        """A delivered order is thanked for (shipping), after the ledger set when its
        pending points mature; a fresh delivery plans the post-purchase journey: tips,
        review requests and the NPS survey, each due on its day (marketing email, once per
        order and product)."""
        journeys_shipping.delivered(uow, events, program, self.kit)
        post_purchase.after_delivery(uow, events, program)

    def on_activity_recorded(
        self, uow: UnitOfWork, events: Sequence[ActivityRecorded], program: ProgramPolicy
    ) -> None:
        """An enrolment is welcomed (welcome: how the program works, the referral code)."""
        journeys_welcome.welcome(uow, events, program, self.kit)

    def on_two_factor_locked_out(
        self, uow: UnitOfWork, events: Sequence[TwoFactorLockedOut], program: ProgramPolicy
    ) -> None:
        """The locked staff user is told by email (a security notice in their language)."""
        staff_notices.queue_lockout_notices(uow, events)
