"""The clock jumps forward (days, months, a year) and back across maturity, expiry, the
expiry notice, birthdays and tier reviews, with the due work run at every stop by two
workers at once (on PostgreSQL two applications, each with its own connections) and then
again: each lot matures once and expires once, each notice and
each birthday gift comes once, each tier review happens once, and a jump back redoes
nothing. Hypothesis draws the jumps.

The birthday job grants on the program's date (``rules.jobs.award_birthdays``): a jump over
a birthday skips it, so the expected gifts are those of the dates the clock stopped on."""

from __future__ import annotations

import calendar
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Select, select

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.ledger import service as ledger
from loyalist.ledger.models import Lot, LotMove, Posting, PostingKind
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import ProgramPolicy, Settings
from loyalist.tiers.models import ChangeReason, TierChange
from tests.conftest import START, TEST_KEY, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, run_jobs, send

NOTICE = timedelta(days=30)  # ProgramPolicy.expiry_notice_days
BIRTHDAYS = {"M1": date(1990, 1, 20), "M3": date(2000, 2, 29)}
PROGRAM = ProgramFile.model_validate(
    {
        "rules": [
            {
                "key": "base",
                "name": {"en": "Base points", "ru": "Базовые баллы"},
                "on": "order.paid",
                "effects": [{"type": "per_unit", "base": True, "rates": {"EUR": 1}}],
            },
            {
                "key": "birthday",
                "name": {"en": "Birthday", "ru": "День рождения"},
                "on": "birthday",
                "effects": [{"type": "fixed", "points": 200}],
            },
        ],
        "tiers": {
            "window": "calendar_year",
            "grace_days": 30,
            "downgrade": "one_step",
            "currency": "EUR",
            "levels": [
                {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
                {
                    "key": "silver",
                    "name": {"en": "Silver", "ru": "Серебро"},
                    "threshold": {"spend": 20000},
                },
            ],
        },
    }
)
#: Each example's members are new ones (``e<n>-M1`` …): the examples share the database.
_EXAMPLES = count()

jumps = st.lists(
    st.tuples(st.integers(min_value=-45, max_value=400), st.integers(min_value=0, max_value=23)),
    min_size=1,
    max_size=4,
)


def _arrange(app: Loyalist, clock: ManualClock, prefix: str) -> dict[str, int]:
    """M1: an order delivered now (pending points) and a birthday on 20 January; M2: an
    order reaching silver this year; M3: points credited now, a birthday on 29 February."""
    clock.set(START)
    m1, m2, m3 = (f"{prefix}-{m}" for m in ("M1", "M2", "M3"))
    send(
        app,
        event(f"{m1}-enrol", "member.enrolled", m1, START, birthday=BIRTHDAYS["M1"].isoformat()),
        event(f"{m3}-enrol", "member.enrolled", m3, START, birthday=BIRTHDAYS["M3"].isoformat()),
        event(f"{m1}-o", "order.placed", m1, START, **order_body(f"{m1}-o", ("shoe", 1, 5000))),
        event(f"{m1}-p", "order.paid", m1, START, order_id=f"{m1}-o"),
        event(f"{m1}-d", "order.delivered", m1, START, order_id=f"{m1}-o"),
        event(f"{m2}-o", "order.placed", m2, START, **order_body(f"{m2}-o", ("coat", 1, 25000))),
        event(f"{m2}-p", "order.paid", m2, START, order_id=f"{m2}-o"),
    )
    ids = {m: member_pk(app, f"{prefix}-{m}") for m in ("M1", "M2", "M3")}
    app.db.write(
        lambda uow: ledger.adjust_points(
            uow, ids["M3"], 50, reason="clock", issuer="test", program=app.program
        )
    )
    return ids


def _run_due_work(app: Loyalist, other: Loyalist) -> None:
    """Two workers at once, then one more pass."""
    threads = [threading.Thread(target=run_jobs, args=(a,)) for a in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive(), "a pass of the due work did not end"
    run_jobs(app)


@pytest.fixture
def second_worker(
    app: Loyalist, db_url: str, clock: ManualClock, program: ProgramPolicy
) -> Iterator[Loyalist]:
    """A second worker: on PostgreSQL another application on the same database and clock
    (its own engine and connections, as another process has); on SQLite, whose layout is
    one writing process, a second thread of the same application."""
    if app.db.is_sqlite:
        yield app
        return
    settings = Settings(database_url=db_url, program=program, writer_linger_ms=0.5)
    other = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield other
    other.close()


def _lots(app: Loyalist, ids: dict[str, int]) -> list[Any]:
    columns = (Lot.id, Lot.member_id, Lot.order_ref, Lot.expires_at, Lot.expiry_noticed_at)
    query = select(*columns).where(Lot.member_id.in_(ids.values())).order_by(Lot.id)
    return list(app.db.read(lambda uow: uow.session.execute(query).all()))


def _postings(app: Loyalist, ids: dict[str, int], kind: PostingKind) -> Counter[Any]:
    """Postings of ``kind`` per lot (per order for maturity, which moves no lot bucket)."""
    query: Select[Any] = (
        select(Posting.order_ref)
        if kind == PostingKind.MATURE
        else select(LotMove.lot_id).join(Posting, Posting.id == LotMove.posting_id)
    )
    query = query.where(Posting.kind == kind, Posting.member_id.in_(ids.values()))
    return Counter(app.db.read(lambda uow: uow.session.scalars(query).all()))


def _birthday_gifts(app: Loyalist, member_id: int) -> int:
    query = select(Posting.id).where(
        Posting.member_id == member_id,
        Posting.kind == PostingKind.EARN,
        Posting.order_ref.is_(None),
    )
    return len(app.db.read(lambda uow: uow.session.scalars(query).all()))


def _reviews(app: Loyalist, member_id: int) -> int:
    query = select(TierChange.id).where(
        TierChange.member_id == member_id, TierChange.reason == ChangeReason.REVIEW
    )
    return len(app.db.read(lambda uow: uow.session.scalars(query).all()))


def _celebrated(born: date, year: int) -> date:
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def _past_everything(latest: datetime) -> datetime:
    """A moment after every lot's expiry, on no birthday (a gift then would be a new lot)."""
    at = latest + timedelta(days=800)
    while any(at.date() == _celebrated(born, at.year) for born in BIRTHDAYS.values()):
        at += timedelta(days=1)
    return at


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=jumps)
# on M1's birthday; a year later on it again, within the notice of M3's points; back ten
# days; past the expiry and the tier review
@example(steps=[(5, 0), (365, 0), (-10, 3), (40, 0)])
@example(steps=[(775, 0)])  # 29 February 2028: M3's birthday on its day
@example(steps=[(339, 12)])  # 800 days on is 28 February 2029, M3's birthday that year
def test_each_due_job_runs_once_whatever_the_clock_jumps(
    app: Loyalist, second_worker: Loyalist, clock: ManualClock, steps: list[tuple[int, int]]
) -> None:
    app.db.write(lambda uow: programs.apply_program(uow, PROGRAM, actor="test"))
    ids = _arrange(app, clock, f"e{next(_EXAMPLES)}")
    stops: list[datetime] = []
    noticed: dict[int, datetime] = {}
    moves = [timedelta(days=d, hours=h) for d, h in steps]
    for n in range(len(moves) + 1):
        if n < len(moves):
            clock.advance(moves[n])
        else:  # at last, past everything (the newest birthday gift's expiry too)
            clock.set(_past_everything(max(stops)))
        stops.append(clock.now())
        _run_due_work(app, second_worker)
        for lot in _lots(app, ids):
            if lot.id in noticed:  # a notice is given once: never given again
                assert lot.expiry_noticed_at == noticed[lot.id]
            elif lot.expiry_noticed_at is not None:
                noticed[lot.id] = lot.expiry_noticed_at
        assert max(_postings(app, ids, PostingKind.MATURE).values(), default=0) <= 1
        assert max(_postings(app, ids, PostingKind.EXPIRE).values(), default=0) <= 1
        assert _reviews(app, ids["M2"]) <= 1

    lots = _lots(app, ids)
    # every lot matured (the orders') and expired once: the last stop is past them all
    orders = {lot.order_ref: 1 for lot in lots if lot.order_ref is not None}
    assert len(orders) == 2
    assert _postings(app, ids, PostingKind.MATURE) == orders
    assert _postings(app, ids, PostingKind.EXPIRE) == {lot.id: 1 for lot in lots}
    # a notice exactly for the lots a stop saw within 30 days of their expiry, before it
    # expired (a stop after the expiry and a jump back find nothing left to announce)
    for lot in lots:
        before = stops[: next(n for n, t in enumerate(stops) if t >= lot.expires_at)]
        window = [t for t in before if lot.expires_at - NOTICE <= t]
        assert (lot.id in noticed) == bool(window), (lot, stops)
    # a birthday gift for each year a stop fell on the (local, here UTC) birthday
    for member, born in BIRTHDAYS.items():
        days = {t.date() for t in stops}
        years = {t.year for t in stops if t.date() == _celebrated(born, t.year)}
        assert _birthday_gifts(app, ids[member]) == len(years), (member, sorted(days))
    assert _reviews(app, ids["M2"]) == 1
    assert_ledger_consistent(app)
