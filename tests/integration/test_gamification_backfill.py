"""Gamification statistics count the history before gamification became active (both
databases): a bounded, resumable, idempotent pass that agrees with live counting."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import backfill
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind, GameSweep, MemberGameStats
from loyalist.gamification.schemas import BadgeSpec
from loyalist.members import service as members
from tests.conftest import START, emptied_tables, event, order_body
from tests.integration.helpers import member_pk, run_jobs, send
from tests.integration.test_referrals import MATURITY, code_of, configure, enrol, pay

HOUR = timedelta(hours=1)
NAME = {"en": "Regular", "ru": "Постоянный покупатель"}
#: The statistics a backfill sets, as stored.
FIELDS = ("orders_count", "spend", "categories", "reviews", "surveys", "referrals_count")


def define_badge(app: Loyalist, key: str = "regular", criteria: str = "member.orders >= 3") -> None:
    spec = BadgeSpec.model_validate({"name": NAME, "criteria": criteria})
    app.db.write(lambda uow: gamification.put_definition(uow, DefinitionKind.BADGE, key, spec))


def run_backfill(app: Loyalist, limit: int = 500) -> list[int]:
    """Call ``run_due`` until it reports nothing; returns what each call walked."""
    walked = []
    for _ in range(100):
        walked.append(app.db.write(lambda uow: backfill.run_due(uow, app.program, limit=limit)))
        if walked[-1] == 0:
            return walked
    raise AssertionError("the backfill never finishes")


def stats(app: Loyalist, member: str) -> dict[str, Any] | None:
    def op(uow: UnitOfWork) -> dict[str, Any] | None:
        ids = members.member_ids(uow, [member])
        row = uow.session.get(MemberGameStats, ids[member]) if member in ids else None
        if row is None:
            return None
        found = {name: getattr(row, name) for name in FIELDS}
        return found | {"last_order_at": row.last_order_at}

    return app.db.read(op)


def badges(app: Loyalist, member: str) -> list[str]:
    pk = member_pk(app, member)
    view = app.db.read(lambda uow: gamification.member_gamification(uow, pk, app.program, "en"))
    return [b["key"] for b in view["badges"]]


def placed(
    member: str, order_id: str, at: datetime, *lines: tuple[str, str | None, int, int]
) -> dict[str, Any]:
    """``order.placed`` with lines ``(sku, category, quantity, unit_price)``."""
    body = order_body(order_id, *((sku, q, p) for sku, _, q, p in lines))
    for line, (_, category, _, _) in zip(body["lines"], lines, strict=True):
        line["category"] = category
    return event(f"{order_id}-placed", "order.placed", member, at, **body)


def order_paid(member: str, order_id: str, at: datetime) -> dict[str, Any]:
    return event(f"{order_id}-paid", "order.paid", member, at, order_id=order_id)


def history_of(member: str) -> list[dict[str, Any]]:
    """Three paid orders (one partly returned, one cancelled), a verified and an unverified
    review, a removed review, and answers to two surveys (one answered twice)."""
    t = START
    return [
        placed(member, f"{member}-o1", t, ("shoe", "shoes", 2, 5000), ("hat", "hats", 1, 2000)),
        order_paid(member, f"{member}-o1", t + HOUR),
        placed(member, f"{member}-o2", t + 2 * HOUR, ("sock", "socks", 3, 500)),
        order_paid(member, f"{member}-o2", t + 3 * HOUR),
        event(
            f"{member}-r1",
            "order.returned",
            member,
            t + 4 * HOUR,
            order_id=f"{member}-o1",
            lines=[{"sku": "shoe", "quantity": 1}],
        ),
        placed(member, f"{member}-o3", t + 5 * HOUR, ("bag", "bags", 1, 9000)),
        order_paid(member, f"{member}-o3", t + 6 * HOUR),
        event(f"{member}-c3", "order.cancelled", member, t + 7 * HOUR, order_id=f"{member}-o3"),
        placed(member, f"{member}-o4", t + 8 * HOUR, ("belt", "belts", 1, 3000)),  # never paid
        review(member, f"{member}-v1", "hat", t + 9 * HOUR),
        review(member, f"{member}-v2", "scarf", t + 9 * HOUR),  # not bought: unverified
        review(member, f"{member}-v3", "sock", t + 9 * HOUR),
        event(
            f"{member}-v3-removed",
            "review.removed",
            member,
            t + 10 * HOUR,
            review_id=f"{member}-v3",
        ),
        answer(member, "nps-1", 1, t + 11 * HOUR),
        answer(member, "nps-1", 2, t + 12 * HOUR),
        answer(member, "nps-2", 3, t + 12 * HOUR),
    ]


def review(member: str, review_id: str, sku: str, at: datetime) -> dict[str, Any]:
    return event(review_id, "review.published", member, at, review_id=review_id, sku=sku, rating=5)


def answer(member: str, survey: str, n: int, at: datetime) -> dict[str, Any]:
    return event(f"{member}-{survey}-{n}", "survey.answered", member, at, survey_id=survey, score=9)


#: ``history_of`` as the statistics count it: o1 (12000 less one shoe) and o2 (1500); o3
#: cancelled counts for neither, though its category stays bought.
EXPECTED = {
    "orders_count": 2,
    "spend": 12000 - 5000 + 1500,
    "categories": ["bags", "hats", "shoes", "socks"],
    "reviews": ["M1-v1"],
    "surveys": ["nps-1", "nps-2"],
    "referrals_count": 0,
    "last_order_at": START + 6 * HOUR,
}


class TestBackfill:
    def test_statistics_count_the_history_before_the_first_definition(self, app: Loyalist) -> None:
        send(app, *history_of("M1"))
        define_badge(app, criteria="member.orders >= 2 && size(member.categories) >= 4")
        assert stats(app, "M1") is None  # nothing counted yet: the pass is due

        assert run_backfill(app) == [1, 0]

        assert stats(app, "M1") == EXPECTED
        assert badges(app, "M1") == ["regular"]

    def test_a_second_pass_changes_nothing_and_live_facts_count_on_top(self, app: Loyalist) -> None:
        send(app, *history_of("M1"))
        define_badge(app)
        run_backfill(app)
        app.db.write(backfill.schedule)
        assert run_backfill(app) == [1, 0]
        assert stats(app, "M1") == EXPECTED

        later = START + 20 * HOUR
        send(
            app,
            placed("M1", "M1-o5", later, ("cap", "hats", 1, 1000)),
            order_paid("M1", "M1-o5", later),
        )
        found = stats(app, "M1")
        assert found is not None
        assert (found["orders_count"], found["spend"]) == (3, EXPECTED["spend"] + 1000)  # type: ignore[operator]
        assert badges(app, "M1") == ["regular"]

    def test_a_fact_counted_live_before_the_pass_reaches_the_member_counts_once(
        self, app: Loyalist
    ) -> None:
        send(app, *history_of("M1"))
        define_badge(app)
        later = START + 20 * HOUR
        send(
            app,
            placed("M1", "M1-o5", later, ("cap", "hats", 1, 1000)),
            order_paid("M1", "M1-o5", later),
        )
        live = stats(app, "M1")
        assert live is not None
        assert live["orders_count"] == 1  # only what arrived since activation

        run_backfill(app)

        assert stats(app, "M1") == EXPECTED | {
            "orders_count": 3,
            "spend": EXPECTED["spend"] + 1000,  # type: ignore[operator]
            "last_order_at": later,
        }

    def test_passes_walk_members_in_chunks_from_a_stored_cursor(self, app: Loyalist) -> None:
        for n in range(5):
            send(app, *history_of(f"M{n}")[:2])  # one paid order each
        send(app, event("quiet", "member.enrolled", "QUIET", START))  # no history
        define_badge(app)

        assert run_backfill(app, limit=2) == [2, 2, 2, 0]
        assert [stats(app, f"M{n}")["orders_count"] for n in range(5)] == [1] * 5  # type: ignore[index]
        assert stats(app, "QUIET") is None  # members without history get no row
        assert run_backfill(app, limit=2) == [0]  # the pass is done

    def test_stops_between_chunks_and_resumes_where_it_was(self, app: Loyalist) -> None:
        for n in range(3):
            send(app, *history_of(f"M{n}")[:2])
        define_badge(app)
        assert app.db.write(lambda uow: backfill.run_due(uow, app.program, limit=2)) == 2
        assert [stats(app, f"M{n}") is not None for n in range(3)] == [True, True, False]
        assert run_backfill(app, limit=2) == [1, 0]
        assert stats(app, "M2") is not None

    def test_switching_gamification_on_again_counts_what_happened_while_it_was_off(
        self, app: Loyalist
    ) -> None:
        send(app, *history_of("M1")[:2])
        define_badge(app)
        run_backfill(app)
        app.db.write(lambda uow: gamification.deactivate(uow, DefinitionKind.BADGE, "regular"))
        send(app, *history_of("M1")[2:4])  # a second paid order, not counted: nothing active
        assert stats(app, "M1")["orders_count"] == 1  # type: ignore[index]
        define_badge(app)  # active again
        run_backfill(app)
        assert stats(app, "M1")["orders_count"] == 2  # type: ignore[index]

    def test_an_install_activated_before_the_backfill_existed_is_backfilled(
        self, app: Loyalist
    ) -> None:
        send(app, *history_of("M1"))
        define_badge(app)
        app.db.write(lambda uow: uow.session.execute(delete(GameSweep)))  # no cursor row
        run_backfill(app)
        assert stats(app, "M1") == EXPECTED

    def test_nothing_is_due_without_an_active_badge_quest_or_streak(self, app: Loyalist) -> None:
        send(app, *history_of("M1"))
        assert run_backfill(app) == [0]
        assert count_rows(app, MemberGameStats) == 0

    def test_converted_referrals_count_for_the_referrer(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        configure(app)
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        enrol(app, "BOB", referral={"code": code})
        pay(app, "BOB", "O1", 6000)
        clock.advance(MATURITY)
        run_jobs(app)
        define_badge(app, criteria="member.referrals >= 1")
        run_backfill(app)
        assert stats(app, "ANNA")["referrals_count"] == 1  # type: ignore[index]
        assert badges(app, "ANNA") == ["regular"]


def test_orders_arriving_while_the_pass_runs_are_counted_once(app: Loyalist) -> None:
    """Live orders and the pass at once (PostgreSQL: truly concurrent units)."""
    for n in range(6):
        send(app, *history_of(f"M{n}")[:2])  # one paid order each
    define_badge(app)

    def late(i: int) -> None:
        member, at = f"M{i % 6}", START + (20 + i) * HOUR
        send(
            app,
            placed(member, f"late-{i}", at, ("cap", "hats", 1, 1000)),
            order_paid(member, f"late-{i}", at),
        )

    with ThreadPoolExecutor(4) as pool:
        passes = pool.submit(run_backfill, app, 1)
        for future in [pool.submit(late, i) for i in range(12)]:
            future.result()
        passes.result()
    found = [stats(app, f"M{n}") for n in range(6)]
    assert [(f["orders_count"], f["spend"]) for f in found] == [(3, 12000 + 2000)] * 6  # type: ignore[index]


def count_rows(app: Loyalist, model: Any) -> int:
    return int(
        app.db.read(lambda uow: uow.session.scalar(select(func.count()).select_from(model))) or 0
    )


# -- backfilled statistics equal live ones, for random histories ---------------------------

SKUS = ("A", "B", "C")
line_st = st.tuples(
    st.sampled_from(["shoes", "hats", None]),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([500, 1999, 10_000]),
)
order_st = st.fixed_dictionaries(
    {
        "lines": st.lists(line_st, min_size=1, max_size=3),
        "paid": st.booleans(),
        "returns": st.lists(
            st.tuples(st.integers(min_value=0, max_value=2), st.integers(1, 3)), max_size=2
        ),
        "cancelled": st.booleans(),
    }
)
history_st = st.fixed_dictionaries(
    {
        "orders": st.lists(order_st, max_size=4),
        "reviews": st.lists(st.tuples(st.sampled_from(SKUS), st.booleans()), max_size=3),
        "surveys": st.lists(st.sampled_from(["s1", "s2", "s3"]), max_size=3),
    }
)


def random_history(member: str, drawn: dict[str, Any]) -> list[dict[str, Any]]:
    """The drawn history as events of ``member``, one hour apart."""
    events = [event(f"{member}-enrol", "member.enrolled", member, START)]
    at = iter(START + n * HOUR for n in range(1000))
    for i, order in enumerate(drawn["orders"]):
        order_id = f"{member}-o{i}"
        lines = [(SKUS[j], category, q, p) for j, (category, q, p) in enumerate(order["lines"])]
        events.append(placed(member, order_id, next(at), *lines))
        if order["paid"]:
            events.append(order_paid(member, order_id, next(at)))
        for k, (line, quantity) in enumerate(order["returns"]):
            sku = SKUS[line % len(lines)]
            events.append(
                event(
                    f"{order_id}-ret{k}",
                    "order.returned",
                    member,
                    next(at),
                    order_id=order_id,
                    lines=[{"sku": sku, "quantity": quantity}],
                )
            )
        if order["cancelled"]:
            events.append(
                event(f"{order_id}-cancel", "order.cancelled", member, next(at), order_id=order_id)
            )
    for j, (sku, removed) in enumerate(drawn["reviews"]):
        review_id = f"{member}-rv{j}"
        events.append(review(member, review_id, sku, next(at)))
        if removed:
            events.append(
                event(f"{review_id}-rm", "review.removed", member, next(at), review_id=review_id)
            )
    for k, survey in enumerate(drawn["surveys"]):
        events.append(answer(member, survey, k, next(at)))
    return events


def _empty(uow: UnitOfWork) -> None:
    for table in emptied_tables():
        uow.session.execute(delete(table))


def _comparable(found: dict[str, Any] | None) -> dict[str, Any]:
    """The statistics with the member's prefix taken off review ids (none: all empty)."""
    if found is None:
        empty: dict[str, Any] = {
            name: [] if name in ("categories", "reviews", "surveys") else 0 for name in FIELDS
        }
        return empty | {"last_order_at": None}
    found = dict(found)
    # On PostgreSQL a row created empty by the handlers stores its empty lists as ``{}``.
    found["categories"] = list(found["categories"] or [])
    for name in ("reviews", "surveys"):
        found[name] = sorted(r.split("-", 1)[-1] for r in found[name] or [])
    return found


def test_backfilled_statistics_equal_live_counted_ones_for_random_histories(
    app: Loyalist,
) -> None:
    @settings(
        max_examples=12 if app.db.is_sqlite else 8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(drawn=history_st)
    def check(drawn: dict[str, Any]) -> None:
        app.db.write(_empty)
        send(app, *random_history("PAST", drawn))  # before gamification is active
        define_badge(app)
        send(app, *random_history("LIVE", drawn))  # counted by the handlers
        live = stats(app, "LIVE")
        run_backfill(app, limit=1)
        assert _comparable(stats(app, "PAST")) == _comparable(live)
        assert stats(app, "LIVE") == live  # the pass agrees with what was counted live

    check()
