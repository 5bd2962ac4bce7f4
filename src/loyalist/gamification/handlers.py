"""Reactions to lower domains' facts: badge criteria, quest steps and streaks."""

from __future__ import annotations

from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy


def on_facts(uow: UnitOfWork, run: list[Any], program: ProgramPolicy) -> None:
    """A run of order facts and activities, in the order they happened."""


def on_referrals(uow: UnitOfWork, run: list[Any], program: ProgramPolicy) -> None:
    """Referral attributions and conversions (quest steps, badge criteria)."""


def on_badges_granted(uow: UnitOfWork, run: list[Any], program: ProgramPolicy) -> None:
    """A rule's ``badge`` effect fired: award the badge once."""
