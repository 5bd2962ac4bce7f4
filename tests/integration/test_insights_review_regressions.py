"""Regressions found reviewing RFM, the scores job and lifetime scores (issue 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.insights import scoring, segments
from loyalist.members import service as members
from tests.conftest import START
from tests.integration.helpers import member_pk
from tests.integration.test_insights_scores import seed, segments_of, stored


def test_segments_that_fail_to_follow_a_published_run_are_resumed_by_the_next_pass(
    app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(app)
    app.run_due_work()
    app.db.write(lambda uow: members.set_segments(uow, {member_pk(app, "M5"): ["lost", "vip"]}))
    clock.advance(timedelta(days=1))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("segments could not be written")

    with monkeypatch.context() as patched:
        patched.setattr(members, "set_segments", broken)
        report = app.run_due_work()

    # The new scores are published; the segments stay as they were, whole.
    assert report.failed == ("insights_scores",)
    assert {s.computed_at for s in stored(app).values()} == {START + timedelta(days=1)}
    assert segments_of(app, "M5") == {"M5": ["lost", "vip"]}
    resumed = app.run_due_work()
    assert resumed.done["insights_scores"] >= 1
    assert segments_of(app, "M5") == {"M5": ["champions", "vip"]}
    assert app.run_due_work().done["insights_scores"] == 0


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
