"""Campaign routes: create and change with revisions and history, the states a campaign
moves through by pause, resume and cancel, deletion of drafts, the seasonal calendar, and
every problem a bad campaign answers with its pointer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.models import (
    Campaign,
    CampaignSend,
    CampaignState,
    ChangeAction,
    SendStatus,
)
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork
from loyalist.members.models import Member
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer, row_counts
from tests.auditing import audit_rows
from tests.conftest import START

V1 = "/api/v1"
SPEC: dict[str, Any] = {
    "name": {"en": "Spring", "ru": "Весна"},
    "subject": {"en": "Spring is here", "ru": "Пришла весна"},
    "body": {"en": "Hello {{ member.first_name }}", "ru": "Привет, {{ member.first_name }}"},
}
TEXT = {"en": "x", "ru": "x"}


def _put(client: TestClient, admin: dict[str, str], key: str = "spring", **changes: Any) -> Any:
    return client.put(f"{V1}/campaigns/{key}", json={**SPEC, **changes}, headers=admin)


def _set_state(app: Loyalist, key: str, state: CampaignState) -> None:
    """Move a campaign as launch, the send job or the deadline do (not built here)."""

    def op(uow: UnitOfWork) -> None:
        campaigns.record_change(
            uow, campaigns.lock(uow, key), ChangeAction.STARTED, "job", state=state
        )

    app.db.write(op)


def _plan(app: Loyalist, client: TestClient, admin: dict[str, str], key: str, **by: int) -> None:
    """Send-plan rows for ``key``: ``by`` maps a status to how many members have it."""
    total = sum(by.values())
    for n in range(total):
        client.put(f"{V1}/members/P{n}", json={}, headers=admin)

    def op(uow: UnitOfWork) -> None:
        campaign = uow.session.scalars(select(Campaign).where(Campaign.key == key)).one()
        members = uow.session.scalars(select(Member.id).order_by(Member.id)).all()
        statuses = [SendStatus(s) for s, n in by.items() for _ in range(n)]
        for member_id, status in zip(members, statuses, strict=False):
            uow.session.add(
                CampaignSend(
                    campaign_id=campaign.id,
                    step="main",
                    member_id=member_id,
                    arm="default",
                    status=status,
                    due_at=START,
                )
            )

    app.db.write(op)


def _sends(app: Loyalist, key: str, *, by: str = "status") -> dict[str, int]:
    """The campaign's sends counted by ``status`` (or by ``reason``, for those that have one)."""

    def op(uow: UnitOfWork) -> dict[str, int]:
        campaign = uow.session.scalars(select(Campaign).where(Campaign.key == key)).one()
        rows = uow.session.scalars(
            select(CampaignSend).where(CampaignSend.campaign_id == campaign.id)
        ).all()
        counted: dict[str, int] = {}
        for row in rows:
            value = getattr(row, by)
            if value is not None:
                counted[value] = counted.get(value, 0) + 1
        return counted

    return app.db.read(op)


class TestPut:
    def test_creates_a_draft_then_same_body_is_200_and_a_change_is_a_new_revision(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        created = _put(client, admin)
        assert created.status_code == 201, created.text
        body = created.json()
        assert (body["key"], body["state"], body["revision"]) == ("spring", "draft", 1)
        assert body["name"] == SPEC["name"]
        assert body["spec"]["control_percent"] == "10"
        assert body["progress"] == {}

        before = row_counts(app)
        same = _put(client, admin)
        assert same.status_code == 200
        assert same.json() == body
        assert row_counts(app) == before

        changed = _put(client, admin, control_percent=20, name={"en": "Spring!", "ru": "Весна!"})
        assert changed.status_code == 201, changed.text
        assert changed.json()["revision"] == 2
        assert changed.json()["name"]["en"] == "Spring!"
        assert changed.json()["spec"]["control_percent"] == "20"
        assert client.get(f"{V1}/campaigns/spring", headers=admin).json() == changed.json()

        [listed] = client.get(f"{V1}/campaigns", headers=admin).json()["items"]
        assert listed == changed.json()

        history = client.get(f"{V1}/campaigns/spring/history", headers=admin).json()
        assert [(h["revision"], h["action"], h["state"]) for h in history["items"]] == [
            (1, "created", "draft"),
            (2, "changed", "draft"),
        ]
        assert history["items"][0]["spec"]["control_percent"] == "10"
        assert history["items"][1]["spec"]["control_percent"] == "20"
        assert history["items"][1]["actor"] == "shop admin"

        rows = audit_rows(app, "campaign.changed")
        assert [(r["target_id"], r["before"] is None) for r in rows] == [
            ("spring", True),
            ("spring", False),
        ]
        assert rows[1]["before"]["spec"]["control_percent"] == "10"
        assert rows[1]["after"]["revision"] == 2

    def test_a_scheduled_campaign_changes_before_its_first_send_and_its_plan_is_rewritten(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState.SCHEDULED)
        _plan(app, client, admin, "spring", pending=3)

        changed = _put(client, admin, control_percent=0)

        assert changed.status_code == 201, changed.text
        assert changed.json()["state"] == "scheduled"
        assert _sends(app, "spring") == {}

    @pytest.mark.parametrize(
        ("state", "done"),
        [
            ("scheduled", "queued"),
            ("scheduled", "held_out"),
            ("running", None),
            ("paused", None),
            ("finished", None),
            ("cancelled", None),
        ],
    )
    def test_a_campaign_that_has_started_sending_cannot_change(
        self,
        client: TestClient,
        app: Loyalist,
        admin: dict[str, str],
        state: str,
        done: str | None,
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState(state))
        if done is not None:
            _plan(app, client, admin, "spring", pending=1, **{done: 1})
        before = row_counts(app)

        problem = assert_problem(
            _put(client, admin, control_percent=0), 409, "campaign_not_editable"
        )

        assert problem["state"] == state
        assert row_counts(app) == before
        assert _put(client, admin).status_code == 200  # the same spec is not a change

    def test_answers_a_key_that_is_not_one_with_422(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = _put(client, admin, key="Not-A-Key")
        assert_problem(response, 422, "request_invalid")
        # The calendar's path is not a campaign's.
        assert_problem(_put(client, admin, key="seasons"), 422, "campaign_invalid", "/key")


#: One bad body per check of the spec (the schema's field limits and every validator),
#: with the pointer of the problem.
BAD: dict[str, tuple[dict[str, Any], str]] = {
    "name without ru": ({"name": {"en": "x"}}, "/name/ru"),
    "unknown field": ({"colour": "red"}, "/colour"),
    "channel": ({"channel": "fax"}, "/channel"),
    "control over 50": ({"control_percent": 51}, "/control_percent"),
    "control below 0": ({"control_percent": -1}, "/control_percent"),
    "ends_at without offset": ({"ends_at": "2026-03-01T00:00:00"}, "/ends_at"),
    "late": ({"late": "never"}, "/late"),
    "template and inline": ({"template": "campaign"}, ""),
    "subject without body": ({"body": None}, ""),
    "no content": ({"subject": None, "body": None}, ""),
    "variant keys twice": (
        {"variants": [{"key": "a"}, {"key": "a"}]},
        "",
    ),
    "variant named control": ({"variants": [{"key": "control"}]}, "/variants/0/key"),
    "variant key form": ({"variants": [{"key": "A B"}]}, "/variants/0/key"),
    "variant weight": ({"variants": [{"key": "a", "weight": 0}]}, "/variants/0/weight"),
    "variant content half": (
        {"variants": [{"key": "a", "content": {"subject": TEXT}}]},
        "",
    ),
    "points offer with neither": ({"offer": {"points": {}}}, "/offer/points"),
    "points offer with both": (
        {"offer": {"points": {"points": 10, "multiplier": "2"}}},
        "/offer/points",
    ),
    "multiplier of 1": ({"offer": {"points": {"multiplier": "1"}}}, "/offer/points/multiplier"),
    "goal event": ({"goal": {"event": "Bought!"}}, "/goal/event"),
    # Longer than a stored template's subject or short text (PostgreSQL refused it: a 500).
    "subject too long": ({"subject": {"en": "S" * 1_001, "ru": "Т"}}, "/subject"),
    "short too long": ({"short": {"en": "s", "ru": "к" * 2_001}}, "/short"),
    # Far times overflow when moved into a member's zone (the send job failed on them).
    "send_at too far": ({"send_at": "9999-12-31T23:00:00"}, "/send_at"),
    "ends_at too far": ({"ends_at": "9999-12-31T23:00:00Z"}, "/ends_at"),
    "a follow-up too far": (
        {"follow_ups": [{"key": "f", "send_at": "0001-01-01T00:00", "content": {"short": TEXT}}]},
        "/follow_ups/0/send_at",
    ),
    # Order facts other than the paid order never reach attribution: nobody would convert.
    "goal event never counted": ({"goal": {"event": "order.delivered"}}, "/goal/event"),
    "goal event that does not exist": (
        {"goal": {"event": "order.refunded_forever"}},
        "/goal/event",
    ),
    "goal days": ({"goal": {"days": 91}}, "/goal/days"),
    "follow-up named main": (
        {
            "follow_ups": [
                {
                    "key": "main",
                    "send_at": "2026-03-01T10:00:00",
                    "content": {"subject": TEXT, "body": TEXT},
                }
            ]
        },
        "/follow_ups/0",
    ),
    "follow-up with both times": (
        {
            "ends_at": "2026-03-05T00:00:00Z",
            "follow_ups": [
                {
                    "key": "again",
                    "send_at": "2026-03-01T10:00:00",
                    "hours_before_end": 24,
                    "content": {"subject": TEXT, "body": TEXT},
                }
            ],
        },
        "/follow_ups/0",
    ),
    "follow-up without content": (
        {"follow_ups": [{"key": "again", "send_at": "2026-03-01T10:00:00", "content": {}}]},
        "/follow_ups/0",
    ),
    "follow-up with half content": (
        {
            "follow_ups": [
                {"key": "again", "send_at": "2026-03-01T10:00", "content": {"subject": TEXT}}
            ]
        },
        "/follow_ups/0",
    ),
    "follow-up keys twice": (
        {
            "follow_ups": [
                {"key": "again", "send_at": "2026-03-01T10:00", "content": {"short": TEXT}},
                {"key": "again", "send_at": "2026-03-02T10:00", "content": {"short": TEXT}},
            ]
        },
        "",
    ),
    "hours before end without ends_at": (
        {"follow_ups": [{"key": "last", "hours_before_end": 24, "content": {"short": TEXT}}]},
        "",
    ),
    "ends before it is sent": (
        {"send_at": "2026-03-01T10:00:00Z", "ends_at": "2026-03-01T09:00:00Z"},
        "",
    ),
    # Messages with an unknown template (or one with another context) fail at send time.
    "unknown template": ({"subject": None, "body": None, "template": "nope.nope"}, "/template"),
    "template of another message": (
        {"subject": None, "body": None, "template": "welcome"},
        "/template",
    ),
    "a variant's unknown template": (
        {"variants": [{"key": "b", "content": {"template": "campaign:other/main"}}]},
        "/variants/0/content/template",
    ),
    "a follow-up's unknown template": (
        {
            "follow_ups": [
                {"key": "again", "send_at": "2026-03-01T10:00", "content": {"template": "x"}}
            ]
        },
        "/follow_ups/0/content/template",
    ),
}


class TestValidation:
    @pytest.mark.parametrize("case", list(BAD))
    def test_every_bad_spec_is_a_422_with_its_pointer_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], case: str
    ) -> None:
        changes, pointer = BAD[case]
        body = {k: v for k, v in {**SPEC, **changes}.items() if v is not None}
        before = row_counts(app)

        response = client.put(f"{V1}/campaigns/spring", json=body, headers=admin)

        problem = assert_problem(response, 422, "request_invalid")
        assert pointer in [e["pointer"] for e in problem["errors"]], problem
        assert row_counts(app) == before

    def test_an_audience_condition_that_is_not_cel_points_at_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = _put(client, admin, audience={"condition": "member.tier == "})

        problem = assert_problem(response, 422, "campaign_invalid", "/audience/condition")

        assert "member.tier ==" in problem["errors"][0]["detail"]
        assert row_counts(app) == before

    def test_the_good_cases_of_each_validator_pass(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        spec = {
            "name": SPEC["name"],
            "template": "campaign",
            "audience": {"condition": "member.tier == 'gold'", "segments": ["vip"]},
            "variants": [
                {"key": "a", "weight": 2},
                {"key": "b", "content": {"subject": TEXT, "body": TEXT}},
            ],
            "offer": {"points": {"multiplier": "2"}, "description": TEXT},
            "goal": {"event": "x.visit", "days": 14},
            "send_at": "2026-03-01T10:00:00",
            "ends_at": "2026-03-08T00:00:00+03:00",
            "follow_ups": [{"key": "last_day", "hours_before_end": 24, "content": {"short": TEXT}}],
        }
        response = client.put(f"{V1}/campaigns/spring", json=spec, headers=admin)
        assert response.status_code == 201, response.text
        assert CampaignSpec.model_validate(response.json()["spec"]).variants[0].weight == 2


class TestDelete:
    def test_deletes_a_draft_with_its_history(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        response = client.delete(f"{V1}/campaigns/spring", headers=admin)
        assert response.status_code == 204
        assert_problem(
            client.get(f"{V1}/campaigns/spring", headers=admin), 404, "marketing_campaign_not_found"
        )
        assert_problem(
            client.get(f"{V1}/campaigns/spring/history", headers=admin),
            404,
            "marketing_campaign_not_found",
        )
        [row] = audit_rows(app, "campaign.deleted")
        assert (row["target_id"], row["after"]) == ("spring", None)
        assert _put(client, admin).json()["revision"] == 1

    def test_refuses_to_delete_a_launched_campaign(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState.SCHEDULED)
        response = client.delete(f"{V1}/campaigns/spring", headers=admin)
        assert_problem(response, 409, "campaign_not_editable")
        assert_problem(
            client.delete(f"{V1}/campaigns/other", headers=admin),
            404,
            "marketing_campaign_not_found",
        )


class TestStates:
    def test_pause_resume_cancel_move_the_state_and_are_recorded(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState.RUNNING)
        _plan(app, client, admin, "spring", queued=2, pending=3)

        paused = client.post(f"{V1}/campaigns/spring/pause", headers=admin)
        assert paused.status_code == 200, paused.text
        assert paused.json()["state"] == "paused"
        again = client.post(f"{V1}/campaigns/spring/pause", headers=admin)
        assert (again.status_code, again.json()) == (200, paused.json())
        resumed = client.post(f"{V1}/campaigns/spring/resume", headers=admin)
        assert resumed.json()["state"] == "running"
        assert client.post(f"{V1}/campaigns/spring/resume", headers=admin).json() == resumed.json()

        cancelled = client.post(f"{V1}/campaigns/spring/cancel", headers=admin)
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["state"] == "cancelled"
        assert cancelled.json()["progress"] == {"cancelled": 3, "queued": 2}
        assert _sends(app, "spring") == {"cancelled": 3, "queued": 2}
        assert _sends(app, "spring", by="reason") == {"campaign_cancelled": 3}
        repeat = client.post(f"{V1}/campaigns/spring/cancel", headers=admin)
        assert (repeat.status_code, repeat.json()) == (200, cancelled.json())

        history = client.get(f"{V1}/campaigns/spring/history", headers=admin).json()["items"]
        assert [(h["action"], h["state"]) for h in history] == [
            ("created", "draft"),
            ("started", "running"),
            ("paused", "paused"),
            ("resumed", "running"),
            ("cancelled", "cancelled"),
        ]
        assert history[-1]["detail"].startswith("3 pending sends cancelled")
        assert [h["spec"] is None for h in history] == [False, True, True, True, True]
        assert [r["action"] for r in audit_rows(app) if r["target_type"] == "campaign"] == [
            "campaign.changed",
            "campaign.paused",
            "campaign.resumed",
            "campaign.cancelled",
        ]

    def test_resume_returns_a_campaign_paused_before_its_send_to_scheduled(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState.SCHEDULED)
        client.post(f"{V1}/campaigns/spring/pause", headers=admin)
        resumed = client.post(f"{V1}/campaigns/spring/resume", headers=admin)
        assert resumed.json()["state"] == "scheduled"

    @pytest.mark.parametrize(
        ("state", "move"),
        [
            ("draft", "pause"),
            ("finished", "pause"),
            ("cancelled", "pause"),
            ("draft", "resume"),
            ("finished", "resume"),
            ("cancelled", "resume"),
            ("finished", "cancel"),
        ],
    )
    def test_a_move_its_state_does_not_allow_is_a_409(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], state: str, move: str
    ) -> None:
        _put(client, admin)
        _set_state(app, "spring", CampaignState(state))
        before = row_counts(app)
        response = client.post(f"{V1}/campaigns/spring/{move}", headers=admin)
        problem = assert_problem(response, 409, "campaign_state_conflict")
        assert problem["state"] == state
        assert row_counts(app) == before

    def test_a_draft_can_be_cancelled(self, client: TestClient, admin: dict[str, str]) -> None:
        _put(client, admin)
        response = client.post(f"{V1}/campaigns/spring/cancel", headers=admin)
        assert response.json()["state"] == "cancelled"

    @pytest.mark.parametrize("move", ["pause", "resume", "cancel"])
    def test_an_unknown_campaign_is_a_404(
        self, client: TestClient, admin: dict[str, str], move: str
    ) -> None:
        response = client.post(f"{V1}/campaigns/nothing/{move}", headers=admin)
        assert_problem(response, 404, "marketing_campaign_not_found")


class TestPermissions:
    def test_program_read_reads_and_program_write_writes(
        self, client: TestClient, keys: Keys
    ) -> None:
        reader = bearer(keys.of(Scope.PROGRAM_READ))
        writer = bearer(keys.of(Scope.PROGRAM_WRITE))
        assert_problem(_put(client, reader), 403, "permission_denied")
        assert _put(client, writer).status_code == 201
        assert client.get(f"{V1}/campaigns/spring", headers=reader).status_code == 200
        assert client.get(f"{V1}/campaigns/seasons", headers=reader).status_code == 200
        for move in ("pause", "resume", "cancel"):
            response = client.post(f"{V1}/campaigns/spring/{move}", headers=reader)
            assert_problem(response, 403, "permission_denied")
        assert_problem(
            client.post(
                f"{V1}/campaigns/seasons/new_year/copy", json={"key": "ny"}, headers=reader
            ),
            403,
            "permission_denied",
        )
        assert_problem(
            client.delete(f"{V1}/campaigns/spring", headers=reader), 403, "permission_denied"
        )
        events = bearer(keys.of(Scope.EVENTS_WRITE))
        assert_problem(client.get(f"{V1}/campaigns", headers=events), 403, "permission_denied")


class TestSeasons:
    def test_lists_the_calendar_soonest_first_with_specs_that_are_valid(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        items = client.get(f"{V1}/campaigns/seasons", headers=admin).json()["items"]

        keys = [item["key"] for item in items]
        assert {"new_year", "womens_day", "black_friday", "back_to_school"} <= set(keys)
        assert keys[0] == "valentines"  # 15 January: 14 February is the next
        assert keys.index("new_year") == len(keys) - 1
        sends = [item["send_at"] for item in items]
        assert sends == sorted(sends)
        for item in items:
            spec = CampaignSpec.model_validate(item["spec"])
            assert spec.subject is not None
            assert spec.body is not None
            assert spec.name.ru
            assert item["about"]["ru"]

    def test_copies_a_season_to_a_draft_dated_for_its_next_occurrence(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        response = client.post(
            f"{V1}/campaigns/seasons/womens_day/copy", json={"key": "march8"}, headers=admin
        )

        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["key"], body["state"], body["revision"]) == ("march8", "draft", 1)
        assert body["name"] == {"en": "8 March", "ru": "8 Марта"}
        assert body["spec"]["send_at"] == "2026-03-03T10:00:00"
        assert body["spec"]["ends_at"] == "2026-03-09T00:00:00Z"
        assert body["spec"]["follow_ups"][0]["key"] == "last_day"
        [row] = audit_rows(app, "campaign.changed")
        assert row["target_id"] == "march8"
        changed = client.put(
            f"{V1}/campaigns/march8", json={**body["spec"], "control_percent": 0}, headers=admin
        )
        assert changed.status_code == 201

    def test_a_copy_to_a_taken_key_an_unknown_season_or_a_bad_key_is_refused(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        before = row_counts(app)
        taken = client.post(
            f"{V1}/campaigns/seasons/new_year/copy", json={"key": "spring"}, headers=admin
        )
        assert_problem(taken, 409, "campaign_exists", "/key")
        unknown = client.post(
            f"{V1}/campaigns/seasons/easter/copy", json={"key": "easter"}, headers=admin
        )
        assert_problem(unknown, 404, "campaign_season_not_found")
        bad = client.post(
            f"{V1}/campaigns/seasons/new_year/copy", json={"key": "N Y"}, headers=admin
        )
        assert_problem(bad, 422, "request_invalid", "/key")
        assert row_counts(app) == before


def test_the_program_file_puts_campaigns_and_exports_them(
    client: TestClient, app: Loyalist, admin: dict[str, str]
) -> None:
    program = {"version": 1, "campaigns": {"spring": SPEC}}
    applied = client.put(f"{V1}/program", json=program, headers=admin)
    assert applied.status_code == 200, applied.text
    assert applied.json()["campaigns_changed"] == ["spring"]
    assert [r["target_id"] for r in audit_rows(app, "campaign.changed")] == ["spring"]
    exported = client.get(f"{V1}/program", headers=admin).json()
    assert exported["campaigns"] == {"spring": SPEC}
    again = client.put(f"{V1}/program", json=exported, headers=admin)
    assert again.json()["campaigns_changed"] == []

    _set_state(app, "spring", CampaignState.RUNNING)
    changed = {"version": 1, "campaigns": {"spring": {**SPEC, "control_percent": 5}}}
    refused = client.put(f"{V1}/program", json=changed, headers=admin)
    assert_problem(refused, 409, "campaign_not_editable", "/campaigns/spring")
    bad = {"version": 1, "campaigns": {"spring": {**SPEC, "audience": {"condition": "("}}}}
    assert_problem(
        client.put(f"{V1}/program", json=bad, headers=admin),
        422,
        "campaign_invalid",
        "/campaigns/spring/audience/condition",
    )
    assert client.get(f"{V1}/campaigns/spring", headers=admin).json()["revision"] == 2
