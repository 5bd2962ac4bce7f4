"""The time-driven journeys (points matured, expiring and statements; tier downgrade
warnings and renewals; birthdays; win-back): each queues once per its key in the member's
local days, under reruns and two jobs running at once, only for fresh moments, and
nothing while the journey is off."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.db.uow import UnitOfWork
from loyalist.insights.models import MemberScore, ScoreGeneration
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.messages import journeyconf, preferences
from loyalist.messages import journeys_kit as kit
from loyalist.messages import journeys_points as points
from loyalist.messages import journeys_timed as timed
from loyalist.messages.models import Message, MessageStatus, Topic
from loyalist.rewards import catalogue
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program as apply_tiers
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import mail_app, opened
from tests.integration.test_rewards import reward_spec
from tests.integration.test_rules import apply, rule


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=40))


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = mail_app(db_url, clock, program, None)
    yield loyalist
    loyalist.close()


def enable(app: Loyalist, name: str, **settings: Any) -> None:
    model = journeyconf.journey_model(name)
    chosen = model.model_validate({"enabled": True, **settings})
    app.db.write(lambda uow: journeyconf.put_journeys(uow, {name: chosen}, who="test"))


def enrol(
    app: Loyalist,
    external_id: str,
    *,
    timezone: str | None = None,
    birthday: date | None = None,
    phone: str | None = None,
) -> int:
    """An enrolled member with an email address they accept marketing at (and a zone, a
    birthday and a phone when given)."""
    profile: dict[str, Any] = {
        "email": f"{external_id}@example.com",
        "first_name": "Ann",
        "consents": {"email": True},
    }
    if timezone is not None:
        profile["timezone"] = timezone
    if birthday is not None:
        profile["birthday"] = birthday.isoformat()
    if phone is not None:
        profile["phone"] = phone
    send(app, event(f"enrol-{external_id}", "member.enrolled", external_id, START, **profile))
    return app.db.read(lambda uow: members.get_member_id(uow, external_id))


def credit(app: Loyalist, member_id: int, points: int) -> None:
    """Available points now (a lot expiring 40 days later: the program's expiry)."""
    app.db.write(
        lambda uow: ledger.adjust_points(
            uow, member_id, points, reason="test", issuer="test", program=app.program
        )
    )


def job(app: Loyalist, name: str) -> Callable[[], int]:
    found = {j.name: j for j in app.jobs}[name]
    return lambda: found.run(app.db, app.program, 200)


def queued(app: Loyalist, journey: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    """``(member, natural key, channel, context)`` of the journey's messages, in key order."""

    def op(uow: UnitOfWork) -> list[tuple[int, str, str, dict[str, Any]]]:
        rows = uow.session.scalars(
            select(Message)
            .where(Message.journey == journey)
            .order_by(Message.member_id, Message.natural_key, Message.channel)
        )
        return [
            (m.member_id, m.natural_key, m.channel, orjson.loads(opened(uow, m)["context"] or "{}"))
            for m in rows
        ]

    return app.db.read(op)


def keys(app: Loyalist, journey: str) -> list[tuple[int, str]]:
    return [(m, k) for m, k, _, _ in queued(app, journey)]


def at_once(run: Callable[[], int], times: int = 2) -> list[int]:
    """``run`` on ``times`` threads released together (two workers' passes)."""
    barrier = threading.Barrier(times)
    results: list[int] = []
    lock = threading.Lock()

    def go() -> None:
        barrier.wait()
        done = run()
        with lock:
            results.append(done)

    threads = [threading.Thread(target=go) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def put_reward(app: Loyalist, key: str, cost: int) -> None:
    spec = reward_spec(cost_points=cost)
    app.db.write(lambda uow: catalogue.put_reward(uow, key, spec))


# -- points expiring --------------------------------------------------------------------------
class TestPointsExpiring:
    """Lots credited at START (12:00 UTC, 15 January) expire 40 days later: 24 February,
    12:00 UTC — 21:00 in Tokyo, the same local day there and in UTC."""

    def test_reminders_30_and_7_local_days_ahead_once_per_batch(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        put_reward(app, "fiver", 120)
        put_reward(app, "tenner", 400)
        tokyo, utc = enrol(app, "tokyo", timezone="Asia/Tokyo"), enrol(app, "utc")
        for member in (tokyo, utc):
            credit(app, member, 100)
            credit(app, member, 50)  # the same local expiry day: one batch
        remind = job(app, "points_expiring_reminded")
        clock.set(datetime(2026, 1, 24, 14, 59, tzinfo=UTC))  # 23:59 on the 24th in Tokyo
        assert remind() == 0
        clock.set(datetime(2026, 1, 24, 15, 30, tzinfo=UTC))  # the 25th began in Tokyo only
        assert remind() == 1
        assert remind() == 0
        [(member, key, channel, context)] = queued(app, "points.expiring")
        assert (member, key, channel) == (tokyo, "expiring:2026-02-24:30", "email")
        assert context["expiring_points"] == 150
        assert context["days_left"] == 30
        assert context["expires_on"] == "2026-02-24"
        assert context["rewards"] == [{"name": "Five euros off", "points_cost": 120}]
        clock.set(datetime(2026, 1, 25, 0, 30, tzinfo=UTC))
        assert remind() == 1
        clock.set(datetime(2026, 2, 16, 15, 30, tzinfo=UTC))  # 17 Feb in Tokyo: 7 days left
        assert remind() == 1
        assert keys(app, "points.expiring") == [
            (tokyo, "expiring:2026-02-24:30"),
            (tokyo, "expiring:2026-02-24:7"),
            (utc, "expiring:2026-02-24:30"),
        ]

    def test_a_moment_older_than_the_freshness_window_starts_nothing(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        member = enrol(app, "late")
        credit(app, member, 100)
        remind = job(app, "points_expiring_reminded")
        clock.set(datetime(2026, 1, 26, 1, 0, tzinfo=UTC))  # 30-day moment was 25 h ago
        assert remind() == 0
        clock.set(datetime(2026, 2, 17, 0, 30, tzinfo=UTC))  # the 7-day one is fresh
        assert remind() == 1
        assert keys(app, "points.expiring") == [(member, "expiring:2026-02-24:7")]

    def test_two_jobs_at_once_queue_each_reminder_once(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        ids = [enrol(app, f"m{i}", timezone="Europe/Berlin") for i in range(30)]
        for member in ids:
            credit(app, member, 10)
        clock.set(datetime(2026, 1, 25, 0, 30, tzinfo=UTC))
        results = at_once(job(app, "points_expiring_reminded"))
        assert sum(results) == 30
        assert sorted(m for m, _ in keys(app, "points.expiring")) == ids

    def test_a_pass_works_in_units_of_a_chunk_of_members(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        ids = [enrol(app, f"m{i}") for i in range(23)]
        for member in ids:
            credit(app, member, 10)
        clock.set(datetime(2026, 1, 25, 0, 30, tzinfo=UTC))
        setup = kit.Setup.of(app.settings)
        find, step = points.expiring_candidates, points.remind_expiring
        assert timed.run_in_chunks(app.db, app.program, setup, find, step, chunk=5) == 23
        assert timed.run_in_chunks(app.db, app.program, setup, find, step, chunk=5) == 0

    def test_nothing_while_the_journey_is_off(self, app: Loyalist, clock: ManualClock) -> None:
        credit(app, enrol(app, "off"), 100)
        clock.set(datetime(2026, 1, 25, 0, 30, tzinfo=UTC))
        assert job(app, "points_expiring_reminded")() == 0
        enable(app, "points", expiring_days=[])
        assert job(app, "points_expiring_reminded")() == 0
        assert queued(app, "points.expiring") == []


class TestShortLivedPoints:
    """Points that live 5 days: earned inside the 7-day horizon."""

    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=5))

    def test_get_the_nearest_reminder_at_once_and_no_other(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        member = enrol(app, "short")
        credit(app, member, 70)  # expires 20 January, 12:00 UTC
        remind = job(app, "points_expiring_reminded")
        assert remind() == 1
        clock.set(START + timedelta(days=2))
        assert remind() == 0
        assert keys(app, "points.expiring") == [(member, "expiring:2026-01-20:7")]


def opt_in(app: Loyalist, member_id: int) -> None:
    """The member asks for the monthly statement (the opt-in topic)."""
    topics = {Topic.STATEMENT: True}
    app.db.write(
        lambda uow: preferences.update_preferences(
            uow, member_id, channels={}, topics=topics, source="test"
        )
    )


class TestStatements:
    def test_monthly_on_the_local_first_to_members_who_asked(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points", expiring_days=[])
        tokyo, utc = enrol(app, "tokyo", timezone="Asia/Tokyo"), enrol(app, "utc")
        enrol(app, "quiet")  # never asked: no statement
        for member in (tokyo, utc):
            opt_in(app, member)
            credit(app, member, 100)
        send_statements = job(app, "points_statements_sent")
        clock.set(datetime(2026, 1, 31, 14, 59, tzinfo=UTC))
        assert send_statements() == 0
        clock.set(datetime(2026, 1, 31, 15, 30, tzinfo=UTC))  # 1 February began in Tokyo
        assert at_once(send_statements) == [0, 1]
        clock.set(datetime(2026, 2, 1, 0, 30, tzinfo=UTC))
        assert send_statements() == 1
        assert send_statements() == 0
        found = queued(app, "points.statement")
        assert [(m, k) for m, k, _, _ in found] == [
            (tokyo, "statement:2026-01"),
            (utc, "statement:2026-01"),
        ]
        context = found[0][3]
        assert context["period"] == {"start_on": "2026-01-01", "end_on": "2026-01-31"}
        assert (context["opening_balance"], context["earned"], context["closing_balance"]) == (
            0,
            100,
            100,
        )
        assert context["expiring_soon"] == {"points": 100, "expires_on": "2026-02-24"}
        clock.set(datetime(2026, 2, 15, tzinfo=UTC))
        assert send_statements() == 0

    def test_nothing_while_off(self, app: Loyalist, clock: ManualClock) -> None:
        enable(app, "points", statement=False)
        opt_in(app, enrol(app, "utc"))
        clock.set(datetime(2026, 2, 1, 0, 30, tzinfo=UTC))
        assert job(app, "points_statements_sent")() == 0


# -- points matured ---------------------------------------------------------------------------
def paid_and_delivered(app: Loyalist, member: str, order_id: str, at: datetime) -> None:
    send(
        app,
        event(f"{order_id}-paid", "order.paid", member, at, **order_body(order_id, ("a", 1, 5000))),
        event(f"{order_id}-delivered", "order.delivered", member, at, order_id=order_id),
    )


class TestPointsMatured:
    def test_lots_maturing_together_make_one_message_on_the_local_day(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "points")
        member = enrol(app, "buyer", timezone="America/New_York")
        paid_and_delivered(app, "buyer", "O1", START)
        paid_and_delivered(app, "buyer", "O2", START)
        # due 12:00 UTC on 14 February; run at 22:00 that day in New York (15 Feb in UTC)
        clock.set(datetime(2026, 2, 15, 3, 0, tzinfo=UTC))
        run_jobs(app)
        run_jobs(app)
        [(found, key, _, context)] = queued(app, "points.matured")
        assert (found, key) == (member, "matured:2026-02-14")
        assert context["matured_points"] == 100

    def test_history_maturing_late_is_silent(self, app: Loyalist, clock: ManualClock) -> None:
        enable(app, "points", expiring_days=[])
        enrol(app, "old")
        paid_and_delivered(app, "old", "O1", START - timedelta(days=400))
        run_jobs(app)
        assert queued(app, "points.matured") == []

    def test_nothing_while_off(self, app: Loyalist, clock: ManualClock) -> None:
        enrol(app, "buyer")
        paid_and_delivered(app, "buyer", "O1", START)
        enable(app, "points", matured=False)
        clock.set(START + timedelta(days=31))
        run_jobs(app)
        assert queued(app, "points.matured") == []


# -- tier -------------------------------------------------------------------------------------
TIERS = TierProgram(
    grace_days=30,
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(
            key="gold", name={"en": "Gold", "ru": "Золото"}, threshold=Threshold(spend=50_000)
        ),
    ],
    plans={"plus": "gold"},
)


class TestTierWarnings:
    """Gold reached in 2026 is judged next on 2027 (reviewed 31 January 2028): members who
    spend nothing in 2027 are warned 30 days before the window's last day."""

    def _gold(self, app: Loyalist, clock: ManualClock, *members: str) -> None:
        app.db.write(lambda uow: apply_tiers(uow, TIERS))
        for member in members:
            send(
                app,
                event(
                    f"{member}-o1",
                    "order.paid",
                    member,
                    START,
                    **order_body(f"{member}-o1", ("a", 1, 60_000)),
                ),
            )
        clock.set(datetime(2027, 2, 1, tzinfo=UTC))
        run_jobs(app)  # the first review keeps gold and moves the window to 2027

    def test_warned_on_the_local_day_with_what_keeps_the_tier(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        tokyo, utc = enrol(app, "tokyo", timezone="Asia/Tokyo"), enrol(app, "utc")
        enrol(app, "keeps")
        enrol(app, "paid")
        self._gold(app, clock, "tokyo", "utc", "keeps", "paid")
        send(
            app,
            event("k2", "order.paid", "keeps", clock.now(), **order_body("k2", ("a", 1, 60_000))),
            event(
                "p1",
                "membership.started",
                "paid",
                clock.now(),
                membership_id="ms-1",
                plan="plus",  # grants gold, whatever the review says
                period_end="2028-06-01T00:00:00Z",
            ),
        )
        enable(app, "tier")
        warn = job(app, "tier_downgrades_warned")
        clock.set(datetime(2027, 11, 30, 23, 0, tzinfo=UTC))
        assert warn() == 0
        clock.set(datetime(2027, 12, 1, 10, 0, tzinfo=UTC))  # 1 Dec in UTC, 19:00 in Tokyo
        assert warn() == 1
        clock.set(datetime(2027, 12, 1, 15, 30, tzinfo=UTC))  # the window ends 09:00 1 Jan Tokyo
        assert at_once(warn) == [0, 1]
        assert warn() == 0
        found = queued(app, "tier")
        assert [(m, k) for m, k, _, _ in found] == [
            (tokyo, "downgrade:2028-01-01"),
            (utc, "downgrade:2027-12-31"),
        ]
        context = found[1][3]
        assert context["tier"]["name"] == "Gold"
        assert context["keep"]["spend"] == {"amount_minor": 50_000, "currency": "EUR"}
        assert context["lower_tier"] == "Member"
        assert context["review_on"] == "2027-12-31"

    def test_nothing_while_off(self, app: Loyalist, clock: ManualClock) -> None:
        enrol(app, "utc")
        self._gold(app, clock, "utc")
        clock.set(datetime(2027, 12, 1, 10, 0, tzinfo=UTC))
        assert job(app, "tier_downgrades_warned")() == 0
        assert queued(app, "tier") == []


class TestRenewals:
    def test_reminded_before_the_paid_period_ends_once(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        app.db.write(lambda uow: apply_tiers(uow, TIERS))
        member = enrol(app, "plus", timezone="America/Los_Angeles")
        send(
            app,
            event(
                "p1",
                "membership.started",
                "plus",
                START,
                membership_id="ms-1",
                plan="plus",
                period_end="2026-03-01T12:00:00Z",  # 04:00 on 1 March in Los Angeles
            ),
        )
        enable(app, "tier", renewal_reminder_days=14)
        remind = job(app, "tier_renewals_reminded")
        clock.set(datetime(2026, 2, 15, 7, 30, tzinfo=UTC))  # 23:30 on the 14th there
        assert remind() == 0
        clock.set(datetime(2026, 2, 15, 8, 30, tzinfo=UTC))
        assert at_once(remind) == [0, 1]
        [(found, key, _, context)] = queued(app, "tier")
        assert (found, key) == (member, "renewal:ms-1:2026-03-01")
        assert context["membership"]["name"] == "Gold"
        assert context["membership"]["price"] is None


# -- birthday ---------------------------------------------------------------------------------
class TestBirthday:
    def test_on_the_member_local_day_once_a_year(self, app: Loyalist, clock: ManualClock) -> None:
        enable(app, "birthday")
        auckland = enrol(app, "auckland", timezone="Pacific/Auckland", birthday=date(1990, 1, 16))
        utc = enrol(app, "utc", birthday=date(1990, 1, 16))
        enrol(app, "other", birthday=date(1990, 6, 1))
        greet = job(app, "birthdays_greeted")
        assert greet() == 1  # START is 01:00 on 16 January in Auckland
        clock.set(datetime(2026, 1, 16, 0, 30, tzinfo=UTC))
        assert at_once(greet) == [0, 1]
        clock.set(datetime(2026, 1, 16, 20, 0, tzinfo=UTC))
        assert greet() == 0
        clock.set(datetime(2027, 1, 16, 0, 30, tzinfo=UTC))
        assert greet() == 2
        assert keys(app, "birthday") == [
            (auckland, "birthday:2026"),
            (auckland, "birthday:2027"),
            (utc, "birthday:2026"),
            (utc, "birthday:2027"),
        ]

    def test_29_february_on_28_february_in_other_years(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "birthday")
        leap = enrol(app, "leap", birthday=date(2000, 2, 29))
        greet = job(app, "birthdays_greeted")
        clock.set(datetime(2027, 2, 28, 12, 0, tzinfo=UTC))
        assert greet() == 1
        clock.set(datetime(2028, 2, 28, 12, 0, tzinfo=UTC))
        assert greet() == 0
        clock.set(datetime(2028, 2, 29, 12, 0, tzinfo=UTC))
        assert greet() == 1
        assert keys(app, "birthday") == [(leap, "birthday:2027"), (leap, "birthday:2028")]

    def test_carries_what_the_gift_rule_granted(self, app: Loyalist, clock: ManualClock) -> None:
        campaign = {
            "name": {"en": "A birthday treat", "ru": "Подарок ко дню рождения"},
            "discount": {"type": "percent", "percent": "15"},
            "code_valid_days": 30,
        }
        app.db.write(
            lambda uow: coupons.put_campaign(uow, "treat", CampaignIn.model_validate(campaign))
        )
        effects = [{"type": "fixed", "points": 200}, {"type": "coupon", "campaign": "treat"}]
        apply(app, rule("bday", on="birthday", effects=effects))
        enable(app, "birthday", gift_rule="bday")
        member = enrol(app, "auckland", timezone="Pacific/Auckland", birthday=date(1990, 1, 16))
        gifts, greet = job(app, "birthdays"), job(app, "birthdays_greeted")
        assert (gifts(), greet()) == (0, 0)  # the member's day began, the program's (UTC) not
        clock.set(datetime(2026, 1, 16, 0, 30, tzinfo=UTC))
        assert greet() == 0  # the rules' birthday job has not run yet
        assert (gifts(), greet()) == (1, 1)
        [(found, key, _, context)] = queued(app, "birthday")
        assert (found, key) == (member, "birthday:2026")
        gift = context["gift"]
        assert gift["points"] == 200
        assert gift["description"] == "Bday"
        assert gift["coupon"]["description"] == "A birthday treat"
        codes = app.db.read(lambda uow: coupons.member_coupons(uow, member, usable_only=True))
        assert gift["coupon"]["code"] == coupons.show(codes[0]["code"])

    def test_by_sms_too_where_the_member_has_a_phone(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "birthday", channels=["email", "sms"])
        texted = enrol(app, "texted", birthday=date(1990, 1, 15), phone="+491701234567")
        mailed = enrol(app, "mailed", birthday=date(1990, 1, 15))
        assert job(app, "birthdays_greeted")() == 3
        assert [(m, c) for m, _, c, _ in queued(app, "birthday")] == [
            (texted, "email"),
            (texted, "sms"),
            (mailed, "email"),
        ]

    def test_nothing_while_off(self, app: Loyalist, clock: ManualClock) -> None:
        enrol(app, "utc", birthday=date(1990, 1, 15))
        assert job(app, "birthdays_greeted")() == 0
        assert queued(app, "birthday") == []


# -- win-back ---------------------------------------------------------------------------------
COME_BACK = {
    "name": {"en": "15% off, just for you", "ru": "Скидка 15% только для вас"},
    "discount": {"type": "percent", "percent": "15"},
    "code_valid_days": 30,
}


def publish_scores(app: Loyalist, at: datetime, scores: dict[int, tuple[str, float]]) -> None:
    """A published scores generation: each member's RFM segment and churn risk."""

    def op(uow: UnitOfWork) -> None:
        generation = ScoreGeneration(computed_at=at, published_at=at, segments_at=at)
        uow.session.add(generation)
        uow.session.flush()
        uow.session.add_all(
            MemberScore(
                generation=generation.id,
                member_id=member,
                computed_at=at,
                segment=segment,
                churn_risk=risk,
            )
            for member, (segment, risk) in scores.items()
        )

    app.db.write(op)


class TestWinBack:
    @pytest.fixture(autouse=True)
    def _campaign(self, app: Loyalist) -> None:
        spec = CampaignIn.model_validate(COME_BACK)
        app.db.write(lambda uow: coupons.put_campaign(uow, "come-back", spec))

    def test_members_at_risk_get_a_personal_coupon_once_per_cooldown(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "win_back", coupon_campaign="come-back", cooldown_days=90)
        risky, churning, happy = (enrol(app, name) for name in ("risky", "churning", "happy"))
        scores = {risky: ("at_risk", 0.2), churning: ("champions", 0.9), happy: ("loyal", 0.1)}
        publish_scores(app, START, scores)
        send_win_backs = job(app, "win_backs_sent")
        assert at_once(send_win_backs) == [0, 2]
        assert send_win_backs() == 0
        found = queued(app, "win_back")
        generation = found[0][1]
        assert generation.startswith("win_back:")
        assert [(m, k) for m, k, _, _ in found] == [(risky, generation), (churning, generation)]
        codes = {context["coupon"]["code"] for _, _, _, context in found}
        assert len(codes) == 2
        clock.set(START + timedelta(days=10))
        publish_scores(app, clock.now(), scores)
        assert send_win_backs() == 0  # within the cooldown
        clock.set(START + timedelta(days=91))
        publish_scores(app, clock.now(), scores)
        assert send_win_backs() == 2

    def test_an_order_after_it_was_queued_ends_the_journey(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enable(app, "win_back", coupon_campaign="come-back")
        back, away = enrol(app, "back"), enrol(app, "away")
        publish_scores(app, START, {back: ("at_risk", 0.8), away: ("at_risk", 0.8)})
        assert job(app, "win_backs_sent")() == 2
        clock.set(START + timedelta(hours=1))
        send(app, event("b1", "order.paid", "back", clock.now(), **order_body("b1", ("a", 1, 900))))
        clock.set(START + timedelta(hours=2))
        run_jobs(app)

        def status(uow: UnitOfWork) -> dict[int, tuple[str, str | None]]:
            rows = uow.session.scalars(select(Message).where(Message.journey == "win_back"))
            return {m.member_id: (m.status, m.reason) for m in rows}

        found = app.db.read(status)
        assert found[back][0] == MessageStatus.SUPPRESSED
        assert "ordered" in (found[back][1] or "")
        assert found[away][0] != MessageStatus.SUPPRESSED

    def test_stale_scores_and_a_journey_off_send_nothing(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        member = enrol(app, "risky")
        publish_scores(app, START, {member: ("at_risk", 0.9)})
        assert job(app, "win_backs_sent")() == 0  # off
        enable(app, "win_back", coupon_campaign="come-back")
        clock.set(START + timedelta(hours=25))
        assert job(app, "win_backs_sent")() == 0  # published longer ago than the window
        assert queued(app, "win_back") == []
