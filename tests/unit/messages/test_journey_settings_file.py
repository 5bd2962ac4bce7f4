"""Any valid journey settings survive the program file: written as YAML by export's dumper,
read back by the loader, they are the same settings."""

from __future__ import annotations

from hypothesis import given, settings

from loyalist import programfile
from loyalist.messages.journeyconf import JourneysConfig
from loyalist.rules.programfile import dump_program
from tests.journeys import journeys_configs


@settings(max_examples=100, deadline=None)
@given(journeys_configs)
def test_any_valid_journey_settings_round_trip_through_the_file(config: JourneysConfig) -> None:
    text = dump_program({"version": 1, "journeys": config.model_dump(mode="json")})
    loaded = programfile.load(text)
    assert loaded.journeys == config
    assert loaded.rules is None
    assert loaded.tiers is None
    assert loaded.templates is None
