"""The send-time decisions of messages: quiet hours across daylight-saving changes, cap
windows, the order of checks, backoff and freshness."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages.models import MessageKind, SuppressionReason, Topic
from loyalist.messages.policy import (
    Action,
    Audience,
    Limits,
    Period,
    cap_window,
    decide,
    is_fresh,
    is_quiet,
    is_subscribed,
    quiet_until,
    retry_at,
    topic_of,
)

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")  # no daylight-saving time
NIGHT = (time(21), time(9))
ZONES = [
    BERLIN,
    TOKYO,
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("UTC"),
]


#: Instants of three years around the 2026 changes (hypothesis takes naive bounds).
INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=datetime(2028, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestQuietHoursAcrossDaylightSaving:
    def test_the_spring_night_in_berlin_ends_at_nine_summer_time(self) -> None:
        # 28 March 2026 22:00 CET; clocks go 02:00 -> 03:00 on 29 March.
        at = utc(2026, 3, 28, 21, 0)
        assert quiet_until(at, BERLIN, *NIGHT) == utc(2026, 3, 29, 7, 0)  # 09:00 CEST

    def test_the_autumn_night_in_berlin_ends_at_nine_winter_time(self) -> None:
        # 24 October 2026 22:00 CEST; clocks go 03:00 -> 02:00 on 25 October.
        at = utc(2026, 10, 24, 20, 0)
        assert quiet_until(at, BERLIN, *NIGHT) == utc(2026, 10, 25, 8, 0)  # 09:00 CET

    def test_inside_the_repeated_autumn_hour_the_release_is_the_same_morning(self) -> None:
        at = utc(2026, 10, 25, 1, 30)  # 02:30 CET, the second 02:30 of the night
        assert quiet_until(at, BERLIN, *NIGHT) == utc(2026, 10, 25, 8, 0)

    def test_a_quiet_end_skipped_by_the_spring_change_releases_when_the_clock_passes_it(
        self,
    ) -> None:
        at = utc(2026, 3, 28, 23, 0)  # 00:00 CET; quiet until 02:30, which never shows
        assert quiet_until(at, BERLIN, time(21), time(2, 30)) == utc(2026, 3, 29, 1, 30)

    def test_tokyo_has_the_same_night_every_day(self) -> None:
        for day in (28, 29, 30):
            at = utc(2026, 3, day, 13, 0)  # 22:00 JST
            assert quiet_until(at, TOKYO, *NIGHT) == utc(2026, 3, day + 1, 0, 0)

    def test_daytime_is_not_quiet_and_equal_times_mean_no_quiet_hours(self) -> None:
        assert quiet_until(utc(2026, 3, 29, 10, 0), BERLIN, *NIGHT) is None
        assert not is_quiet(utc(2026, 3, 29, 22, 0), BERLIN, time(9), time(9))

    @given(
        at=INSTANTS,
        zone=st.sampled_from(ZONES),
        start=st.times(),
        end=st.times(),
    )
    def test_a_held_message_is_released_once_at_the_first_end_of_its_quiet_hours(
        self, at: datetime, zone: ZoneInfo, start: time, end: time
    ) -> None:
        release = quiet_until(at, zone, start, end)
        if release is None:
            assert not is_quiet(at, zone, start, end)
            return
        assert at < release <= at + timedelta(hours=25)
        assert not is_quiet(release, zone, start, end)
        # Every instant of the same quiet stretch is released at the same moment.
        later = at + (release - at) / 2
        if is_quiet(later, zone, start, end):
            assert quiet_until(later, zone, start, end) == release


class TestCapWindows:
    def test_the_berlin_spring_day_is_23_hours_and_the_autumn_day_25(self) -> None:
        spring = cap_window(utc(2026, 3, 29, 12, 0), BERLIN, Period.DAY)
        autumn = cap_window(utc(2026, 10, 25, 12, 0), BERLIN, Period.DAY)
        assert spring == (utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0))
        assert autumn[1] - autumn[0] == timedelta(hours=25)

    @given(
        at=INSTANTS,
        zone=st.sampled_from(ZONES),
    )
    def test_the_local_day_lies_in_its_week_and_holds_the_instant(
        self, at: datetime, zone: ZoneInfo
    ) -> None:
        day = cap_window(at, zone, Period.DAY)
        week = cap_window(at, zone, Period.WEEK)
        assert day[0] <= at < day[1]
        assert week[0] <= day[0] < day[1] <= week[1]
        assert week[0].astimezone(zone).weekday() == 0


LIMITS = Limits(quiet_start=time(21), quiet_end=time(9), per_day=1, per_week=3)
NOON = utc(2026, 5, 4, 10, 0)  # 12:00 in Berlin


audiences = st.builds(
    Audience,
    zone=st.sampled_from(ZONES),
    has_consent=st.booleans(),
    suppressions=st.lists(st.sampled_from(list(SuppressionReason)), max_size=3),
    day_count=st.integers(0, 5),
    week_count=st.integers(0, 10),
    is_held_out=st.booleans(),
)


class TestDecide:
    @given(
        audience=audiences,
        at=INSTANTS,
    )
    def test_transactional_is_never_held_or_capped_nor_stopped_by_an_unsubscribe(
        self, audience: Audience, at: datetime
    ) -> None:
        """(Nor by the global holdout: it holds marketing only.)"""
        decision = decide(MessageKind.TRANSACTIONAL, audience, LIMITS, at)
        assert decision.action in (Action.SEND, Action.SUPPRESS)
        blocking = set(audience.suppressions) - {SuppressionReason.UNSUBSCRIBE}
        assert (decision.action == Action.SUPPRESS) == bool(blocking)

    @given(audience=audiences)
    def test_marketing_goes_only_with_consent_within_caps_and_outside_quiet_hours(
        self, audience: Audience
    ) -> None:
        decision = decide(MessageKind.MARKETING, audience, LIMITS, NOON)
        if decision.action == Action.SEND:
            assert audience.has_consent
            assert not audience.is_held_out
            assert not audience.suppressions or set(audience.suppressions) == {
                SuppressionReason.UNSUBSCRIBE
            }
            assert audience.day_count < 1
            assert audience.week_count < 3
            assert not is_quiet(NOON, audience.zone, time(21), time(9))
        if decision.action == Action.HOLD:
            assert decision.until is not None
            assert decision.until > NOON

    def test_unsubscribed_marketing_is_suppressed_with_the_reason(self) -> None:
        audience = Audience(BERLIN, False, [SuppressionReason.UNSUBSCRIBE])
        decision = decide(MessageKind.MARKETING, audience, LIMITS, NOON)
        assert (decision.action, decision.reason) == (Action.SUPPRESS, "unsubscribed")

    def test_marketing_in_quiet_hours_is_held_until_nine_local(self) -> None:
        audience = Audience(BERLIN, True)
        decision = decide(MessageKind.MARKETING, audience, LIMITS, utc(2026, 5, 4, 20, 0))
        assert decision.action == Action.HOLD
        assert decision.until == utc(2026, 5, 5, 7, 0)
        assert decision.reason == "quiet hours until 2026-05-05 09:00 Europe/Berlin"

    @given(audience=audiences, at=INSTANTS)
    def test_a_message_not_respecting_quiet_hours_is_never_held_and_otherwise_the_same(
        self, audience: Audience, at: datetime
    ) -> None:
        bypass = decide(MessageKind.MARKETING, audience, LIMITS, at, respects_quiet_hours=False)
        usual = decide(MessageKind.MARKETING, audience, LIMITS, at)
        assert bypass.action != Action.HOLD
        if usual.action != Action.HOLD:
            assert bypass == usual

    def test_marketing_to_a_member_of_the_global_holdout_is_suppressed(self) -> None:
        audience = Audience(BERLIN, True, is_held_out=True)
        decision = decide(MessageKind.MARKETING, audience, LIMITS, NOON)
        assert (decision.action, decision.reason) == (Action.SUPPRESS, "global_holdout")
        transactional = decide(MessageKind.TRANSACTIONAL, audience, LIMITS, NOON)
        assert transactional.action == Action.SEND

    def test_over_the_daily_cap_marketing_is_capped(self) -> None:
        decision = decide(MessageKind.MARKETING, Audience(BERLIN, True, (), 1, 1), LIMITS, NOON)
        assert (decision.action, decision.reason) == (Action.CAP, "frequency cap: 1 per day")


class TestRetryAt:
    @given(
        attempt=st.integers(1, 60),
        jitter=st.floats(0, 1, exclude_max=True),
        retry_after=st.none() | st.floats(0, 7200),
    )
    def test_backoff_doubles_from_30_seconds_to_an_hour_with_at_most_half_again(
        self, attempt: int, jitter: float, retry_after: float | None
    ) -> None:
        delay = retry_at(NOON, attempt, jitter, retry_after) - NOON
        base = min(timedelta(seconds=30) * 2 ** min(attempt - 1, 16), timedelta(hours=1))
        floor = max(base, timedelta(seconds=retry_after or 0))
        assert floor <= delay <= max(base * 1.5, floor)

    def test_later_attempts_never_wait_less(self) -> None:
        delays = [retry_at(NOON, n, 0.0) - NOON for n in range(1, 12)]
        assert delays == sorted(delays)
        assert delays[0] == timedelta(seconds=30)
        assert delays[-1] == timedelta(hours=1)


def test_facts_older_than_the_window_are_not_fresh() -> None:
    assert is_fresh(NOON - timedelta(hours=24), NOON, 24)
    assert not is_fresh(NOON - timedelta(hours=24, seconds=1), NOON, 24)
    assert not is_fresh(NOON - timedelta(minutes=1), NOON, 0)


topic_audiences = st.builds(
    Audience,
    zone=st.sampled_from(ZONES),
    has_consent=st.booleans(),
    suppressions=st.lists(st.sampled_from(list(SuppressionReason)), unique=True),
    day_count=st.integers(0, 3),
    week_count=st.integers(0, 5),
    topic=st.none() | st.sampled_from(list(Topic)),
    topics=st.dictionaries(st.sampled_from([t.value for t in Topic]), st.booleans()),
)


class TestTopics:
    def test_every_journey_of_the_issue_has_its_topic_and_transactional_ones_none(self) -> None:
        assert topic_of("win_back") == Topic.OFFERS
        assert topic_of("campaign") == Topic.OFFERS
        assert topic_of("points.expiring") == Topic.POINTS
        assert topic_of("points.statement") == Topic.STATEMENT
        assert topic_of("post_purchase.tips") == Topic.TIPS
        assert topic_of("post_purchase.review") == Topic.REVIEWS
        assert topic_of("post_purchase.nps") == Topic.REVIEWS
        assert topic_of("birthday") == Topic.BIRTHDAY
        assert topic_of("birthday.gift") == Topic.BIRTHDAY
        assert [topic_of(j) for j in ("order_confirmation", "shipping", "webhook")] == [None] * 3

    def test_topics_are_on_until_switched_off_and_the_statement_off_until_switched_on(
        self,
    ) -> None:
        assert [is_subscribed(t, {}) for t in Topic] == [t != Topic.STATEMENT for t in Topic]
        assert not is_subscribed(Topic.OFFERS, {"offers": False})
        assert is_subscribed(Topic.STATEMENT, {"statement": True})

    @given(audience=topic_audiences, kind=st.sampled_from(list(MessageKind)))
    def test_nothing_goes_about_a_topic_the_member_does_not_want(
        self, audience: Audience, kind: MessageKind
    ) -> None:
        decision = decide(kind, audience, LIMITS, NOON)
        wanted = audience.topic is None or is_subscribed(audience.topic, audience.topics)
        opt_in = audience.topic == Topic.STATEMENT
        if decision.action != Action.SUPPRESS and (kind == MessageKind.MARKETING or opt_in):
            assert wanted

    @given(audience=topic_audiences)
    def test_transactional_stops_only_for_a_blocking_suppression_or_a_missing_opt_in(
        self, audience: Audience
    ) -> None:
        decision = decide(MessageKind.TRANSACTIONAL, audience, LIMITS, NOON)
        blocking = set(audience.suppressions) - {SuppressionReason.UNSUBSCRIBE}
        missing_opt_in = audience.topic == Topic.STATEMENT and not is_subscribed(
            Topic.STATEMENT, audience.topics
        )
        assert decision.action in (Action.SEND, Action.SUPPRESS)
        assert (decision.action == Action.SUPPRESS) == bool(blocking or missing_opt_in)

    @given(audience=topic_audiences)
    def test_a_topic_switched_off_never_unblocks_and_switching_on_never_blocks_other_checks(
        self, audience: Audience
    ) -> None:
        """With the topic wanted, the decision is the topic-less one (consent, quiet
        hours, caps decide alone)."""
        if audience.topic is None or not is_subscribed(audience.topic, audience.topics):
            return
        plain = replace(audience, topic=None, topics={})
        for kind in MessageKind:
            assert decide(kind, audience, LIMITS, NOON) == decide(kind, plain, LIMITS, NOON)

    def test_a_switched_off_topic_is_the_reason(self) -> None:
        audience = Audience(BERLIN, True, topic=Topic.OFFERS, topics={"offers": False})
        decision = decide(MessageKind.MARKETING, audience, LIMITS, NOON)
        assert (decision.action, decision.reason) == (
            Action.SUPPRESS,
            "the member switched off the topic offers",
        )


transfer_audiences = st.builds(
    Audience,
    zone=st.sampled_from(ZONES),
    has_consent=st.booleans(),
    suppressions=st.lists(st.sampled_from(list(SuppressionReason)), unique=True),
    topic=st.none() | st.sampled_from(list(Topic)),
    topics=st.dictionaries(st.sampled_from([t.value for t in Topic]), st.booleans()),
    processor=st.none() | st.sampled_from(["unisender", "smsru"]),
    has_transfer_consent=st.booleans(),
)


class TestTransferConsent:
    def test_marketing_without_consent_to_the_processor_is_suppressed_with_the_reason(
        self,
    ) -> None:
        audience = Audience(BERLIN, True, processor="unisender", has_transfer_consent=False)
        decision = decide(MessageKind.MARKETING, audience, LIMITS, NOON)
        assert (decision.action, decision.reason) == (
            Action.SUPPRESS,
            "no consent to transfer to the processor unisender",
        )

    @given(audience=transfer_audiences, kind=st.sampled_from(list(MessageKind)))
    def test_marketing_never_goes_through_a_processor_the_member_did_not_consent_to(
        self, audience: Audience, kind: MessageKind
    ) -> None:
        decision = decide(kind, audience, LIMITS, NOON)
        if kind == MessageKind.MARKETING and decision.action == Action.SEND:
            assert audience.has_consent
            assert audience.processor is None or audience.has_transfer_consent

    @given(audience=transfer_audiences)
    def test_the_transfer_consent_changes_nothing_for_transactional_or_when_given(
        self, audience: Audience
    ) -> None:
        """Transactional messages (needed to perform the contract) never ask for it; with
        the consent given, the decision is the one without the question."""
        unasked = replace(audience, processor=None)
        assert decide(MessageKind.TRANSACTIONAL, audience, LIMITS, NOON) == decide(
            MessageKind.TRANSACTIONAL, unasked, LIMITS, NOON
        )
        if audience.has_transfer_consent:
            assert decide(MessageKind.MARKETING, audience, LIMITS, NOON) == decide(
                MessageKind.MARKETING, unasked, LIMITS, NOON
            )
