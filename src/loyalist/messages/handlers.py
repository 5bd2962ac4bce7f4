"""How messages react to other domains' facts: each journey starts from its event.

The reactions are methods of one object the composition root builds (what the process
settings give is read when a message is rendered, by the delivery job)."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import OrderDelivered, OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.events import PointsAwarded, PointsExpiring, PointsMatured
from loyalist.messages import journeys, post_purchase, webhooks
from loyalist.messages.models import WebhookEvent
from loyalist.referrals.events import ReferralConverted
from loyalist.rules.events import RewardGranted
from loyalist.settings import ProgramPolicy
from loyalist.tiers.events import TierDowngraded, TierUpgraded


class MessageHandlers:
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
        """Subscribed endpoints get a ``points.matured`` webhook."""
        webhooks.points_matured(uow, events, program)

    def on_points_expiring(
        self, uow: UnitOfWork, events: Sequence[PointsExpiring], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``points.expiring`` webhook."""
        webhooks.points_expiring(uow, events, program)

    def on_tier_upgraded(
        self, uow: UnitOfWork, events: Sequence[TierUpgraded], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``tier.upgraded`` webhook."""
        webhooks.tier_changed(uow, WebhookEvent.TIER_UPGRADED, events, program)

    def on_tier_downgraded(
        self, uow: UnitOfWork, events: Sequence[TierDowngraded], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``tier.downgraded`` webhook."""
        webhooks.tier_changed(uow, WebhookEvent.TIER_DOWNGRADED, events, program)

    def on_reward_granted(
        self, uow: UnitOfWork, events: Sequence[RewardGranted], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``reward.granted`` webhook."""
        webhooks.reward_granted(uow, events, program)

    def on_referral_converted(
        self, uow: UnitOfWork, events: Sequence[ReferralConverted], program: ProgramPolicy
    ) -> None:
        """Subscribed endpoints get a ``referral.converted`` webhook (the referrer's)."""
        webhooks.referral_converted(uow, events, program)

    def on_order_paid(
        self, uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy
    ) -> None:
        """A paid order is confirmed to the member (transactional email, once per order)."""
        journeys.confirm_orders(uow, events, program)

    def on_order_delivered(
        self, uow: UnitOfWork, events: Sequence[OrderDelivered], program: ProgramPolicy
    ) -> None:
        """A fresh delivery plans the post-purchase journey: tips, review requests and the
        NPS survey, each due on its day (marketing email, once per order and product)."""
        post_purchase.after_delivery(uow, events, program)
