"""The audit trail over the API: configuration changes, manual adjustments and key and role
changes are recorded in the same transaction as the change (and not when it fails), and
``GET /api/v1/audit`` reads them back filtered, paged, with addresses cut to networks."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from loyalist.audit import service as audit
from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer, row_counts
from tests.api.test_coupons import campaign
from tests.api.test_journeys_templates import BASE_RULE, MATURED
from tests.api.test_rewards import FIVER
from tests.auditing import audit_rows
from tests.conftest import START, keyed

AUDIT = "/api/v1/audit"


class TestWrites:
    def test_configuration_changes_are_recorded_by_whoever_made_them(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        start = len(audit_rows(app))
        answers = [
            client.put("/api/v1/rules/base", json=BASE_RULE, headers=admin),
            client.put("/api/v1/rules/base", json=BASE_RULE, headers=admin),  # unchanged
            client.delete("/api/v1/rules/base", headers=admin),
            client.put("/api/v1/journeys/welcome", json={"enabled": True}, headers=admin),
            client.put("/api/v1/templates/points_matured/en", json=MATURED, headers=admin),
            client.put("/api/v1/coupon-campaigns/spring", json=campaign(), headers=admin),
            client.put("/api/v1/rewards/fiver", json=FIVER, headers=admin),
            client.delete("/api/v1/rewards/fiver", headers=admin),
            client.put("/api/v1/badges/first", json=BADGE, headers=admin),
            client.delete("/api/v1/badges/first", headers=admin),
            client.put("/api/v1/referral-program", json={}, headers=admin),
            client.put("/api/v1/program", json={"version": 1, "rules": [BASE_RULE]}, headers=admin),
        ]

        assert all(r.status_code < 300 for r in answers), [
            r.text for r in answers if r.status_code >= 300
        ]
        rows = audit_rows(app)[start:]
        assert [(r["action"], r["target_type"], r["target_id"]) for r in rows] == [
            ("rule.changed", "rule", "base"),
            ("rule.retired", "rule", "base"),
            ("journey.changed", "journey", "welcome"),
            ("template.changed", "template", "points_matured/en"),
            ("coupon_campaign.changed", "coupon_campaign", "spring"),
            ("reward.changed", "reward", "fiver"),
            ("reward.paused", "reward", "fiver"),
            ("badge.changed", "badge", "first"),
            ("badge.deactivated", "badge", "first"),
            ("referral_program.changed", "referral_program", None),
            ("program.applied", "program", None),
        ]
        assert {(r["actor_kind"], r["actor_label"]) for r in rows} == {("api_key", "shop admin")}
        journey = rows[2]
        assert (journey["before"]["enabled"], journey["after"]["enabled"]) == (False, True)
        assert rows[4]["before"] is None
        assert rows[4]["after"]["discount"]["percent"] == "10"
        assert rows[-1]["after"]["sections"] == ["rules"]
        assert rows[-1]["after"]["created"] == ["base"]

    def test_a_change_that_fails_records_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        bad_rule = BASE_RULE | {"effects": [{"type": "per_unit", "rates": {"EUR": "x"}}]}

        failed = client.put(
            "/api/v1/program", json={"version": 1, "rules": [bad_rule]}, headers=admin
        )

        assert failed.status_code == 422, failed.text
        assert row_counts(app) == before

    def test_a_manual_adjustment_is_recorded_with_the_member_and_the_reason_once(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        headers = keyed(admin) | {"X-Request-ID": "adj-1"}
        body = {"points": 250, "reason": "parcel lost"}

        first = client.post("/api/v1/members/M1/points/adjustments", json=body, headers=headers)
        replay = client.post("/api/v1/members/M1/points/adjustments", json=body, headers=headers)

        assert (first.status_code, replay.status_code) == (201, 201)
        [row] = audit_rows(app, "points.adjusted")
        assert (row["target_type"], row["target_id"], row["reason"]) == (
            "member", "M1", "parcel lost",
        )  # fmt: skip
        assert row["after"] == {"points": 250, "posting_id": first.json()["posting_id"]}
        assert row["member_id"] is not None
        assert row["request_id"] == "adj-1"
        listed = client.get(AUDIT, params={"member_id": "M1"}, headers=admin).json()["items"]
        assert [(i["action"], i["member_id"]) for i in listed] == [("points.adjusted", "M1")]


BADGE: dict[str, Any] = {
    "name": {"en": "First order", "ru": "Первый заказ"},
    "criteria": "true",
}


def _seed(app: Loyalist, clock: ManualClock) -> None:
    """Five rows an hour apart: two staff reads from two addresses, a key's change, a
    system job, an IPv6 caller."""
    rows = [
        (Actor(ActorKind.STAFF, "7", "Ann", "203.0.113.77", "r1"), "pii.read", "member", "m1"),
        (Actor(ActorKind.STAFF, "8", "Bob", "198.51.100.9", "r2"), "pii.read", "member", "m2"),
        (Actor(ActorKind.API_KEY, "3", "shop", "10.0.0.5", "r3"), "rule.changed", "rule", "base"),
        (Actor(ActorKind.SYSTEM, None, "system"), "audit.retention", "audit_log", None),
        (
            Actor(ActorKind.STAFF, "7", "Ann", "2001:db8:abcd:12::1", "r5"),
            "pii.read",
            "member",
            "m1",
        ),
    ]
    for actor, action, target_type, target_id in rows:
        app.db.write(functools.partial(_write, actor, action, target_type, target_id))
        clock.advance(timedelta(hours=1))


def _write(
    actor: Actor, action: str, target_type: str, target_id: str | None, uow: UnitOfWork
) -> None:
    audit.record(uow, actor, action, target_type=target_type, target_id=target_id)


class TestRead:
    def test_filters_by_actor_action_target_and_time_newest_first(
        self, client: TestClient, app: Loyalist, clock: ManualClock, admin: dict[str, str]
    ) -> None:
        start = len(audit_rows(app))
        _seed(app, clock)

        def seqs(**params: Any) -> list[int]:
            response = client.get(AUDIT, params=params, headers=admin)
            assert response.status_code == 200, response.text
            return [item["seq"] - start for item in response.json()["items"]]

        assert seqs()[:5] == [5, 4, 3, 2, 1]
        assert seqs(actor_kind="staff", actor_id="7") == [5, 1]
        assert seqs(action="pii.read", target_type="member", target_id="m2") == [2]
        hour = timedelta(hours=1)
        assert seqs(
            **{"from": (START + hour).isoformat(), "to": (START + 3 * hour).isoformat()}
        ) == [3, 2]
        assert seqs(actor_kind="system", action="audit.retention") == [4]

    def test_shows_addresses_cut_to_their_networks_and_no_hashes(
        self, client: TestClient, app: Loyalist, clock: ManualClock, admin: dict[str, str]
    ) -> None:
        _seed(app, clock)

        items = client.get(AUDIT, params={"actor_id": "7"}, headers=admin).json()["items"]

        assert [i["ip"] for i in items] == ["2001:db8:abcd::/48", "203.0.113.0/24"]
        assert items[1]["actor"] == {"kind": "staff", "id": "7", "label": "Ann"}
        assert not {"hash", "prev_hash"} & set(items[0])
        assert "203.0.113.77" not in str(items)

    def test_pages_by_cursor_without_gaps_or_repeats(
        self, client: TestClient, app: Loyalist, clock: ManualClock, admin: dict[str, str]
    ) -> None:
        _seed(app, clock)
        _seed(app, clock)
        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 3, "action": "pii.read"}
            if cursor:
                params["before"] = cursor
            page = client.get(AUDIT, params=params, headers=admin).json()
            seen += [item["seq"] for item in page["items"]]
            pages += 1
            cursor = page["next_before"]
            if cursor is None:
                break

        assert pages == 3  # the third, empty, ends it
        assert seen == sorted(seen, reverse=True)
        assert len(seen) == len(set(seen)) == 6

    def test_refuses_bad_filters_unknown_members_and_callers_without_audit_read(
        self, client: TestClient, keys: Keys, admin: dict[str, str]
    ) -> None:
        assert_problem(
            client.get(AUDIT, params={"actor_kind": "robot"}, headers=admin),
            422, "request_invalid", "#query/actor_kind",
        )  # fmt: skip
        assert_problem(
            client.get(AUDIT, params={"before": "yesterday"}, headers=admin),
            422, "cursor_invalid", "#query/before",
        )  # fmt: skip
        assert_problem(
            client.get(AUDIT, params={"member_id": "nobody"}, headers=admin),
            404, "member_not_found",
        )  # fmt: skip
        denied = client.get(AUDIT, headers=bearer(keys.of(Scope.INSIGHTS_READ)))
        assert assert_problem(denied, 403, "permission_denied")["permission"] == "audit.read"
