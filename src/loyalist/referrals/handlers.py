"""Reactions to lower domains' facts: attribution on sign-up or first order, the qualifying
order, and returns or cancellations before it matures."""

from __future__ import annotations

from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy


def on_facts(uow: UnitOfWork, run: list[Any], program: ProgramPolicy) -> None:
    """A run of order facts and activities, in the order they happened."""
