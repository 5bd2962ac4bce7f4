"""The consent registry over HTTP: purposes, versioned consent texts with their SHA-256, a
member's consents with the evidence every input records (the API, member events, the
unsubscribe link, the preference centre, SMS STOP), and the consent trail in order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.messages import providers
from loyalist.messages import service as messages
from loyalist.staff.service import create_api_key
from tests.api.conftest import Keys, assert_problem, bearer, row_counts
from tests.conftest import START, event
from tests.integration.helpers import member_pk, send
from tests.integration.messaging import marketing_draft, queue

MEMBERS = "/api/v1/members"
TEXTS = "/api/v1/consent-texts"
PURPOSES = "/api/v1/consent-purposes"
#: The address the test client's requests come from (a member's browser on the pages).
MEMBER_IP = "203.0.113.7"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PROCESSING_RU = "Я даю согласие ООО «Магазин» на обработку моих персональных данных."


@pytest.fixture
def client(app: Loyalist) -> Iterator[TestClient]:
    with TestClient(create_app(app, embedded_worker=False), client=(MEMBER_IP, 50000)) as test:
        yield test


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def publish(
    client: TestClient, admin: dict[str, str], purpose: str, locale: str, wording: str
) -> dict[str, Any]:
    response = client.post(
        TEXTS, json={"purpose": purpose, "locale": locale, "text": wording}, headers=admin
    )
    assert response.status_code in (200, 201), response.text
    found: dict[str, Any] = response.json()
    return found


def consents_of(client: TestClient, admin: dict[str, str], member: str) -> dict[str, Any]:
    response = client.get(f"{MEMBERS}/{member}/consents", headers=admin)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def state(body: dict[str, Any], purpose: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [p for p in body["purposes"] if p["purpose"] == purpose]
    assert len(found) == 1
    return found[0]


def evidence(entry: dict[str, Any]) -> tuple[Any, ...]:
    """What a consent or trail entry says: purpose, value, time, source, IP, text."""
    shown = entry["text"]
    return (
        entry["purpose"],
        entry["is_granted"],
        entry["changed_at"],
        entry["source"],
        entry["ip"],
        (shown["locale"], shown["version"]) if shown else None,
    )


class TestTexts:
    def test_publishes_versions_with_their_sha256_and_never_changes_an_old_one(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        first = publish(client, admin, "processing", "ru", PROCESSING_RU)
        clock.advance(timedelta(days=30))
        second = publish(client, admin, "processing", "ru", PROCESSING_RU + " Срок: 5 лет.")
        english = publish(client, admin, "processing", "en", "I consent to processing.")

        listed = client.get(TEXTS, params={"purpose": "processing"}, headers=admin).json()
        assert [(t["locale"], t["version"], t["sha256"]) for t in listed] == [
            ("en", 1, sha256("I consent to processing.")),
            ("ru", 2, sha256(PROCESSING_RU + " Срок: 5 лет.")),
            ("ru", 1, sha256(PROCESSING_RU)),
        ]
        assert listed[2] == first
        assert first["text"] == PROCESSING_RU
        assert first["published_at"] == "2026-01-15T12:00:00Z"
        assert first["published_by"] == "shop admin"
        assert second["published_at"] == "2026-02-14T12:00:00Z"
        ru = client.get(TEXTS, params={"purpose": "processing", "locale": "ru"}, headers=admin)
        assert [t["version"] for t in ru.json()] == [2, 1]
        assert english["version"] == 1

    def test_publishing_the_newest_text_again_answers_that_version_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        body = {"purpose": "email", "locale": "en", "text": "Send me offers by email."}
        created = client.post(TEXTS, json=body, headers=admin)
        before = row_counts(app)
        again = client.post(TEXTS, json=body, headers=admin)
        assert (created.status_code, again.status_code) == (201, 200)
        assert again.json() == created.json()
        assert row_counts(app) == before

    def test_the_database_refuses_to_change_a_published_version(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        published = publish(client, admin, "processing", "en", "I consent.")

        def tamper(uow: UnitOfWork) -> None:
            uow.session.execute(text("UPDATE consent_texts SET text = 'I consent to anything.'"))

        with pytest.raises(DBAPIError, match="consent_texts are never changed"):
            app.db.write(tamper)
        assert client.get(TEXTS, headers=admin).json() == [published]

    def test_publishing_is_audited_with_the_key_and_the_digest(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        published = publish(client, admin, "sms", "ru", "Присылайте мне SMS с акциями.")
        rows = app.db.read(
            lambda uow: [
                (r.action, r.actor_kind, r.actor_label, r.target_id, r.after, r.ip)
                for r in uow.session.scalars(
                    select(AuditRecord).where(AuditRecord.action.like("consent%"))
                )
            ]
        )
        assert rows == [
            (
                "consent_text.published",
                "api_key",
                "shop admin",
                "sms/ru/1",
                {"sha256": published["sha256"]},
                MEMBER_IP,
            )
        ]

    def test_refuses_an_unknown_purpose_a_bad_language_and_an_empty_text(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        unknown = client.post(
            TEXTS, json={"purpose": "transfer.nobody", "locale": "en", "text": "x"}, headers=admin
        )
        bad = client.post(
            TEXTS, json={"purpose": "email", "locale": "de", "text": ""}, headers=admin
        )
        assert_problem(unknown, 404, "consent_purpose_not_found", "/purpose")
        assert_problem(bad, 422, "request_invalid", "/locale", "/text")
        assert row_counts(app) == before


class TestPurposes:
    def test_lists_the_builtin_purposes_and_adds_a_transfer_to_a_processor(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        added = client.post(
            PURPOSES, json={"processor": "smsru", "title": "SMS.ru, SMS gateway"}, headers=admin
        )
        again = client.post(PURPOSES, json={"processor": "smsru", "title": "x"}, headers=admin)

        assert added.status_code == 201, added.text
        assert added.json() == {
            "code": "transfer.smsru",
            "kind": "transfer",
            "channel": None,
            "processor": "smsru",
            "title": "SMS.ru, SMS gateway",
            "is_builtin": False,
        }
        assert_problem(again, 409, "consent_purpose_exists", "/processor")
        listed = client.get(PURPOSES, headers=admin).json()
        assert [(p["code"], p["kind"], p["channel"], p["is_builtin"]) for p in listed] == [
            ("processing", "processing", None, True),
            ("email", "marketing", "email", True),
            ("sms", "marketing", "sms", True),
            ("push", "marketing", "push", True),
            ("transfer.smsru", "transfer", None, False),
        ]

    def test_adding_a_purpose_needs_privacy_requests(self, client: TestClient, keys: Keys) -> None:
        refused = client.post(
            PURPOSES,
            json={"processor": "smsru", "title": "SMS.ru"},
            headers=bearer(keys.scoped[next(iter(keys.scoped))]),
        )
        assert_problem(refused, 403, "permission_denied")


class TestMemberConsents:
    def test_records_a_grant_with_its_evidence_and_shows_every_purpose(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={"locale": "ru"}, headers=admin)
        publish(client, admin, "processing", "ru", PROCESSING_RU)
        clock.advance(timedelta(minutes=5))

        granted = client.put(
            f"{MEMBERS}/M1/consents/processing",
            json={
                "is_granted": True,
                "source": "checkout",
                "ip": "::ffff:198.51.100.4",
                "text": {"version": 1, "sha256": sha256(PROCESSING_RU)},
            },
            headers=admin,
        )

        expected = {
            "purpose": "processing",
            "kind": "processing",
            "channel": None,
            "processor": None,
            "is_granted": True,
            "changed_at": "2026-01-15T12:05:00Z",
            "source": "checkout",
            "ip": "198.51.100.4",
            "text": {"locale": "ru", "version": 1, "sha256": sha256(PROCESSING_RU)},
        }
        assert granted.status_code == 200, granted.text
        assert granted.json() == expected
        shown = consents_of(client, admin, "M1")
        assert shown["member_id"] == "M1"
        assert [p["purpose"] for p in shown["purposes"]] == ["processing", "email", "sms", "push"]
        assert state(shown, "processing") == expected
        assert state(shown, "email") == {
            "purpose": "email",
            "kind": "marketing",
            "channel": "email",
            "processor": None,
            "is_granted": False,
            "changed_at": None,
            "source": None,
            "ip": None,
            "text": None,
        }
        assert [evidence(h) for h in shown["history"]] == [evidence(expected)]

    def test_the_evidence_address_is_cut_to_its_network_without_the_personal_data_permission(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        body = {"is_granted": True, "source": "checkout", "ip": "198.51.100.4"}
        assert client.put(f"{MEMBERS}/M1/consents/sms", json=body, headers=admin).status_code == 200
        support = bearer(
            app.db.write(lambda uow: create_api_key(uow, "desk", [], role="support")[1])
        )

        full = consents_of(client, admin, "M1")
        masked = consents_of(client, support, "M1")

        assert state(full, "sms")["ip"] == "198.51.100.4"
        assert state(masked, "sms")["ip"] == "198.51.100.0/24"
        assert [h["ip"] for h in masked["history"]] == ["198.51.100.0/24"]
        assert "198.51.100.4" not in str(masked)

    def test_a_marketing_purpose_is_the_channel_consent_of_the_member(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        clock.advance(timedelta(minutes=5))
        client.put(
            f"{MEMBERS}/M1/consents/sms",
            json={"is_granted": True, "source": "checkout"},
            headers=admin,
        )
        member = client.get(f"{MEMBERS}/M1", headers=admin).json()
        assert member["consents"] == [
            {
                "channel": "sms",
                "is_granted": True,
                "changed_at": "2026-01-15T12:05:00Z",
                "source": "checkout",
            }
        ]
        assert state(consents_of(client, admin, "M1"), "sms")["is_granted"] is True

    def test_saying_again_what_is_held_keeps_its_time_and_source(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        url = f"{MEMBERS}/M1/consents/email"
        first = client.put(url, json={"is_granted": False, "source": "signup"}, headers=admin)
        clock.advance(timedelta(days=1))
        again = client.put(url, json={"is_granted": False, "source": "portal"}, headers=admin)
        assert again.json() == first.json()
        assert len(consents_of(client, admin, "M1")["history"]) == 1

    def test_a_grant_on_a_new_version_of_the_text_is_recorded_again(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        publish(client, admin, "processing", "en", "I consent.")
        url = f"{MEMBERS}/M1/consents/processing"
        client.put(url, json={"is_granted": True, "text": {"version": 1}}, headers=admin)
        publish(client, admin, "processing", "en", "I consent, for five years.")
        clock.advance(timedelta(days=1))
        client.put(url, json={"is_granted": True, "text": {"version": 1}}, headers=admin)
        client.put(url, json={"is_granted": True}, headers=admin)
        renewed = client.put(url, json={"is_granted": True, "text": {"version": 2}}, headers=admin)

        assert renewed.json()["text"]["version"] == 2
        history = consents_of(client, admin, "M1")["history"]
        assert [(h["changed_at"], h["text"]["version"]) for h in history] == [
            ("2026-01-16T12:00:00Z", 2),
            ("2026-01-15T12:00:00Z", 1),
        ]

    def test_refuses_unknown_purposes_members_and_texts_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        publish(client, admin, "email", "en", "Offers by email.")
        before = row_counts(app)

        def put(member: str, purpose: str, **body: Any) -> Any:
            body = {"is_granted": True, **body}
            return client.put(f"{MEMBERS}/{member}/consents/{purpose}", json=body, headers=admin)

        assert_problem(put("M1", "fax"), 404, "consent_purpose_not_found")
        assert_problem(put("M1", "transfer.smsru"), 404, "consent_purpose_not_found")
        assert_problem(put("ghost", "email"), 404, "member_not_found")
        assert_problem(put("M1", "Email!"), 422, "request_invalid", "#path/purpose")
        assert_problem(
            put("M1", "email", text={"version": 2}), 404, "consent_text_not_found", "/text/version"
        )
        assert_problem(
            put("M1", "email", text={"version": 1, "locale": "ru"}),
            404,
            "consent_text_not_found",
            "/text/version",
        )
        assert_problem(
            put("M1", "email", text={"version": 1, "sha256": sha256("Other words.")}),
            422,
            "consent_text_mismatch",
            "/text/sha256",
        )
        assert_problem(put("M1", "email", ip="not-an-ip"), 422, "request_invalid", "/ip")
        assert_problem(put("M1", "email", source=""), 422, "request_invalid", "/source")
        assert row_counts(app) == before

    def test_a_member_without_consents_reads_as_never_granted(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        shown = consents_of(client, admin, "M1")
        assert [p["is_granted"] for p in shown["purposes"]] == [False] * 4
        assert shown["history"] == []
        missing = client.get(f"{MEMBERS}/ghost/consents", headers=admin)
        assert_problem(missing, 404, "member_not_found")


class TestEvidenceFromEveryInput:
    """Each input records its source and time, and the IP address and text when it knows
    them; the consent trail lists them newest first."""

    def test_the_member_upsert_records_source_api_and_its_time(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={"consents": {"email": True}}, headers=admin)
        [entry] = consents_of(client, admin, "M1")["history"]
        assert evidence(entry) == ("email", True, "2026-01-15T12:00:00Z", "api", None, None)

    def test_an_enrolment_event_records_its_type_and_when_it_happened(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        enrolled = START - timedelta(days=2)
        send(app, event("e1", "member.enrolled", "M1", enrolled, consents={"sms": True}))
        send(app, event("e2", "member.updated", "M1", START, consents={"sms": False}))
        history = consents_of(client, admin, "M1")["history"]
        assert [evidence(h) for h in history] == [
            ("sms", False, "2026-01-15T12:00:00Z", "member.updated", None, None),
            ("sms", True, "2026-01-13T12:00:00Z", "member.enrolled", None, None),
        ]

    def test_the_unsubscribe_link_records_the_address_it_was_posted_from(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={"consents": {"email": True}}, headers=admin)
        member = member_pk(app, "M1")
        [message_id] = queue(app, marketing_draft(member, "spring"))
        clock.advance(timedelta(hours=1))
        token = messages.unsubscribe_token(member, message_id)

        done = client.post(
            f"/unsubscribe/{token}", content="List-Unsubscribe=One-Click", headers=FORM
        )

        assert done.status_code == 200, done.text
        shown = consents_of(client, admin, "M1")
        assert evidence(state(shown, "email")) == (
            "email",
            False,
            "2026-01-15T13:00:00Z",
            "unsubscribe-link",
            MEMBER_IP,
            None,
        )
        assert [h["source"] for h in shown["history"]] == ["unsubscribe-link", "api"]

    def test_the_preference_centre_shows_the_text_and_records_it_with_the_address(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={"locale": "ru"}, headers=admin)
        wording = "Присылайте мне письма с акциями.\nОтписаться можно в любой момент."
        published = publish(client, admin, "email", "ru", wording)
        link = messages.preferences_url("", member_pk(app, "M1"))
        page = client.get(link)
        assert "Присылайте мне письма с акциями.<br>Отписаться можно в любой момент." in page.text
        assert '<input type="hidden" name="text_email" value="1">' in page.text
        clock.advance(timedelta(minutes=3))

        saved = client.post(
            link, content="save=1&channel=email&topic=offers&text_email=1", headers=FORM
        )

        assert saved.status_code == 200, saved.text
        entry = state(consents_of(client, admin, "M1"), "email")
        assert evidence(entry) == (
            "email",
            True,
            "2026-01-15T12:03:00Z",
            "preference-centre",
            MEMBER_IP,
            ("ru", 1),
        )
        assert entry["text"]["sha256"] == published["sha256"] == sha256(wording)

    def test_the_preference_centre_refuses_a_text_version_never_published(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        link = messages.preferences_url("", member_pk(app, "M1"))
        before = row_counts(app)
        forged = client.post(link, content="save=1&channel=sms&text_sms=7", headers=FORM)
        garbled = client.post(link, content="save=1&channel=sms&text_sms=%C2%B2", headers=FORM)
        assert_problem(forged, 404, "consent_text_not_found", "/text_sms/version")
        assert_problem(garbled, 422, "preferences_form_invalid", "/text_sms")
        assert row_counts(app) == before

    def test_an_sms_stop_records_its_source(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        body = {"phone": "+14155550100", "consents": {"sms": True, "email": True}}
        client.put(f"{MEMBERS}/M1", json=body, headers=admin)
        app.db.write(lambda uow: providers.apply_sms_stop(uow, "+14155550100", source="sms-stop"))
        shown = consents_of(client, admin, "M1")
        assert evidence(state(shown, "sms"))[:5] == (
            "sms",
            False,
            "2026-01-15T12:00:00Z",
            "sms-stop",
            None,
        )
        assert state(shown, "email")["is_granted"] is True


class TestTrail:
    def test_lists_changes_newest_first_and_at_one_time_the_later_recorded_first(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        url = f"{MEMBERS}/M1/consents"
        for purpose, granted in [("email", True), ("email", False), ("sms", True)]:
            client.put(f"{url}/{purpose}", json={"is_granted": granted}, headers=admin)
        clock.advance(timedelta(seconds=1))
        client.put(f"{url}/email", json={"is_granted": True, "source": "portal"}, headers=admin)

        history = consents_of(client, admin, "M1")["history"]
        assert [(h["purpose"], h["is_granted"], h["source"]) for h in history] == [
            ("email", True, "portal"),
            ("sms", True, "api"),
            ("email", False, "api"),
            ("email", True, "api"),
        ]
        limited = client.get(f"{url}", params={"limit": 2}, headers=admin).json()["history"]
        assert limited == history[:2]

    def test_an_old_grant_imported_after_a_withdrawal_is_kept_but_does_not_restore_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={"consents": {"email": True}}, headers=admin)
        client.put(f"{MEMBERS}/M1/consents/email", json={"is_granted": False}, headers=admin)
        last_year = START - timedelta(days=365)
        send(app, event("old", "member.enrolled", "M1", last_year, consents={"email": True}))

        shown = consents_of(client, admin, "M1")
        assert state(shown, "email")["is_granted"] is False
        assert [(h["is_granted"], h["changed_at"], h["source"]) for h in shown["history"]] == [
            (False, "2026-01-15T12:00:00Z", "api"),
            (True, "2026-01-15T12:00:00Z", "api"),
            (True, "2025-01-15T12:00:00Z", "member.enrolled"),
        ]
