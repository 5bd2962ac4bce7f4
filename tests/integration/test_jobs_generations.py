"""The heavy jobs store their results as generations, a chunk per unit of work: the
published results equal the computation's whatever the chunk size, and a chunk that fails
leaves the previous generation visible (docs/decisions.md, "Issue 14: jobs write in short
units")."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.chunked import write_in_chunks
from loyalist.db.uow import UnitOfWork
from loyalist.insights import jobs, repository, scoring
from loyalist.insights.models import MemberScore, ScoreGeneration
from loyalist.members import service as members
from loyalist.recommendations import jobs as recommendation_jobs
from loyalist.recommendations import repository as recommendation_repository
from loyalist.recommendations import service
from loyalist.recommendations.models import ItemNeighbour, ItemPopularity, RecommendationRun
from loyalist.recommendations.service import Refresh
from tests.conftest import START
from tests.integration.test_insights_scores import HISTORY, seed, segments_of
from tests.integration.test_recommendations import FAST, load

MEMBERS = (*HISTORY, "M6")


def published_scores(app: Loyalist) -> pl.DataFrame:
    """The current generation's rows (columns of a recompute), by member."""

    def op(uow: UnitOfWork) -> list[tuple[Any, ...]]:
        columns = [MemberScore.__table__.c[name] for name in scoring.SCORE_COLUMNS]
        current = repository.GENERATIONS.is_current(MemberScore.generation)
        query = select(*columns).where(current).order_by(MemberScore.member_id)
        return [tuple(row) for row in uow.session.execute(query)]

    return pl.DataFrame(app.db.read(op), schema=list(scoring.SCORE_COLUMNS), orient="row")


def computed_scores(app: Loyalist) -> pl.DataFrame:
    """What a recompute now computes (the unchunked computation), as stored."""
    now = app.clock.now()
    computed = app.db.read(lambda uow: scoring.compute_scores(uow, app.program, now=now))
    return computed.rows.sort("member_id")


def counts(app: Loyalist) -> tuple[int, int]:
    """``(score rows, generations)`` in the tables, whatever their generation."""

    def op(uow: UnitOfWork) -> tuple[int, int]:
        rows = uow.session.scalar(select(func.count()).select_from(MemberScore))
        generations = uow.session.scalar(select(func.count()).select_from(ScoreGeneration))
        return int(rows or 0), int(generations or 0)

    return app.db.read(op)


def assert_same_scores(stored: pl.DataFrame, expected: pl.DataFrame) -> None:
    assert stored["member_id"].to_list() == expected["member_id"].to_list()
    for name in scoring.SCORE_COLUMNS:
        left, right = stored[name].to_list(), expected[name].to_list()
        if expected.schema[name] == pl.Float64:
            assert left == pytest.approx(right, rel=1e-12), name
        else:
            assert left == right, name


class TestScores:
    def test_chunked_results_equal_the_unchunked_computation(self, app: Loyalist) -> None:
        seed(app)
        expected = computed_scores(app)

        scored = jobs.run_now(app.db, app.program, chunk=2)

        assert scored == 5
        assert_same_scores(published_scores(app), expected)
        assert counts(app) == (5, 1)
        names = app.db.read(lambda uow: members.external_ids(uow, expected["member_id"]))
        owned = {
            names[member]: sorted(
                [segment]
                + ([scoring.CHURN_RISK_HIGH] if risk >= scoring.CHURN_RISK_THRESHOLD else [])
            )
            for member, segment, risk in expected.select(
                "member_id", "segment", "churn_risk"
            ).iter_rows()
        }
        assert segments_of(app, *MEMBERS) == owned | {"M6": []}

    def test_a_failing_chunk_leaves_the_previous_generation_and_the_next_run_completes(
        self, app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seed(app)
        jobs.run_now(app.db, app.program, chunk=2)
        before, held = published_scores(app), segments_of(app, *MEMBERS)
        clock.advance(timedelta(days=1))
        compute = scoring.compute_scores

        def breaking_the_third_chunk(*args: Any, **kwargs: Any) -> scoring.Recompute:
            # A row the database refuses (p_alive outside [0, 1]) in the third chunk.
            rows = compute(*args, **kwargs).rows.with_row_index()
            bad = pl.when(pl.col("index") == 4).then(2.0).otherwise(pl.col("p_alive"))
            return scoring.Recompute(rows.with_columns(p_alive=bad).drop("index"))

        with monkeypatch.context() as patched:
            patched.setattr(scoring, "compute_scores", breaking_the_third_chunk)
            failed = jobs.run_due(app.db, app.program, 0, chunk=2)

        assert failed == 0
        assert_same_scores(published_scores(app), before)
        assert segments_of(app, *MEMBERS) == held
        assert counts(app) == (5, 1)  # the staged rows are deleted
        clock.advance(timedelta(days=1))
        expected = computed_scores(app)
        assert jobs.run_due(app.db, app.program, 0, chunk=2) == 5
        assert_same_scores(published_scores(app), expected)
        assert counts(app) == (5, 1)

    def test_rows_staged_by_a_crashed_run_are_deleted_by_the_next_publish(
        self, app: Loyalist
    ) -> None:
        seed(app)
        jobs.run_now(app.db, app.program)
        rows = computed_scores(app)
        # A run that staged two chunks and died: invisible, then cleaned up.
        staged = app.db.write(lambda uow: scoring.begin_generation(uow, START))
        write_in_chunks(
            app.db, rows, lambda uow, part: scoring.stage_scores(uow, staged, part), rows=2
        )
        assert counts(app) == (5 + 5, 2)
        assert_same_scores(published_scores(app), rows)

        jobs.run_now(app.db, app.program, chunk=3)

        assert counts(app) == (5, 1)
        assert_same_scores(published_scores(app), rows)

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(chunk=st.integers(min_value=1, max_value=7))
    def test_whatever_the_chunk_size_the_published_results_are_the_same(
        self, app: Loyalist, chunk: int
    ) -> None:
        if not counts(app)[1]:
            seed(app)
            jobs.run_now(app.db, app.program, chunk=5_000)
        reference, held = published_scores(app), segments_of(app, *MEMBERS)

        jobs.run_now(app.db, app.program, chunk=chunk)

        assert_same_scores(published_scores(app), reference)
        assert segments_of(app, *MEMBERS) == held
        assert counts(app) == (5, 1)


def published_refresh(app: Loyalist) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The current refresh's neighbours and popularity, without their run."""

    def op(uow: UnitOfWork) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        generations = recommendation_repository.GENERATIONS
        n, p = ItemNeighbour, ItemPopularity
        neighbours = uow.session.execute(
            select(n.sku, n.neighbour_sku, n.support, n.lift, n.cosine, n.computed_at)
            .where(generations.is_current(n.run_id))
            .order_by(n.sku, n.neighbour_sku)
        )
        popular = uow.session.execute(
            select(p.sku, p.buyers, p.rank, p.computed_at)
            .where(generations.is_current(p.run_id))
            .order_by(p.rank)
        )
        return [tuple(r) for r in neighbours], [tuple(r) for r in popular]

    return app.db.read(op)


def refresh_counts(app: Loyalist) -> tuple[int, int, int]:
    def op(uow: UnitOfWork) -> tuple[int, int, int]:
        return tuple(  # type: ignore[return-value]
            int(uow.session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (ItemNeighbour, ItemPopularity, RecommendationRun)
        )

    return app.db.read(op)


class TestRecommendations:
    def test_chunked_results_equal_the_unchunked_computation(self, app: Loyalist) -> None:
        load(app)
        computed = app.db.read(lambda uow: service.compute_refresh(uow, FAST))

        report = recommendation_jobs.refresh(app.db, FAST, chunk=1)

        neighbours, popular = published_refresh(app)
        assert neighbours == sorted(
            computed.neighbours.select(
                "sku", "neighbour_sku", "support", "lift", "cosine", "computed_at"
            ).iter_rows()
        )
        assert popular == list(
            computed.popular.select("sku", "buyers", "rank", "computed_at").iter_rows()
        )
        assert report.pairs == len(neighbours) > 1
        assert refresh_counts(app) == (len(neighbours), len(popular), 1)

    def test_a_failing_chunk_leaves_the_previous_refresh_and_the_next_one_completes(
        self, app: Loyalist, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        load(app)
        recommendation_jobs.refresh(app.db, FAST, chunk=1)
        before, counted = published_refresh(app), refresh_counts(app)
        compute = service.compute_refresh

        def breaking_the_last_chunk(*args: Any, **kwargs: Any) -> Refresh:
            # A pair the database refuses (a negative lift) in the last chunk.
            computed = compute(*args, **kwargs)
            last = computed.neighbours.height - 1
            lift = pl.when(pl.int_range(pl.len()) == last).then(-1.0).otherwise(pl.col("lift"))
            return replace(computed, neighbours=computed.neighbours.with_columns(lift=lift))

        with monkeypatch.context() as patched:
            patched.setattr(service, "compute_refresh", breaking_the_last_chunk)
            with pytest.raises(IntegrityError):
                recommendation_jobs.refresh(app.db, FAST, chunk=1)

        assert published_refresh(app) == before
        assert refresh_counts(app) == counted  # the staged rows and run are deleted
        recommendation_jobs.refresh(app.db, FAST, chunk=1)
        assert published_refresh(app) == before
        assert refresh_counts(app) == counted

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(chunk=st.integers(min_value=1, max_value=6))
    def test_whatever_the_chunk_size_the_published_results_are_the_same(
        self, app: Loyalist, chunk: int
    ) -> None:
        if not refresh_counts(app)[2]:
            load(app)
            recommendation_jobs.refresh(app.db, FAST)
        reference = published_refresh(app)

        recommendation_jobs.refresh(app.db, FAST, chunk=chunk)

        assert published_refresh(app) == reference
        assert refresh_counts(app)[2] == 1
