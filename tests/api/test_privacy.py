"""Privacy over HTTP: the export bundle of a member active in every domain, erasure that
keeps the books exact and leaves no personal data at rest, the destruction records, and
the member's id refused afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist
from loyalist.ledger.balances import liability
from loyalist.ledger.verification import verify_ledger
from loyalist.staff.models import Scope
from tests.api.conftest import assert_problem, bearer, make_key, row_counts
from tests.conftest import START, event
from tests.privacy_member import (
    COMMENT,
    CONSENT_IP,
    DEVICE_TOKEN,
    EMAIL,
    FIRST_NAME,
    MEMBER,
    V1,
    Built,
    build_member,
    found_needles,
    stored_text,
)

EXPORT = f"{V1}/members/{MEMBER}/privacy/export"
ERASURE = f"{V1}/members/{MEMBER}/privacy/erasure"


@pytest.fixture
def mail_client(mailing_app: Loyalist) -> Iterator[TestClient]:
    """A client of the application whose email goes to the loopback SMTP sink."""
    with TestClient(create_app(mailing_app, embedded_worker=False)) as test_client:
        yield test_client


@pytest.fixture
def root(mailing_app: Loyalist) -> dict[str, str]:
    return bearer(make_key(mailing_app, "privacy officer", Scope.ADMIN))


@pytest.fixture
def built(mailing_app: Loyalist, mail_client: TestClient, root: dict[str, str]) -> Built:
    return build_member(mailing_app, mail_client, root)


def _export(client: TestClient, headers: dict[str, str], url: str = EXPORT) -> dict[str, Any]:
    response = client.post(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


class TestExport:
    def test_the_bundle_holds_every_domains_data_of_a_member_active_in_all(
        self, built: Built, mail_client: TestClient, root: dict[str, str]
    ) -> None:
        _export(mail_client, root)  # the first export is an audit row the second shows

        bundle = _export(mail_client, root)

        assert (bundle["format"], bundle["version"]) == ("loyalist.member-export", 1)
        member = bundle["member"]
        assert member["id"] == MEMBER
        assert member["erased_at"] is None
        profile = member["profile"]
        assert (profile["email"], profile["first_name"], profile["birthday"]) == (
            EMAIL.lower(),
            FIRST_NAME,
            "1990-04-12",
        )
        assert profile["attributes"] == {"favourite_shop": "Tverskaya"}
        [device] = member["devices"]
        assert device["token"] == "…" + DEVICE_TOKEN[-4:]
        assert DEVICE_TOKEN not in orjson.dumps(bundle).decode()
        consents = bundle["consents"]
        assert {c["purpose"] for c in consents["purposes"]} == {"email", "sms"}
        assert [(c["purpose"], c["source"], c["ip"]) for c in consents["changes"]] == [
            ("email", "member.enrolled", None),
            ("sms", "checkout", CONSENT_IP),
        ]
        ledger = bundle["ledger"]
        kinds = {e["kind"] for e in ledger["entries"]}
        assert {"earn", "mature", "reverse", "adjust", "spend", "hold"} <= kinds
        assert all(e["text"] for e in ledger["entries"])
        assert ledger["summary"]["on_hold"] == built.held == 200
        assert {lot["status"] for lot in ledger["lots"]} >= {"pending", "available"}
        assert [h["status"] for h in ledger["holds"]] == ["active"]
        orders = {o["order_id"]: o for o in bundle["orders"]}
        assert sorted(orders) == ["PO-1", "PO-2"]
        assert [line["sku"] for line in orders["PO-1"]["lines"]] == ["BOOK", "LAMP"]
        assert orders["PO-1"]["delivered_at"] is not None
        assert [r["requested"] for r in orders["PO-1"]["returns"]] == [
            [{"sku": "LAMP", "quantity": 1}]
        ]
        enrolment = next(e for e in bundle["events"] if e["type"] == "member.enrolled")
        assert enrolment["data"]["email"] == EMAIL  # sealed at rest, disclosed to the member
        assert [r["review_id"] for r in bundle["reviews"]] == ["RV-1"]
        [answer] = bundle["survey_answers"]
        assert (answer["score"], answer["comment"]) == (9, COMMENT)
        assert [c["id"] for c in bundle["checkouts"]] == [built.checkout_id]
        assert bundle["coupons"]["codes"]  # the reward's personal code
        assert [r["order_id"] for r in bundle["coupons"]["redemptions"]] == ["PO-9"]
        assert len(bundle["rewards"]["redemptions"]) == 1
        referrals = bundle["referrals"]
        assert referrals["code"]["code"]
        assert referrals["referred_by"]["status"] == "converted"
        assert [s["channel"] for s in referrals["shares"]] == ["whatsapp"]
        assert {s["kind"] for s in referrals["signals"]} == {"ip", "device_id"}
        sent = [m for m in bundle["messages"] if m["status"] == "sent"]
        assert sent
        assert all(m["subject"] and m["body_text"] for m in sent)
        assert all(m["history"][0]["status"] == "queued" for m in bundle["messages"])
        game = bundle["gamification"]
        assert [b["badge"] for b in game["badges"]] == ["first-order"]
        assert {q["quest"] for q in game["quests"]} == {"two-orders"}
        assert [s["streak"] for s in game["streaks"]] == ["monthly"]
        assert game["statistics"]["orders_count"] == 2
        insights = bundle["insights"]
        assert insights["scores"]
        assert insights["scores"][0]["segment"]
        assert insights["segments"]
        assert bundle["rules"]["order_statistics"]["order_count"] == 2
        # The adjustment of the build, and this export.
        assert [a["action"] for a in bundle["audit"]] == ["points.adjusted", "privacy.export"]
        assert bundle["destruction_record"] is None

    def test_each_export_is_an_audit_row_about_the_member(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.post(f"{V1}/events", json=event("e1", "member.enrolled", "M1", START), headers=admin)
        _export(client, admin, f"{V1}/members/M1/privacy/export")
        _export(client, admin, f"{V1}/members/M1/privacy/export")

        bundle = _export(client, admin, f"{V1}/members/M1/privacy/export")

        rows = bundle["audit"]
        assert [(r["action"], r["actor_kind"], r["actor_label"]) for r in rows] == [
            ("privacy.export", "api_key", "shop admin")
        ] * 2

    def test_an_unknown_member_is_404_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.post(f"{V1}/members/NOBODY/privacy/export", headers=admin)
        assert_problem(response, 404, "member_not_found")
        assert row_counts(app) == before

    def test_needs_the_privacy_requests_permission(self, client: TestClient, keys: Any) -> None:
        response = client.post(EXPORT, headers=bearer(keys.of(Scope.MEMBERS_READ)))
        assert_problem(response, 403, "permission_denied")


class TestErasure:
    def test_erasure_keeps_the_books_exact_and_leaves_no_personal_data(
        self, built: Built, mailing_app: Loyalist, mail_client: TestClient, root: dict[str, str]
    ) -> None:
        app = mailing_app
        assert app.db.read(verify_ledger).ok
        code = mail_client.get(f"{V1}/members/{MEMBER}/referral", headers=root).json()["code"]
        stored = stored_text(app)
        assert "nps-2026" in stored  # the scan reads the stored rows
        assert code in stored  # made from the first name: personal too
        outstanding = app.db.read(liability)["outstanding_points"]
        unspent = built.available + built.pending + built.held

        response = mail_client.post(
            ERASURE,
            json={"legal_basis": "subject_request", "reference": "DSR-2026-0042"},
            headers=root,
        )

        assert response.status_code == 201, response.text
        record = response.json()
        assert record["subject"].startswith("erased:")
        assert (record["kind"], record["legal_basis"], record["reference"]) == (
            "request",
            "subject_request",
            "DSR-2026-0042",
        )
        assert record["points_closed"] == unspent > 0
        assert record["actor"] == {
            "kind": "api_key",
            "id": record["actor"]["id"],
            "label": "privacy officer",
        }
        categories = record["categories"]
        assert set(categories["profile_fields"]) >= {"email", "phone", "first_name", "last_name"}
        assert categories["devices"] == 1
        assert categories["consent_addresses"] == 2  # the sms consent and its trail row
        assert categories["events"] >= 7
        assert categories["messages"] >= 1
        assert categories["order_lines"] == 3
        assert record["audit_seq"] is not None

        report = app.db.read(verify_ledger)
        assert report.ok, report.problems
        after = app.db.read(liability)
        assert after["outstanding_points"] == outstanding - record["points_closed"]
        assert after["system_accounts"]["system.erased"] == record["points_closed"]
        points = mail_client.get(f"{V1}/members/{record['subject']}/points", headers=root).json()
        assert (points["available"], points["pending"], points["on_hold"]) == (0, 0, 0)
        assert_problem(
            mail_client.get(f"{V1}/members/{MEMBER}", headers=root), 404, "member_not_found"
        )
        shell = mail_client.get(f"{V1}/members/{record['subject']}", headers=root).json()
        assert shell["erased_at"] is not None
        assert (shell["email"], shell["phone"], shell["first_name"]) == (None, None, None)
        checkout = mail_client.get(f"{V1}/checkout/holds/{built.checkout_id}", headers=root)
        assert checkout.json()["status"] == "released"

        bundle = _export(mail_client, root)
        assert bundle["member"]["id"] == record["subject"]
        assert bundle["destruction_record"]["id"] == record["id"]
        text = orjson.dumps(bundle).decode()
        assert found_needles(text) == []
        assert MEMBER not in text
        assert [e["data"] for e in bundle["events"]] == [{}] * len(bundle["events"])
        assert all(m["subject"] is None and m["body_html"] is None for m in bundle["messages"])
        # The consent trail stays as the evidence, but for the member's address.
        consents = bundle["consents"]
        assert [(c["purpose"], c["source"], c["ip"]) for c in consents["changes"]] == [
            ("email", "member.enrolled", None),
            ("sms", "checkout", None),
        ]
        assert {(c["purpose"], c["is_granted"], c["ip"]) for c in consents["purposes"]} == {
            ("email", True, None),
            ("sms", True, None),
        }
        stored = stored_text(app)
        assert found_needles(stored) == []
        assert code not in stored
        assert "nps-2026" in stored

    def test_a_second_erasure_answers_the_first_record_and_changes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.post(
            f"{V1}/events",
            json=event("e1", "member.enrolled", "M1", START, email="m1@example.org"),
            headers=admin,
        )
        first = client.post(f"{V1}/members/M1/privacy/erasure", headers=admin)
        before = row_counts(app)

        again = client.post(f"{V1}/members/M1/privacy/erasure", headers=admin)
        by_subject = client.post(
            f"{V1}/members/{first.json()['subject']}/privacy/erasure", headers=admin
        )

        assert (first.status_code, again.status_code, by_subject.status_code) == (201, 200, 200)
        assert again.json() == first.json() == by_subject.json()
        assert first.json()["legal_basis"] == "subject_request"
        assert row_counts(app) == before

    def test_events_and_changes_for_an_erased_id_are_refused(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.post(f"{V1}/events", json=event("e1", "member.enrolled", "M1", START), headers=admin)
        subject = client.post(f"{V1}/members/M1/privacy/erasure", headers=admin).json()["subject"]
        before = row_counts(app)

        batch = [
            event("e2", "member.enrolled", "M2", START),
            event(
                "e3",
                "order.paid",
                "M1",
                START,
                order_id="O1",
                currency="EUR",
                total=100,
                lines=[{"sku": "A", "quantity": 1, "unit_price": 100}],
            ),
        ]
        refused = client.post(f"{V1}/events", json=batch, headers=admin)
        survey = event("e4", "survey.answered", "M1", START, survey_id="s", score=3)
        refused_survey = client.post(f"{V1}/events", json=survey, headers=admin)
        put = client.put(f"{V1}/members/M1", json={"first_name": "Back"}, headers=admin)
        replay = client.post(
            f"{V1}/events", json=event("e1", "member.enrolled", "M1", START), headers=admin
        )

        assert_problem(refused, 409, "member_erased", "/1/member_id")
        assert_problem(refused_survey, 409, "member_erased", "/member_id")
        assert_problem(put, 409, "member_erased")
        by_subject = client.post(
            f"{V1}/events", json=[event("e5", "x.visit", subject, START)], headers=admin
        )
        assert_problem(by_subject, 409, "member_erased", "/0/member_id")
        assert replay.status_code == 202  # the stored answer: nothing is applied again
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert row_counts(app) == before

    def test_an_unknown_member_and_a_bad_body_are_problems_and_write_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.post(f"{V1}/events", json=event("e1", "member.enrolled", "M1", START), headers=admin)
        before = row_counts(app)

        unknown = client.post(f"{V1}/members/NOBODY/privacy/erasure", headers=admin)
        retention = client.post(
            f"{V1}/members/M1/privacy/erasure",
            json={"legal_basis": "retention_expired"},
            headers=admin,
        )
        extra = client.post(
            f"{V1}/members/M1/privacy/erasure", json={"because": "asked"}, headers=admin
        )

        assert_problem(unknown, 404, "member_not_found")
        assert_problem(retention, 422, "request_invalid", "/legal_basis")
        assert_problem(extra, 422, "request_invalid", "/because")
        assert row_counts(app) == before


class TestDestructionRecords:
    def test_lists_the_records_newest_first_in_pages(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        members = [f"M{n}" for n in range(3)]
        client.post(
            f"{V1}/events",
            json=[event(f"e{m}", "member.enrolled", m, START) for m in members],
            headers=admin,
        )
        made = [
            client.post(
                f"{V1}/members/{m}/privacy/erasure", json={"note": f"asked by {m}"}, headers=admin
            ).json()
            for m in members
        ]

        first = client.get(f"{V1}/privacy/destruction-records?limit=2", headers=admin).json()
        second = client.get(
            f"{V1}/privacy/destruction-records",
            params={"limit": 2, "before": first["next_before"]},
            headers=admin,
        ).json()

        assert [r["id"] for r in first["items"] + second["items"]] == [
            r["id"] for r in reversed(made)
        ]
        assert second["next_before"] is None
        assert first["items"][0]["note"] == "asked by M2"
        bad = client.get(f"{V1}/privacy/destruction-records?before=nope", headers=admin)
        assert_problem(bad, 422, "cursor_invalid", "#query/before")
