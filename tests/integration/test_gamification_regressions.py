"""Regressions found in review of issue 5 (gamification), on both databases."""

from __future__ import annotations

from datetime import timedelta

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.gamification.models import DefinitionKind
from tests.conftest import START
from tests.integration.helpers import send
from tests.integration.test_gamification import define, paid, view


def test_a_streak_switched_from_weeks_to_months_counts_again(
    app: Loyalist, clock: ManualClock
) -> None:
    define(app, DefinitionKind.STREAK, "regular", period="week", on=["order.paid"])
    send(app, paid("e1", "M1", at=START))
    define(app, DefinitionKind.STREAK, "regular", period="month", on=["order.paid"])
    at = START + timedelta(days=20)  # 2026-02-04: a new month
    clock.set(at)
    send(app, paid("e2", "M1", at=at))
    (streak,) = view(app, "M1")["streaks"]
    assert (streak["current"], streak["last_period"]) == (1, "m2026-02")
    clock.set(START + timedelta(days=80))  # April: March was missed, the run is broken
    (streak,) = view(app, "M1")["streaks"]
    assert streak["current"] == 0
