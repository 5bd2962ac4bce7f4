"""A campaign's launch and broadcast on both databases: the audience written in chunks, one
message per member and step, the control group's "would have sent" rows, pausing at half
way and resuming, local send times, follow-ups to non-converters and the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist
from loyalist.campaigns import audience, broadcast, service
from loyalist.campaigns.errors import CampaignNotLaunchableError
from loyalist.campaigns.models import (
    CONTROL,
    CampaignConversion,
    CampaignState,
    SendStatus,
)
from loyalist.campaigns.policy import arm_of
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.insights.segments import score_facts
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.messages import journeys_kit as kit
from loyalist.messages import service as messages
from loyalist.messages.models import Message, MessageChannel, MessageTemplate, SuppressionReason
from loyalist.rules import programs
from loyalist.rules.errors import RuleInvalidError
from loyalist.settings import CampaignPolicy, ProgramPolicy
from tests.campaigning import (
    add_unchecked_draft,
    campaign,
    codes_per_member,
    enrol_many,
    messages_per_member,
    put_campaign,
    put_coupon_campaign,
    sends,
)
from tests.integration.messaging import pay_order

SETUP = kit.Setup("https://shop.example")
TEXT = {"en": "Sale", "ru": "Распродажа"}


def _launch(app: Loyalist, key: str) -> CampaignState:
    return app.db.write(lambda uow: broadcast.launch(uow, key, SYSTEM).state)


def _run(app: Loyalist) -> None:
    for _ in range(50):
        if not app.run_due_work().did_work:
            return
    raise AssertionError("the due work did not settle")


class TestLaunch:
    def test_every_member_with_consent_gets_one_message_and_control_is_held_out(
        self, app: Loyalist
    ) -> None:
        ids = enrol_many(app, 120)
        refused = enrol_many(app, 10, prefix="n", consent=False)
        put_campaign(app, "winter", control_percent=20)

        assert _launch(app, "winter") == CampaignState.RUNNING
        _run(app)

        rows = sends(app, "winter")
        assert [r.member_id for r in rows] == ids  # consent required; nobody twice
        control = {r.member_id for r in rows if r.arm == CONTROL}
        assert {r.status for r in rows if r.arm == CONTROL} == {SendStatus.HELD_OUT}
        assert {r.status for r in rows if r.arm != CONTROL} == {SendStatus.QUEUED}
        assert 0 < len(control) < 60
        sent = messages_per_member(app, "winter")
        assert set(sent) == set(ids) - control
        assert set(sent.values()) == {1}
        assert not set(sent) & set(refused)
        done = campaign(app, "winter")
        assert (done.state, done.audience_size) == (CampaignState.FINISHED, 120)

    def test_overlapping_audiences_get_one_message_per_campaign(self, app: Loyalist) -> None:
        ids = enrol_many(app, 30)
        put_campaign(app, "first")
        put_campaign(app, "second", audience={"condition": "member.order_count == 0"})
        _launch(app, "first")
        _launch(app, "second")

        _run(app)

        for key in ("first", "second"):
            sent = messages_per_member(app, key)
            assert sorted(sent) == ids
            assert set(sent.values()) == {1}

    def test_launch_is_idempotent_and_a_cancelled_campaign_is_refused(self, app: Loyalist) -> None:
        enrol_many(app, 5)
        put_campaign(app, "again")
        put_campaign(app, "gone")
        _launch(app, "again")
        _run(app)

        assert _launch(app, "again") == CampaignState.FINISHED
        _run(app)
        assert set(messages_per_member(app, "again").values()) == {1}

        app.db.write(lambda uow: service.cancel(uow, "gone", SYSTEM))
        with pytest.raises(CampaignNotLaunchableError):
            _launch(app, "gone")

    def test_a_campaign_whose_work_fails_does_not_hold_up_the_others(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        ids = enrol_many(app, 5)
        put_campaign(app, "broken")
        _launch(app, "broken")

        def corrupt(uow: UnitOfWork) -> None:  # e.g. a spec stored before a check was added
            found = service.lock(uow, "broken")
            found.spec = {**found.spec, "goal": {"event": "order.delivered", "days": 7}}

        app.db.write(corrupt)
        clock.advance(timedelta(minutes=1))
        put_campaign(app, "fine")
        _launch(app, "fine")

        report = app.run_due_work()

        assert "campaigns_broadcast" in report.failed  # logged and reported
        assert sorted(messages_per_member(app, "fine")) == ids
        assert messages_per_member(app, "broken") == {}

    def test_a_broken_condition_is_refused_at_launch(self, app: Loyalist) -> None:
        # Stored past the PUT's checks (as by an older version): launch still refuses it.
        add_unchecked_draft(app, "broken", audience={"condition": "member.shoe_size > 40"})

        with pytest.raises(RuleInvalidError) as raised:
            _launch(app, "broken")

        assert raised.value.errors[0].pointer == "/audience/condition"
        assert campaign(app, "broken").state == CampaignState.DRAFT


class TestPauseAndResume:
    def test_paused_at_half_way_nothing_more_is_sent_and_resuming_sends_the_rest_once(
        self, app: Loyalist
    ) -> None:
        ids = enrol_many(app, 200)
        put_coupon_campaign(app, "half-15")
        put_campaign(app, "half", offer={"coupon": {"campaign": "half-15"}})
        _launch(app, "half")
        program = app.program
        while app.db.write(lambda uow: broadcast.write_audience(uow, "half", program, chunk=64)):
            pass
        for _ in range(2):  # 2 × 50 = half of the audience
            app.db.write(lambda uow: broadcast.queue_due(uow, "half", program, SETUP, chunk=50))
        app.db.write(lambda uow: service.pause(uow, "half", SYSTEM))

        _run(app)

        assert len(messages_per_member(app, "half")) == 100
        statuses = [r.status for r in sends(app, "half")]
        assert statuses.count(SendStatus.QUEUED) == statuses.count(SendStatus.PENDING) == 100
        assert campaign(app, "half").state == CampaignState.PAUSED

        app.db.write(lambda uow: service.resume(uow, "half", SYSTEM))
        _run(app)

        sent = messages_per_member(app, "half")
        assert sorted(sent) == ids
        assert set(sent.values()) == {1}
        codes = codes_per_member(app, "half")
        assert sorted(codes) == ids
        assert set(codes.values()) == {1}
        assert {r.status for r in sends(app, "half")} == {SendStatus.QUEUED}
        assert campaign(app, "half").state == CampaignState.RUNNING  # its offer stays open


class TestLocalTime:
    def test_wall_time_in_each_members_zone_including_a_dst_day(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        zones = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati")
        ids = enrol_many(app, 8, zones=zones)
        # Sunday 8 March 2026: New York springs forward at 02:00; Berlin does not yet.
        clock.set(datetime(2026, 3, 7, 6, 0, tzinfo=UTC))
        put_campaign(app, "local", send_at="2026-03-08T10:00:00", late="skip")

        assert _launch(app, "local") == CampaignState.SCHEDULED
        _run(app)

        due = {r.member_id: r.due_at.astimezone(UTC) for r in sends(app, "local")}
        expected = {
            "Europe/Berlin": datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
            "America/New_York": datetime(2026, 3, 8, 14, 0, tzinfo=UTC),  # EDT already
            "Asia/Kolkata": datetime(2026, 3, 8, 4, 30, tzinfo=UTC),
            "Pacific/Kiritimati": datetime(2026, 3, 7, 20, 0, tzinfo=UTC),
        }
        assert due == {m: expected[zones[i % 4]] for i, m in enumerate(ids)}
        assert messages_per_member(app, "local") == {}

        clock.set(datetime(2026, 3, 8, 5, 0, tzinfo=UTC))  # Kiritimati and Kolkata are due
        _run(app)
        early = {m for i, m in enumerate(ids) if zones[i % 4] in zones[2:]}
        assert set(messages_per_member(app, "local")) == early
        assert campaign(app, "local").state == CampaignState.RUNNING

        clock.set(datetime(2026, 3, 8, 14, 0, tzinfo=UTC))
        _run(app)
        assert set(messages_per_member(app, "local")) == set(ids)
        assert campaign(app, "local").state == CampaignState.FINISHED


class TestScheduledChange:
    def test_a_change_before_the_first_send_is_what_members_are_sent(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        ids = enrol_many(app, 6)
        send_at = (clock.now() + timedelta(days=2)).isoformat()
        put_campaign(app, "edited", send_at=send_at)
        assert _launch(app, "edited") == CampaignState.SCHEDULED
        _run(app)
        assert {r.status for r in sends(app, "edited")} == {SendStatus.PENDING}

        put_campaign(
            app,
            "edited",
            send_at=send_at,
            subject={"en": "New subject", "ru": "Новая тема"},
            body={"en": "New body", "ru": "Новый текст"},
        )
        clock.advance(timedelta(days=3))
        _run(app)

        def sent(uow: UnitOfWork) -> set[tuple[str, str]]:
            rows = uow.session.execute(
                select(MessageTemplate.subject, MessageTemplate.body_text)
                .join(
                    Message,
                    (Message.template_key == MessageTemplate.key)
                    & (Message.template_version == MessageTemplate.version)
                    & (Message.locale == MessageTemplate.locale),
                )
                .where(Message.natural_key == "edited:main")
            )
            return {(str(subject), str(text)) for subject, text in rows}

        assert set(messages_per_member(app, "edited")) == set(ids)
        assert app.db.read(sent) == {("New subject", "New body")}


class TestDeadline:
    def test_no_reminder_nor_offer_to_members_whose_first_message_was_skipped(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        zones = ("Asia/Tokyo", "America/New_York")
        ids = enrol_many(app, 4, zones=zones)
        clock.set(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))  # 15:00 in Tokyo, 01:00 in New York
        put_coupon_campaign(app, "late-15")
        put_campaign(
            app,
            "late",
            offer={"coupon": {"campaign": "late-15"}},
            send_at="2026-03-02T10:00:00",
            late="skip",
            ends_at="2026-03-06T00:00:00Z",
            follow_ups=[{"key": "last-day", "hours_before_end": 24, "content": {"short": TEXT}}],
        )
        _launch(app, "late")
        _run(app)
        clock.set(datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
        _run(app)

        tokyo = {m for i, m in enumerate(ids) if zones[i % 2] == "Asia/Tokyo"}
        assert {r.member_id for r in sends(app, "late", "main") if r.status == "skipped"} == tokyo
        reminded = set(messages_per_member(app, "late", "last-day"))
        assert reminded == set(ids) - tokyo
        assert {r.reason for r in sends(app, "late", "last-day") if r.member_id in tokyo} == {
            "local_time_passed"
        }
        # Not told of it, not measured: no code for them (nor its cost in the report).
        assert set(codes_per_member(app, "late")) == set(ids) - tokyo

    def test_last_day_reminder_only_to_non_converters_and_the_deadline_finishes(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        ids = enrol_many(app, 60)
        now = clock.now()
        ends = now + timedelta(days=7)
        put_campaign(
            app,
            "sale",
            control_percent=25,
            ends_at=ends.isoformat(),
            follow_ups=[
                {
                    "key": "last-day",
                    "hours_before_end": 24,
                    "content": {
                        "subject": {"en": "Last day", "ru": "Последний день"},
                        "body": {"en": "Ends tomorrow.", "ru": "Завтра конец."},
                    },
                }
            ],
        )
        _launch(app, "sale")
        _run(app)
        converted = set(ids[::3])
        found = campaign(app, "sale")

        def convert(uow: UnitOfWork) -> None:
            for member_id in converted:
                arm = next(r.arm for r in sends(app, "sale", "main") if r.member_id == member_id)
                uow.session.add(
                    CampaignConversion(
                        campaign_id=found.id,
                        member_id=member_id,
                        arm=arm,
                        event_id=f"e{member_id}",
                        converted_at=now + timedelta(days=1),
                        revenue_minor=1000,
                        currency="EUR",
                    )
                )

        app.db.write(convert)
        assert campaign(app, "sale").state == CampaignState.RUNNING

        clock.set(ends - timedelta(hours=23))
        _run(app)

        reminders = sends(app, "sale", "last-day")
        control = {r.member_id for r in reminders if r.arm == CONTROL}
        by_status = {
            status: {r.member_id for r in reminders if r.status == status} for status in SendStatus
        }
        assert by_status[SendStatus.SKIPPED] == converted
        assert by_status[SendStatus.HELD_OUT] == control - converted
        assert by_status[SendStatus.QUEUED] == set(ids) - converted - control
        assert set(messages_per_member(app, "sale", "last-day")) == by_status[SendStatus.QUEUED]
        assert campaign(app, "sale").state == CampaignState.RUNNING

        clock.set(ends)
        _run(app)

        done = campaign(app, "sale")
        assert (done.state, done.finished_at, done.next_due_at) == (
            CampaignState.FINISHED,
            ends,
            None,
        )

    def test_an_open_ended_offer_lasts_the_goal_window_of_the_last_send_then_retires(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enrol_many(app, 6)
        now = clock.now()
        put_campaign(
            app,
            "open",
            control_percent=0,
            goal={"event": "order.paid", "days": 5},
            offer={"points": {"points": 100}},
        )
        _launch(app, "open")
        _run(app)

        held = campaign(app, "open")
        assert (held.state, held.next_due_at) == (CampaignState.RUNNING, now + timedelta(days=5))
        assert app.db.read(lambda uow: _live_campaign_rules(uow, "cmp-open-")) == 1

        clock.set(now + timedelta(days=5))
        _run(app)

        done = campaign(app, "open")
        assert (done.state, done.finished_at) == (CampaignState.FINISHED, now + timedelta(days=5))
        assert app.db.read(lambda uow: _live_campaign_rules(uow, "cmp-open-")) == 0

    def test_a_campaign_without_an_offer_finishes_once_sent(self, app: Loyalist) -> None:
        enrol_many(app, 3)
        put_campaign(app, "plain")
        _launch(app, "plain")
        _run(app)

        assert campaign(app, "plain").state == CampaignState.FINISHED

    def test_sends_pending_at_the_deadline_are_skipped(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        enrol_many(app, 4, zones=("Pacific/Kiritimati",))
        clock.set(datetime(2026, 12, 20, 0, 0, tzinfo=UTC))
        put_campaign(
            app,
            "short",
            send_at="2026-12-30T10:00:00",
            ends_at="2026-12-25T00:00:00+00:00",
        )
        _launch(app, "short")
        _run(app)
        clock.set(datetime(2026, 12, 25, 0, 0, tzinfo=UTC))
        _run(app)

        rows = sends(app, "short")
        assert {(r.status, r.reason) for r in rows} == {(SendStatus.SKIPPED, "deadline_passed")}
        assert messages_per_member(app, "short") == {}
        assert campaign(app, "short").state == CampaignState.FINISHED


class TestAudience:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(campaigns=CampaignPolicy(global_holdout_percent=Decimal(10)))

    def test_estimate_counts_channels_and_why_members_are_left_out(self, app: Loyalist) -> None:
        ids = enrol_many(app, 300, attributes={"vip": True})
        enrol_many(app, 40, prefix="plain")
        enrol_many(app, 20, prefix="quiet", consent=False, attributes={"vip": True})

        def suppress(uow: UnitOfWork) -> None:
            for member_id in ids[:5]:
                messages.suppress(
                    uow, member_id, MessageChannel.EMAIL, SuppressionReason.MANUAL, source="test"
                )
            members.set_consent(uow, ids[-1], Channel.SMS, True, source="test")

        app.db.write(suppress)
        spec = CampaignSpec.model_validate(
            {
                "name": {"en": "VIP", "ru": "VIP"},
                "template": "campaign",
                "audience": {"condition": "member.attributes.vip == true"},
                "control_percent": 10,
            }
        )

        found = app.db.read(lambda uow: audience.estimate(uow, spec, app.program, key="vip"))

        holdout = found.excluded["global_holdout"]
        assert found.members == 320
        assert 10 < holdout < 60
        assert found.excluded["no_consent"] + found.excluded["suppressed"] <= 25
        assert found.members == holdout + found.channels["email"] + sum(
            n for reason, n in found.excluded.items() if reason != "global_holdout"
        )
        assert found.channels["sms"] == 0  # consent without a phone number reaches nobody
        listed = app.db.read(
            lambda uow: audience.members(uow, spec, app.program, after=0, limit=10_000)
        )
        assert len(listed) == found.channels["email"]
        assert listed == sorted(listed)
        assert found.control == sum(arm_of("vip", m, Decimal(10), []) == CONTROL for m in listed)


class TestAudienceFilters:
    def test_segments_rfm_and_a_condition_on_scores_all_must_hold(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        ids = enrol_many(app, 12)
        for i in range(8):
            for n in range(i % 3 + 1):
                pay_order(app, f"m{i}", f"o{i}-{n}", clock.now() - timedelta(days=10 * (i + n)))
        app.recompute_scores()
        app.db.write(lambda uow: members.set_segments(uow, {m: ["newsletter"] for m in ids[::2]}))
        stored = app.db.read(lambda uow: score_facts(uow, ids))
        present = sorted({s for m in ids[::2] if m in stored and (s := stored[m].segment)})
        picked = set(present[1:] if len(present) > 1 else present)
        spec = CampaignSpec.model_validate(
            {
                "name": {"en": "RFM", "ru": "RFM"},
                "template": "campaign",
                "audience": {
                    "segments": ["newsletter"],
                    "rfm": sorted(picked),
                    "condition": "member.scores.f >= 1 && member.order_count > 0",
                },
            }
        )

        found = app.db.read(
            lambda uow: audience.members(uow, spec, app.program, after=0, limit=100)
        )

        expected = [m for m in ids[::2] if m in stored and stored[m].segment in picked]
        assert found == expected
        assert found

    @pytest.mark.parametrize(
        ("condition", "matched"),
        [("false", 0), ("true", 4), ("now.getFullYear() > 3000", 0), ("1 + 1 == 3", 0)],
    )
    def test_a_condition_reading_no_member_field_still_decides(
        self, app: Loyalist, condition: str, matched: int
    ) -> None:
        ids = enrol_many(app, 4)
        spec = CampaignSpec.model_validate(
            {"name": TEXT, "template": "campaign", "audience": {"condition": condition}}
        )

        found = app.db.read(lambda uow: audience.members(uow, spec, app.program, after=0, limit=9))
        estimated = app.db.read(lambda uow: audience.estimate(uow, spec, app.program))

        assert found == ids[:matched]
        assert estimated.members == matched


def _live_campaign_rules(uow: UnitOfWork, prefix: str) -> int:
    """How many rules whose key starts with ``prefix`` are live (not retired)."""
    return sum(
        1
        for rule in programs.list_rules(uow)
        if rule.key.startswith(prefix) and rule.retired_at is None
    )
