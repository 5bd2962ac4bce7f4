"""Attribution of goal events to campaigns on both databases: windows and their edges,
the first event winning whatever order events arrive in, overlapping campaigns each
counting the event, custom goals, and campaigns that do not collect."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from loyalist.bootstrap import Loyalist
from loyalist.campaigns.models import Campaign, CampaignConversion, CampaignState, SendStatus
from loyalist.db.uow import UnitOfWork
from tests.campaigning import add_campaign, add_sends, spec
from tests.conftest import START, event, order_body
from tests.integration.helpers import member_pk, send

DAY = timedelta(days=1)
Q, H = SendStatus.QUEUED, SendStatus.HELD_OUT
#: Order ids of one example of a property (replayed events would be no new facts).
_RUNS = itertools.count()


def enrol(app: Loyalist, *members: str) -> dict[str, int]:
    for m in members:
        send(app, event(f"enrol-{m}", "member.enrolled", m, START - 30 * DAY))
    return {m: member_pk(app, m) for m in members}


def pay(app: Loyalist, member: str, order: str, amount: int, at: datetime) -> None:
    send(
        app,
        event(f"pay-{order}", "order.paid", member, at, **order_body(order, ("SKU", 1, amount))),
    )


def conversions(app: Loyalist) -> dict[tuple[str, int], tuple[str, str, datetime, int]]:
    """``(campaign key, member id) -> (arm, event id, converted_at, revenue)``."""

    def op(uow: UnitOfWork) -> dict[tuple[str, int], tuple[str, str, datetime, int]]:
        rows = uow.session.execute(
            select(
                Campaign.key,
                CampaignConversion.member_id,
                CampaignConversion.arm,
                CampaignConversion.event_id,
                CampaignConversion.converted_at,
                CampaignConversion.revenue_minor,
            ).join(Campaign, Campaign.id == CampaignConversion.campaign_id)
        )
        return {(k, m): (arm, ev, at, rev) for k, m, arm, ev, at, rev in rows}

    return app.db.read(op)


def test_overlapping_campaigns_each_count_the_event(app: Loyalist) -> None:
    """A member in two campaigns' windows converts in both, in the arm each put them in
    (a variant in one, the control group in the other); a later order converts nowhere
    again; revenue is the order's net amount."""
    ids = enrol(app, "M1", "M2")

    def setup(uow: UnitOfWork) -> None:
        a = add_campaign(uow, "spring", spec("a", "b", days=7), launched_at=START)
        b = add_campaign(uow, "loyal", spec(days=3), launched_at=START)
        add_sends(uow, a, [(ids["M1"], "b", Q, START), (ids["M2"], "control", H, START)])
        add_sends(uow, b, [(ids["M1"], "control", H, START + DAY)])

    app.db.write(setup)
    pay(app, "M1", "o1", 4_500, START + 2 * DAY)
    pay(app, "M1", "o2", 9_900, START + 3 * DAY)
    pay(app, "M2", "o3", 1_000, START + 6 * DAY)
    assert conversions(app) == {
        ("spring", ids["M1"]): ("b", "o1", START + 2 * DAY, 4_500),
        ("loyal", ids["M1"]): ("control", "o1", START + 2 * DAY, 4_500),
        ("spring", ids["M2"]): ("control", "o3", START + 6 * DAY, 1_000),
    }


def test_window_edges(app: Loyalist) -> None:
    """The window is ``[due_at, due_at + days]``, both ends included; events before the
    send, after the window, or of members whose send was not queued do not convert."""
    ids = enrol(app, "E0", "E1", "E2", "E3", "E4")
    due = START + DAY

    def setup(uow: UnitOfWork) -> None:
        c = add_campaign(uow, "edges", spec(days=7), launched_at=START)
        add_sends(
            uow,
            c,
            [
                (ids["E0"], "default", Q, due),
                (ids["E1"], "default", Q, due),
                (ids["E2"], "default", Q, due),
                (ids["E3"], "default", SendStatus.SKIPPED, due),
                (ids["E4"], "default", SendStatus.PENDING, due),
            ],
        )

    app.db.write(setup)
    pay(app, "E0", "at-due", 100, due)
    pay(app, "E1", "at-end", 100, due + 7 * DAY)
    pay(app, "E2", "before", 100, due - timedelta(seconds=1))
    pay(app, "E2", "after", 100, due + 7 * DAY + timedelta(seconds=1))
    pay(app, "E3", "skipped", 100, due + DAY)
    pay(app, "E4", "pending", 100, due + DAY)
    found = conversions(app)
    assert set(found) == {("edges", ids["E0"]), ("edges", ids["E1"])}
    assert found[("edges", ids["E1"])][1] == "at-end"


def test_custom_goal_and_campaigns_that_do_not_collect(app: Loyalist) -> None:
    """A custom goal converts on its event only; drafts and campaigns whose windows all
    closed count nothing; a campaign launched after the process cached the list is seen
    (its trigger bumps the configuration version)."""
    ids = enrol(app, "C1")
    pay(app, "C1", "warm-up", 100, START)  # the empty list of campaigns is cached now

    def setup(uow: UnitOfWork) -> None:
        visit = add_campaign(uow, "visit", spec(event="x.visit", days=2), launched_at=START)
        draft = add_campaign(uow, "draft", spec(), launched_at=START, state=CampaignState.DRAFT)
        done = add_campaign(
            uow,
            "done",
            spec(days=1),
            launched_at=START - 30 * DAY,
            state=CampaignState.FINISHED,
            finished_at=START - 20 * DAY,
        )
        for c in (visit, draft, done):
            add_sends(uow, c, [(ids["C1"], "default", Q, START)])

    app.db.write(setup)
    pay(app, "C1", "o1", 100, START + DAY)
    send(app, event("v1", "x.visit", "C1", START + DAY + timedelta(hours=1)))
    assert conversions(app) == {
        ("visit", ids["C1"]): ("default", "v1", START + DAY + timedelta(hours=1), 0),
    }


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.permutations(range(4)))
def test_the_first_event_wins_whatever_the_arrival_order(app: Loyalist, order: list[int]) -> None:
    """Orders in the window arriving in any order: the earliest one is the conversion."""
    ids = enrol(app, "F1")
    app.db.write(lambda uow: uow.session.execute(delete(CampaignConversion)))

    def setup(uow: UnitOfWork) -> None:
        if uow.session.scalar(select(Campaign.id).where(Campaign.key == "first")) is None:
            c = add_campaign(uow, "first", spec(days=7), launched_at=START)
            add_sends(uow, c, [(ids["F1"], "default", Q, START)])

    app.db.write(setup)
    run = next(_RUNS)
    for i in order:
        pay(app, "F1", f"{run}-{i}", 100 * (i + 1), START + (i + 1) * DAY)
    found = conversions(app)
    assert found[("first", ids["F1"])][1:] == (f"{run}-0", START + DAY, 100)
