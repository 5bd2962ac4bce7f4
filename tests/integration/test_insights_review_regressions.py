"""Regressions found reviewing RFM, the scores job and lifetime scores (issue 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.insights import scoring, segments
from loyalist.members import service as members
from tests.conftest import START
from tests.integration.test_insights_scores import seed, segments_of, stored


def test_a_run_failing_after_writing_scores_leaves_yesterdays_scores_and_segments(
    app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(app)
    app.run_due_work()
    before = {m: (s.computed_at, s.segment) for m, s in stored(app).items()}
    clock.advance(timedelta(days=1))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("segments could not be written")

    monkeypatch.setattr(members, "set_segments", broken)
    report = app.run_due_work()

    assert report.done["insights_scores"] == 0
    assert {m: (s.computed_at, s.segment) for m, s in stored(app).items()} == before
    assert segments_of(app, "M5") == {"M5": ["champions"]}


def test_after_a_failed_run_the_summary_dates_the_scores_it_serves(
    app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(app)
    app.run_due_work()
    clock.advance(timedelta(days=1))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("broken analytics")

    monkeypatch.setattr(scoring, "score_members", broken)
    app.run_due_work()

    summary = app.db.read(segments.segments_summary)
    assert summary.members_scored == 5
    assert summary.computed_at == START
