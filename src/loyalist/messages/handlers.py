"""How messages react to other domains' facts: each journey starts from its event."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeys
from loyalist.settings import ProgramPolicy


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy) -> None:
    """A paid order is confirmed to the member (transactional email, once per order)."""
    journeys.confirm_orders(uow, events, program)
