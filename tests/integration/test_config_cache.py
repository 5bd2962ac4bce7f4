"""Configuration cached per process (``db.configs``): a change committed through one
process is what the next unit of every other process decides with, never the cached one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from threading import Event
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.configs import ConfigVersion
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import definitions
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind
from loyalist.gamification.schemas import BadgeSpec
from loyalist.referrals import service as referrals
from loyalist.referrals.schemas import ReferralProgramIn
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import ProgramPolicy, Settings
from loyalist.tiers import service as tiers
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram
from tests.conftest import START, TEST_KEY, event
from tests.integration.helpers import points, send

NAME = {"en": "Name", "ru": "Имя"}


@pytest.fixture
def other(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    """A second application on the same database: another engine, as another process has."""
    settings = Settings(database_url=db_url, program=program, writer_linger_ms=0.5)
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def ping_rule(award: int) -> Callable[[UnitOfWork], Any]:
    program = ProgramFile.model_validate(
        {
            "rules": [
                {
                    "key": "ping",
                    "name": NAME,
                    "on": "x.ping",
                    "effects": [{"type": "fixed", "points": award}],
                }
            ]
        }
    )
    return lambda uow: programs.apply_program(uow, program, actor="test")


def tier_program(spend: int) -> TierProgram:
    return TierProgram(
        levels=[
            TierLevel(key="member", name=NAME),
            TierLevel(key="silver", name=NAME, threshold=Threshold(spend=spend)),
        ]
    )


def badge(condition: str) -> Callable[[UnitOfWork], Any]:
    spec = BadgeSpec.model_validate({"name": NAME, "criteria": condition})
    return lambda uow: gamification.put_definition(uow, DefinitionKind.BADGE, "b", spec)


def referral_program(points_: int) -> Callable[[UnitOfWork], Any]:
    config = ReferralProgramIn.model_validate({"referrer_reward": {"points": points_}})
    return lambda uow: referrals.put_program(uow, config, who="test")


def version(app: Loyalist, name: str) -> int | None:
    return app.db.read(
        lambda uow: uow.session.scalar(
            select(ConfigVersion.version).where(ConfigVersion.name == name)
        )
    )


class TestAcrossProcesses:
    def test_a_rule_changed_through_one_process_decides_the_others_next_event(
        self, app: Loyalist, other: Loyalist
    ) -> None:
        app.db.write(ping_rule(5))
        send(app, event("m", "member.enrolled", "M1", START))
        send(other, event("p1", "x.ping", "M1", START))  # the other process caches it
        send(other, event("p2", "x.ping", "M1", START))
        assert points(other, "M1")["available"] == 10
        app.db.write(ping_rule(9))
        send(other, event("p3", "x.ping", "M1", START))
        assert points(other, "M1")["available"] == 19
        app.db.write(ping_rule(1))
        send(other, event("p4", "x.ping", "M1", START))
        assert points(app, "M1")["available"] == 20

    def test_an_event_sent_after_a_change_commits_never_gets_the_old_award(
        self, app: Loyalist, other: Loyalist
    ) -> None:
        """Events stream through one process while the other changes the rule: every event
        sent after the change returned earns the new award."""
        app.db.write(ping_rule(5))
        send(app, event("m", "member.enrolled", "M1", START))
        changed = Event()
        awards: list[tuple[bool, int]] = []

        def stream() -> None:
            balance = 0
            for n in range(500):
                is_after = changed.is_set()
                send(other, event(f"p{n}", "x.ping", "M1", START))
                now = points(other, "M1")["available"]
                awards.append((is_after, now - balance))
                balance = now
                if sum(after for after, _ in awards) >= 5:
                    return

        with ThreadPoolExecutor(1) as pool:
            streaming = pool.submit(stream)
            app.db.write(ping_rule(1000))
            changed.set()
            streaming.result()
        assert [award for after, award in awards if after] == [1000] * 5
        assert {award for _, award in awards} <= {5, 1000}

    def test_tiers_gamification_and_referrals_changed_elsewhere_are_read_again(
        self, app: Loyalist, other: Loyalist
    ) -> None:
        def seen(uow: UnitOfWork) -> tuple[Any, ...]:
            book = tiers.TierBook(uow, UTC, lock=False)
            config = referrals.current_config(uow)
            return (
                book.levels[-1].threshold,
                [b.spec.criteria for b in definitions.active(uow).badges],
                None if config is None else config.referrer_reward,
            )

        app.db.write(lambda uow: tiers.apply_program(uow, tier_program(100)))
        app.db.write(badge("member.orders >= 1"))
        app.db.write(referral_program(10))
        before = other.db.read(seen)
        assert other.db.read(seen) == before
        app.db.write(lambda uow: tiers.apply_program(uow, tier_program(200)))
        app.db.write(badge("member.orders >= 2"))
        app.db.write(referral_program(20))
        after = other.db.read(seen)
        assert after[0] == Threshold(spend=200)
        assert after[1] == ["member.orders >= 2"]
        assert after[2] is not None
        assert after[2].points == 20


class TestVersions:
    @pytest.mark.parametrize(
        ("name", "change"),
        [
            ("rules", ping_rule(3)),
            ("tiers", lambda uow: tiers.apply_program(uow, tier_program(100))),
            ("gamification", badge("member.orders >= 1")),
            (
                "gamification",
                lambda uow: (
                    badge("member.orders >= 1")(uow),
                    gamification.deactivate(uow, DefinitionKind.BADGE, "b"),
                ),
            ),
            ("referrals", referral_program(10)),
        ],
    )
    def test_every_change_of_a_configuration_gives_it_a_new_version(
        self, app: Loyalist, name: str, change: Callable[[UnitOfWork], Any]
    ) -> None:
        before = version(app, name)
        app.db.write(change)
        after = version(app, name)
        assert after is not None
        assert after != before

    def test_a_change_rolled_back_leaves_the_version(self, app: Loyalist) -> None:
        app.db.write(ping_rule(3))
        before = version(app, "rules")

        def fail(uow: UnitOfWork) -> None:
            ping_rule(4)(uow)
            raise RuntimeError("changed my mind")

        with pytest.raises(RuntimeError):
            app.db.write(fail)
        assert version(app, "rules") == before

    def test_the_unit_that_changed_a_program_decides_with_the_new_one(self, app: Loyalist) -> None:
        send(app, event("m", "member.enrolled", "M1", START))
        app.db.write(ping_rule(5))
        send(app, event("p1", "x.ping", "M1", START))

        def change_then_ping(uow: UnitOfWork) -> None:
            ping_rule(7)(uow)
            send_in(uow, event("p2", "x.ping", "M1", START))

        app.db.write(change_then_ping)
        assert points(app, "M1")["available"] == 12


def send_in(uow: UnitOfWork, *events: dict[str, Any]) -> None:
    parsed, _ = parse_batch(list(events))
    ingest_events(uow, parsed)
