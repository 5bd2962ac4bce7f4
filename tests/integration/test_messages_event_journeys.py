"""The event journeys besides shipping, end to end on a real database and a loopback SMTP
server: welcome on enrolment (the live program, the referral code and link), a reward a
rule granted with its code, a referral converted (to the referrer) and the friend's
welcome offer, the tier upgrade. Each is off by default and then reads nothing; each
queues once per natural key under replayed and concurrent events; old facts are skipped
and counted."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.message import EmailMessage
from typing import Any, cast

import pytest

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.messages import service as messages
from loyalist.referrals import service as referrals
from loyalist.rewards import service as rewards
from loyalist.settings import ProgramPolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import member_pk, run_jobs, send
from tests.integration.messaging import checked_contexts, enable, mail_app, messages_of
from tests.integration.test_referrals import MATURITY, configure
from tests.integration.test_rewards import put as put_reward
from tests.integration.test_rules import apply, rule
from tests.smtp import SmtpSink

TIERS = {
    "levels": [
        {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
        {
            "key": "gold",
            "name": {"en": "Gold", "ru": "Золото"},
            "threshold": {"spend": 50_000},
            "perks": {"free_shipping": True, "earning_multiplier": "1.5"},
        },
    ]
}


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    loyalist = mail_app(db_url, clock, program, sink.port)
    yield loyalist
    loyalist.close()


def enrolment(member: str, at: Any = START, **data: Any) -> dict[str, Any]:
    profile = {"email": f"{member.lower()}@example.com", "consents": {"email": True}, **data}
    return event(f"enrol-{member}", "member.enrolled", member, at, **profile)


def pay(app: Loyalist, member: str, order: str, amount: int, at: Any = START) -> None:
    body = order_body(order, ("SKU", 1, amount))
    send(app, event(f"pay-{order}", "order.paid", member, at, **body))


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\u00a0", " ")


def received(sink: SmtpSink, subject: str) -> list[EmailMessage]:
    return [m for m in sink.received if subject in str(m["Subject"]).replace("\u00a0", " ")]


def journey(app: Loyalist, member: str, name: str) -> list[str]:
    return sorted(m.natural_key for m in messages_of(app, member) if m.journey == name)


def skipped(app: Loyalist) -> dict[str, int]:
    found = app.db.read(messages.skipped_counts)
    return {str(s["journey"]): cast(int, s["skipped_count"]) for s in found}


class TestWelcome:
    def test_it_explains_the_live_program_and_gives_the_referral_code_in_russian(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        apply(
            app,
            rule(
                "orders",
                on="order.paid",
                effects=[{"type": "per_unit", "rates": {"EUR": "1"}, "base": True}],
            ),
            tiers=TIERS,
        )
        put_reward(app)
        configure(app)
        enable(app, welcome={"enabled": True})

        send(app, enrolment("M1", first_name="Иван", locale="ru"))
        assert checked_contexts(app) == {"welcome": 1}
        run_jobs(app)

        [message] = received(sink, "добро пожаловать в клуб Loyalist")
        assert str(message["To"]) == "m1@example.com"
        assert "List-Unsubscribe" in message  # marketing
        text = text_of(message)
        assert "Здравствуйте, Иван!" in text
        assert "- ORDERS: 1 балл за 1 €" in text  # the rule's Russian name
        assert "- «Участник» (сразу после регистрации)" in text
        assert "- «Золото» (500 €): ×1,5 баллов за покупки; Бесплатная доставка" in text
        assert "- Скидка пять евро — 300 баллов" in text
        assert "Баллы действуют 12 месяцев" in text
        referral = app.db.write(lambda uow: referrals.member_referral(uow, "M1"))
        assert referral["code"] in text
        assert referral["share_url"] in text
        assert journey(app, "M1", "welcome") == ["enrolled"]

    def test_three_concurrent_copies_of_the_enrolment_welcome_once(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enable(app, welcome={"enabled": True})
        parsed, _ = parse_batch([enrolment("M1")])

        with ThreadPoolExecutor(3) as pool:
            futures = [
                pool.submit(app.db.write, lambda uow: ingest_events(uow, parsed)) for _ in range(3)
            ]
            for future in futures:
                future.result()
        send(app, enrolment("M1"))  # a replay
        run_jobs(app)

        assert journey(app, "M1", "welcome") == ["enrolled"]
        assert len(sink.received) == 1

    def test_the_delay_makes_it_due_later(self, app: Loyalist) -> None:
        enable(app, welcome={"enabled": True, "delay_hours": 2})
        send(app, enrolment("M1"))

        [message] = messages_of(app, "M1")
        assert message.due_at == START + timedelta(hours=2)

    def test_an_old_enrolment_is_skipped_and_counted_and_off_means_nothing(
        self, app: Loyalist
    ) -> None:
        send(app, enrolment("M0"))  # the journey is off by default: nothing, nothing counted
        assert messages_of(app, "M0") == []
        assert "welcome" not in skipped(app)

        enable(app, welcome={"enabled": True})
        send(app, enrolment("M1", START - timedelta(hours=25)))
        assert messages_of(app, "M1") == []
        assert skipped(app)["welcome"] == 1


class TestRewardsAndReferrals:
    def test_a_reward_a_rule_granted_comes_with_its_code(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        put_reward(app)
        apply(app, rule("gift", on="order.paid", effects=[{"type": "reward", "reward": "fiver"}]))
        enable(app, rewards_referrals={"enabled": True})
        send(app, enrolment("M1", consents={"email": False}))
        pay(app, "M1", "O1", 6000)
        pay(app, "M1", "O1", 6000)  # a replay
        assert checked_contexts(app)["reward_issued"] == 1

        run_jobs(app)

        [issued] = app.db.read(lambda uow: rewards.member_redemptions(uow, member_pk(app, "M1")))
        assert journey(app, "M1", "rewards_referrals") == [f"reward:{issued['id']}"]
        [message] = received(sink, "Your reward")  # transactional: no consent needed
        text = text_of(message)
        assert f"Your code: {coupons.show(issued['code'])}" in text
        assert "Five euros off" in text

    def test_the_friend_is_welcomed_and_the_referrer_hears_of_the_conversion(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        configure(app)
        enable(app, rewards_referrals={"enabled": True})
        send(app, enrolment("ANNA", first_name="Anna"))
        code = app.db.write(lambda uow: referrals.member_referral(uow, "ANNA"))["code"]
        send(app, enrolment("BOB", first_name="Bob", referral={"code": code}))
        [welcome] = journey(app, "BOB", "rewards_referrals")
        assert welcome.endswith(":friend_welcome")
        assert checked_contexts(app) == {"referral_friend_welcome": 1}

        pay(app, "BOB", "O1", 6000)
        clock.advance(MATURITY)
        run_jobs(app)

        [converted] = journey(app, "ANNA", "rewards_referrals")
        assert converted.endswith(":converted")
        [invited] = received(sink, "Anna invited you to Loyalist")
        assert str(invited["To"]) == "bob@example.com"
        assert "here is a welcome gift: 100 bonus points when you sign up." in text_of(invited)
        [thanks] = received(sink, "Bob placed an order: +500 points for you")
        assert str(thanks["To"]) == "anna@example.com"
        assert f"your code {code}" in text_of(thanks)

    def test_off_by_default(self, app: Loyalist) -> None:
        put_reward(app)
        apply(app, rule("gift", on="order.paid", effects=[{"type": "reward", "reward": "fiver"}]))
        send(app, enrolment("M1"))
        pay(app, "M1", "O1", 6000)

        assert journey(app, "M1", "rewards_referrals") == []


class TestTierUpgrade:
    def test_the_upgrade_is_congratulated_once_with_the_new_perks(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        apply(app, tiers=TIERS)
        enable(app, tier={"enabled": True})
        send(app, enrolment("M1"))
        pay(app, "M1", "O1", 60_000)
        pay(app, "M1", "O1", 60_000)
        assert checked_contexts(app)["tier_upgrade"] == 1

        run_jobs(app)

        [key] = journey(app, "M1", "tier")
        assert key.startswith("upgrade:gold:")
        [message] = received(sink, "Welcome to Gold")
        text = text_of(message)
        assert "Free shipping" in text

    def test_an_old_upgrade_is_skipped_and_counted(self, app: Loyalist) -> None:
        apply(app, tiers=TIERS)
        enable(app, tier={"enabled": True})
        send(app, enrolment("M1", START - timedelta(days=3)))
        pay(app, "M1", "O1", 60_000, START - timedelta(days=2))

        assert journey(app, "M1", "tier") == []
        assert skipped(app)["tier"] == 1
