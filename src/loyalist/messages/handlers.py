"""How messages react to other domains' facts: each journey starts from its event.

The reactions need what the process settings give (the links' base URL, the brand kit),
so they are methods of one object the composition root builds from the settings."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.events import PointsAwarded
from loyalist.messages import journeys
from loyalist.settings import ProgramPolicy, Settings


class MessageHandlers:
    def __init__(self, settings: Settings) -> None:
        self.setup = journeys.Setup.of(settings)

    def on_points_awarded(
        self, uow: UnitOfWork, events: Sequence[PointsAwarded], program: ProgramPolicy
    ) -> None:
        """Points of an order are noted for its confirmation, queued later in the unit."""
        journeys.note_awards(uow, events)

    def on_order_paid(
        self, uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy
    ) -> None:
        """A paid order is confirmed to the member (transactional email, once per order)."""
        journeys.confirm_orders(uow, events, program, self.setup)
