"""NPS over stored answers: figures by period, tier, segment and channel, computed by hand
for the dataset in ``nps_dataset`` (see its table)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.errors import InvalidRequestError
from loyalist.insights import service
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.schemas import NpsReport
from loyalist.settings import ProgramPolicy
from tests.conftest import event
from tests.integration.helpers import send
from tests.integration.nps_dataset import answer, at, load


def report(app: Loyalist, **options: Any) -> NpsReport:
    zone = app.program.zone
    return app.db.read(lambda uow: service.nps_report(uow, zone, **options))


def figures(rep: NpsReport) -> list[tuple[Any, ...]]:
    return [
        (r.period, r.group, r.responses, r.promoters, r.passives, r.detractors, r.nps)
        for r in rep.rows
    ]


class TestNps:
    @pytest.fixture
    def data(self, app: Loyalist, clock: ManualClock) -> Loyalist:
        load(app, clock)
        return app

    def test_total_counts_first_answers_with_a_score_only(self, data: Loyalist) -> None:
        rep = report(data)
        # 2 promoters (10, 9), 1 passive (7), 2 detractors (3, 6): 40% − 40%.
        assert (rep.total.responses, rep.total.promoters, rep.total.passives) == (5, 2, 1)
        assert (rep.total.detractors, rep.total.nps) == (2, 0.0)
        assert figures(rep) == [(None, None, 5, 2, 1, 2, 0.0)]

    def test_by_month(self, data: Loyalist) -> None:
        rep = report(data, period=Period.MONTH)
        assert figures(rep) == [
            ("2026-01", None, 3, 2, 1, 0, 66.7),  # 200 / 3 = 66.67
            ("2026-02", None, 2, 0, 0, 2, -100.0),
        ]
        assert rep.rows[0].period_start == date(2026, 1, 1)

    def test_by_iso_week(self, data: Loyalist) -> None:
        rep = report(data, period=Period.WEEK)
        assert figures(rep) == [
            ("2026-W02", None, 1, 1, 0, 0, 100.0),
            ("2026-W03", None, 2, 1, 1, 0, 50.0),
            ("2026-W06", None, 2, 0, 0, 2, -100.0),
        ]
        assert [r.period_start for r in rep.rows] == [
            date(2026, 1, 5),
            date(2026, 1, 12),
            date(2026, 2, 2),
        ]

    def test_by_day_within_a_range(self, data: Loyalist) -> None:
        rep = report(data, period=Period.DAY, start=date(2026, 1, 12), end=date(2026, 2, 3))
        assert figures(rep) == [
            ("2026-01-12", None, 1, 1, 0, 0, 100.0),
            ("2026-01-15", None, 1, 0, 1, 0, 0.0),
            ("2026-02-03", None, 1, 0, 0, 1, -100.0),
        ]
        assert rep.total.responses == 3

    def test_by_current_tier(self, data: Loyalist) -> None:
        rep = report(data, by=Dimension.TIER)
        assert figures(rep) == [
            (None, "gold", 1, 1, 0, 0, 100.0),
            (None, "member", 4, 1, 1, 2, -25.0),
        ]

    def test_by_segment_counts_a_member_in_each_of_their_segments(self, data: Loyalist) -> None:
        rep = report(data, by=Dimension.SEGMENT)
        assert figures(rep) == [
            (None, "eu", 2, 2, 0, 0, 100.0),
            (None, "vip", 2, 1, 0, 1, 0.0),
            (None, None, 2, 0, 1, 1, -50.0),
        ]
        assert rep.total.responses == 5  # M1 once, though in two segments

    def test_by_channel_and_month(self, data: Loyalist) -> None:
        rep = report(data, by=Dimension.CHANNEL, period=Period.MONTH)
        assert figures(rep) == [
            ("2026-01", "email", 1, 1, 0, 0, 100.0),
            ("2026-01", "web", 2, 1, 1, 0, 50.0),
            ("2026-02", "app", 1, 0, 0, 1, -100.0),
            ("2026-02", None, 1, 0, 0, 1, -100.0),
        ]

    def test_an_empty_range_has_no_rows_and_no_score(self, data: Loyalist) -> None:
        rep = report(data, start=date(2025, 1, 1), end=date(2025, 12, 31))
        assert rep.rows == []
        assert (rep.total.responses, rep.total.nps) == (0, None)

    def test_refuses_a_range_that_ends_before_it_starts(self, data: Loyalist) -> None:
        with pytest.raises(InvalidRequestError) as exc:
            report(data, start=date(2026, 2, 1), end=date(2026, 1, 1))
        assert exc.value.code == "date_range_invalid"


class TestProgramTimeZone:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(timezone="Europe/Moscow")

    def test_periods_and_ranges_follow_the_program_time_zone(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        clock.set(at(3, 1))
        send(app, event("e1", "member.enrolled", "M1", at(1, 1)))
        # 22:30 UTC on 31 January is 01:30 on 1 February in Moscow.
        send(app, answer("a1", "M1", at(1, 31, 22).replace(minute=30), 9, "web", "q"))
        rep = report(app, period=Period.MONTH)
        assert figures(rep) == [("2026-02", None, 1, 1, 0, 0, 100.0)]
        assert report(app, start=date(2026, 1, 1), end=date(2026, 1, 31)).rows == []
        assert report(app, start=date(2026, 2, 1), end=date(2026, 2, 1)).total.responses == 1
