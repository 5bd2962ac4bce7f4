"""Journey settings stored and read (``journeyconf``): defaults until configured, the
stored ones after, and a change committed through another process seen by the next unit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from loyalist import programfile
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.configs import JOURNEYS, ConfigVersion
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.messages.errors import JourneySettingsInvalidError
from loyalist.messages.journeyconf import (
    Birthday,
    Journey,
    JourneysConfig,
    Welcome,
    WinBack,
    journeys,
    put_journeys,
)
from loyalist.settings import ProgramPolicy, Settings
from tests.conftest import TEST_KEY
from tests.journeys import journeys_configs


@pytest.fixture
def other(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    """A second application on the same database, as another process has."""
    settings = Settings(database_url=db_url, program=program, writer_linger_ms=0.5)
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def put(app: Loyalist, **settings: Journey) -> list[str]:
    return app.db.write(lambda uow: put_journeys(uow, settings, who="test", root="/journeys"))


def version(app: Loyalist) -> int | None:
    return app.db.read(
        lambda uow: uow.session.scalar(
            select(ConfigVersion.version).where(ConfigVersion.name == JOURNEYS)
        )
    )


def test_nothing_stored_reads_the_defaults(app: Loyalist) -> None:
    assert app.db.read(journeys) == JourneysConfig()


def test_stored_settings_are_read_and_the_others_keep_their_defaults(app: Loyalist) -> None:
    before = version(app)
    assert put(app, welcome=Welcome(enabled=True, delay_hours=2)) == ["welcome"]
    assert version(app) != before
    config = app.db.read(journeys)
    assert config.welcome == Welcome(enabled=True, delay_hours=2)
    assert config.model_dump(exclude={"welcome"}) == JourneysConfig().model_dump(
        exclude={"welcome"}
    )


def test_the_same_settings_again_write_nothing(app: Loyalist) -> None:
    put(app, welcome=Welcome(enabled=True))
    before = version(app)
    assert put(app, welcome=Welcome(enabled=True), shipping=JourneysConfig().shipping) == []
    assert version(app) == before


def test_a_change_through_another_process_is_seen_by_the_next_unit(
    app: Loyalist, other: Loyalist
) -> None:
    assert other.db.read(journeys).win_back.enabled is False  # cached there
    put(app, win_back=WinBack(enabled=True, cooldown_days=30))
    seen = other.db.read(journeys).win_back
    assert (seen.enabled, seen.cooldown_days) == (True, 30)


def test_the_unit_that_changed_them_reads_the_new_ones(app: Loyalist) -> None:
    def change_then_read(uow: UnitOfWork) -> bool:
        assert journeys(uow).welcome.enabled is False
        put_journeys(uow, {"welcome": Welcome(enabled=True)}, who="test")
        return journeys(uow).welcome.enabled

    assert app.db.write(change_then_read) is True


def test_a_rule_or_campaign_that_does_not_exist_is_refused_and_nothing_written(
    app: Loyalist,
) -> None:
    with pytest.raises(JourneySettingsInvalidError) as caught:
        put(
            app,
            welcome=Welcome(enabled=True),
            birthday=Birthday(gift_rule="no-such-rule"),
            win_back=WinBack(coupon_campaign="no-such-campaign"),
        )
    assert [e.pointer for e in caught.value.errors] == [
        "/journeys/birthday/gift_rule",
        "/journeys/win_back/coupon_campaign",
    ]
    assert app.db.read(journeys) == JourneysConfig()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=journeys_configs)
def test_any_valid_settings_applied_from_a_file_are_exported_as_they_were(
    app: Loyalist, drawn: JourneysConfig
) -> None:
    """Apply a file of journeys, export the program, apply the export: the same settings,
    and the second apply changes nothing (without a gift rule or coupon campaign: those
    must exist)."""
    config = drawn.model_copy(
        update={
            "birthday": drawn.birthday.model_copy(update={"gift_rule": None}),
            "win_back": drawn.win_back.model_copy(update={"coupon_campaign": None}),
        }
    )
    first = programfile.WholeProgram.model_validate({"journeys": config.model_dump(mode="json")})
    app.db.write(lambda uow: programfile.apply(uow, first, actor="test", by=SYSTEM))
    exported = app.db.read(programfile.export)
    assert exported["journeys"] == config.model_dump(mode="json")
    again = programfile.WholeProgram.model_validate({"journeys": exported["journeys"]})
    report = app.db.write(lambda uow: programfile.apply(uow, again, actor="test", by=SYSTEM))
    assert report.journeys_changed == []
    assert app.db.read(journeys) == config
