"""The audience estimate counted in the database (``audience.counted``), and the one read
from a sample (``audience.sampled``) when the sample is every member, give the same
figures as walking every member (``audience.walked``) on random small shops: addresses,
consents, suppressions (of the channel or of an address), devices, segments, a
condition, erasures, with and without a global holdout and a campaign key. A shop larger
than the sample is estimated, with intervals that hold the estimate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import count

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import audience
from loyalist.campaigns.policy import SAMPLE_GRAIN, Draw
from loyalist.campaigns.schemas import CampaignSpec, CountRange
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import DeviceIn, MemberProfile
from loyalist.messages import service as messages
from loyalist.messages.models import MessageChannel, SuppressionReason
from loyalist.settings import CampaignPolicy, ProgramPolicy

SEGMENTS = ("vip", "newsletter", "lapsed")
CHANNELS = ("email", "sms", "push")
_SHOPS = count()


@dataclass(frozen=True)
class Person:
    email: bool
    phone: bool
    device: bool
    segments: frozenset[str]
    consents: frozenset[str]
    #: Channels suppressed: (channel, of an old address rather than the member's own).
    suppressed: frozenset[tuple[str, bool]]
    erased: bool


PEOPLE = st.builds(
    Person,
    email=st.booleans(),
    phone=st.booleans(),
    device=st.booleans(),
    segments=st.frozensets(st.sampled_from(SEGMENTS)),
    consents=st.frozensets(st.sampled_from(CHANNELS)),
    suppressed=st.frozensets(st.tuples(st.sampled_from(CHANNELS), st.booleans()), max_size=2),
    erased=st.booleans(),
)
#: Reachable on every channel, in a segment, with consent to all.
_ALL = Person(True, True, True, frozenset({"vip"}), frozenset(CHANNELS), frozenset(), False)


def _shop(app: Loyalist, people: list[Person]) -> None:
    shop = next(_SHOPS)
    changes = [
        members.ProfileChange(
            f"aq{shop}-{i}",
            MemberProfile(
                email=f"aq{shop}-{i}@example.com" if p.email else None,
                phone=f"+7912{shop % 1000:03d}{i:04d}" if p.phone else None,
                consents={Channel(c): c in p.consents for c in CHANNELS},
            ),
            source="test",
        )
        for i, p in enumerate(people)
    ]

    def op(uow: UnitOfWork) -> None:
        ids = members.upsert_members(uow, changes)
        by_id = {ids[c.external_id]: p for c, p in zip(changes, people, strict=True)}
        members.set_segments(uow, {m: sorted(p.segments) for m, p in by_id.items()})
        for m, p in by_id.items():
            if p.device:
                members.register_device(
                    uow, m, DeviceIn(token=f"tok-{shop}-{m}-abcdefghij", platform="fcm")
                )
            for channel, old in p.suppressed:
                messages.suppress(
                    uow,
                    m,
                    MessageChannel(channel),
                    SuppressionReason.HARD_BOUNCE if old else SuppressionReason.MANUAL,
                    source="test",
                    address=("old@example.com" if channel == "email" else "+79120000000")
                    if old and channel != "push"
                    else None,
                )
        erased = [m for m, p in by_id.items() if p.erased]
        if erased:
            members.erase_members(uow, erased, on_request=True)

    app.db.write(op)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(PEOPLE, min_size=1, max_size=12),
    segments=st.lists(st.sampled_from(SEGMENTS), unique=True, max_size=2),
    channel=st.sampled_from(CHANNELS),
    control=st.sampled_from([0, 10, 50]),
    holdout=st.sampled_from([0, 20]),
    key=st.sampled_from([None, "k"]),
)
@example(
    people=[
        _ALL,
        replace(_ALL, suppressed=frozenset({("email", True), ("sms", True)})),
        replace(_ALL, suppressed=frozenset({("email", False), ("push", False)})),
        replace(_ALL, erased=True),
    ],
    segments=["vip"],
    channel="email",
    control=10,
    holdout=0,
    key=None,
)
def test_counted_in_the_database_equals_walked(
    app: Loyalist,
    people: list[Person],
    segments: list[str],
    channel: str,
    control: int,
    holdout: int,
    key: str | None,
) -> None:
    _shop(app, people)
    spec = CampaignSpec.model_validate(
        {
            "name": {"en": "Sale", "ru": "Распродажа"},
            "template": "campaign",
            "channel": channel,
            "audience": {"segments": segments},
            "control_percent": control,
        }
    )
    program = ProgramPolicy(campaigns=CampaignPolicy(global_holdout_percent=Decimal(holdout)))
    criteria = audience.Criteria.of(spec)
    assert criteria.in_database

    counted = app.db.read(lambda uow: audience.counted(uow, spec, program, key))
    walked = app.db.read(lambda uow: audience.walked(uow, criteria, spec, program, key))

    assert counted == walked
    assert counted.members >= counted.channels[channel]


def _spec(segments: list[str], condition: str | None, channel: str, control: int) -> CampaignSpec:
    return CampaignSpec.model_validate(
        {
            "name": {"en": "Sale", "ru": "Распродажа"},
            "template": "campaign",
            "channel": channel,
            "audience": {"segments": segments, "condition": condition},
            "control_percent": control,
        }
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(PEOPLE, min_size=1, max_size=12),
    segments=st.lists(st.sampled_from(SEGMENTS), unique=True, max_size=2),
    condition=st.sampled_from([None, '"lapsed" in member.segments', "false"]),
    channel=st.sampled_from(CHANNELS),
    control=st.sampled_from([0, 10, 50]),
    holdout=st.sampled_from([0, 20]),
    key=st.sampled_from([None, "k"]),
)
def test_a_sample_of_every_member_gives_the_walked_figures(
    app: Loyalist,
    people: list[Person],
    segments: list[str],
    condition: str | None,
    channel: str,
    control: int,
    holdout: int,
    key: str | None,
) -> None:
    _shop(app, people)
    spec = _spec(segments, condition, channel, control)
    program = ProgramPolicy(campaigns=CampaignPolicy(global_holdout_percent=Decimal(holdout)))
    criteria = audience.Criteria.of(spec)
    span = app.db.read(members.member_id_range)
    assert span is not None
    everyone = Draw(list(range(span[0], span[1] + 1)), span[1] - span[0] + 1)

    sampled = app.db.read(lambda uow: audience.sampled(uow, criteria, spec, program, key, everyone))
    walked = app.db.read(lambda uow: audience.walked(uow, criteria, spec, program, key))

    figures = {"members", "channels", "control", "excluded"}
    assert sampled.model_dump(include=figures) == walked.model_dump(include=figures)
    assert (sampled.is_exact, walked.is_exact) == (False, True)
    assert sampled.sample is not None
    assert sampled.sample.members == CountRange(low=walked.members, high=walked.members)
    assert sampled.sample.channels == {
        c: CountRange(low=n, high=n) for c, n in walked.channels.items()
    }


def test_a_shop_larger_than_the_sample_is_estimated_with_its_intervals(app: Loyalist) -> None:
    _shop(app, [_ALL] * 30)
    spec = _spec([], '"vip" in member.segments', "email", 10)

    found = app.db.read(lambda uow: audience.estimate(uow, spec, app.program, sample_size=20))
    exact = app.db.read(lambda uow: audience.estimate(uow, spec, app.program))

    assert exact.is_exact
    assert exact.sample is None
    assert exact.channels["email"] == exact.members
    assert not found.is_exact
    assert found.sample is not None
    assert (found.sample.size, found.sample.population) == (20, SAMPLE_GRAIN)
    interval = found.sample.channels["email"]
    assert interval.low <= found.channels["email"] <= interval.high
    assert found.sample.members.low <= found.members <= found.sample.members.high
    # Each member drawn stands for population ÷ size = 50 ids.
    assert found.channels["email"] % 50 == 0
