"""Member routes: upsert, partial update, blind-index lookup, timeline paging (consents:
test_consents.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from tests.api.conftest import assert_problem, bearer, row_counts
from tests.api.staff_helpers import role_key
from tests.conftest import START, event

MEMBERS = "/api/v1/members"
PROFILE: dict[str, Any] = {
    "email": "Anna.Petrova@Example.com",
    "phone": "+7 912 345-67-89",
    "first_name": "Anna",
    "last_name": "Petrova",
    "birthday": "1990-04-01",
    "locale": "ru",
    "timezone": "Europe/Moscow",
}


class TestUpsertMember:
    def test_creates_with_201_then_updates_with_200(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        created = client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        updated = client.put(f"{MEMBERS}/M1", json={"first_name": "Anya"}, headers=admin)
        assert created.status_code == 201, created.text
        assert updated.status_code == 200, updated.text
        assert created.json()["email"] == "anna.petrova@example.com"
        assert updated.json()["first_name"] == "Anya"

    def test_partial_update_changes_only_fields_present(
        self, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:
        before = client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin).json()
        clock.advance(timedelta(hours=1))
        client.put(f"{MEMBERS}/M1", json={"last_name": None, "locale": "en"}, headers=admin)
        after = client.get(f"{MEMBERS}/M1", headers=admin).json()
        changed = {key for key in before if before[key] != after[key]}
        assert changed == {"last_name", "locale", "updated_at"}
        assert (after["last_name"], after["locale"]) == (None, "en")

    def test_rejects_invalid_profile_with_pointer_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.put(
            f"{MEMBERS}/M1",
            json={"email": "not-an-address", "timezone": "Mars/Base"},
            headers=admin,
        )
        assert_problem(response, 422, "request_invalid", "/email", "/timezone")
        assert row_counts(app) == before

    def test_rejects_member_id_longer_than_128_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.put(f"{MEMBERS}/{'x' * 129}", json={}, headers=admin)
        assert_problem(response, 422, "request_invalid", "#path/member_id")
        assert row_counts(app) == before

    def test_answers_404_for_unknown_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        assert_problem(client.get(f"{MEMBERS}/nobody", headers=admin), 404, "member_not_found")


class TestFindMembers:
    def test_finds_member_by_email_whatever_its_case(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        client.put(f"{MEMBERS}/M2", json={"email": "someone@example.com"}, headers=admin)
        found = client.get(MEMBERS, params={"email": "  ANNA.petrova@example.COM"}, headers=admin)
        assert found.status_code == 200
        assert [m["id"] for m in found.json()] == ["M1"]

    def test_finds_member_enrolled_by_event_by_its_address_in_lower_case(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrolments = [
            event("e1", "member.enrolled", "M1", START, email="Anna.Petrova@Example.COM"),
            event("e2", "member.enrolled", "M2", START, email="Борис@Пример.РФ"),
            event("e3", "member.enrolled", "M3", START, email="Vera <vera@xn--e1afmkfd.xn--p1ai>"),
        ]
        assert client.post("/api/v1/events", json=enrolments, headers=admin).status_code == 202

        found = {
            email: [
                m["id"] for m in client.get(MEMBERS, params={"email": email}, headers=admin).json()
            ]
            for email in ("anna.petrova@example.com", "борис@пример.рф", "vera@пример.рф")
        }

        assert found == {
            "anna.petrova@example.com": ["M1"],
            "борис@пример.рф": ["M2"],
            "vera@пример.рф": ["M3"],
        }

    def test_finds_member_by_phone_in_another_format(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        found = client.get(MEMBERS, params={"phone": "+7 (912) 345 67 89"}, headers=admin)
        assert [m["id"] for m in found.json()] == ["M1"]

    def test_finds_nobody_for_unknown_email(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        found = client.get(MEMBERS, params={"email": "anna@example.com"}, headers=admin)
        assert found.json() == []

    def test_rejects_lookup_with_both_or_neither_key(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        both = client.get(MEMBERS, params={"email": "a@b.co", "phone": "+1555"}, headers=admin)
        assert_problem(both, 422, "lookup_invalid", "#query/email")
        assert_problem(client.get(MEMBERS, headers=admin), 422, "lookup_invalid")

    def test_finds_member_by_its_id_exactly(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        client.put(f"{MEMBERS}/M10", json={}, headers=admin)
        found = client.get(MEMBERS, params={"member_id": "M1"}, headers=admin)
        assert found.status_code == 200, found.text
        assert [m["id"] for m in found.json()] == ["M1"]
        assert client.get(MEMBERS, params={"member_id": "m1"}, headers=admin).json() == []

    def test_finds_nothing_by_part_of_an_email_phone_or_id(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M12345", json=PROFILE, headers=admin)
        parts = [
            {"email": "anna.petrova@example.co"},
            {"email": "petrova@example.com"},
            {"phone": "+7 912 345-67"},
            {"member_id": "M123"},
        ]
        for params in parts:
            answer = client.get(MEMBERS, params=params, headers=admin)
            assert answer.status_code == 200, (params, answer.text)
            assert answer.json() == [], params

    def test_refuses_malformed_email_or_phone_with_its_pointer(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        email = client.get(MEMBERS, params={"email": "anna@"}, headers=admin)
        partial = client.get(MEMBERS, params={"email": "%anna%"}, headers=admin)
        phone = client.get(MEMBERS, params={"phone": "12-3"}, headers=admin)
        long_id = client.get(MEMBERS, params={"member_id": "x" * 129}, headers=admin)
        assert_problem(email, 422, "lookup_invalid", "#query/email")
        assert_problem(partial, 422, "lookup_invalid", "#query/email")
        assert_problem(phone, 422, "lookup_invalid", "#query/phone")
        assert_problem(long_id, 422, "lookup_invalid", "#query/member_id")
        assert row_counts(app) == before

    def test_masks_what_it_finds_like_the_member_route(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json=PROFILE, headers=admin)
        support = bearer(role_key(app, "support"))
        found = client.get(MEMBERS, params={"email": PROFILE["email"]}, headers=support).json()
        one = client.get(f"{MEMBERS}/M1", headers=support).json()
        assert found == [one]
        assert one["masked"] == ["email", "phone", "last_name", "birthday"]


class TestTimeline:
    def _send_three(self, client: TestClient, admin: dict[str, str]) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        batch = [
            event("e-mid", "x.page_viewed", "M1", START + timedelta(hours=2), page="/b"),
            event("e-old", "x.page_viewed", "M1", START + timedelta(hours=1), page="/a"),
            event("e-new", "x.page_viewed", "M1", START + timedelta(hours=3), page="/c"),
        ]
        assert client.post("/api/v1/events", json=batch, headers=admin).status_code == 202

    def test_lists_activities_newest_first_and_pages_with_cursor(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        self._send_three(client, admin)
        url = f"{MEMBERS}/M1/timeline"
        first = client.get(url, params={"limit": 2}, headers=admin).json()
        cursor = first["next_before"]
        second = client.get(url, params={"limit": 2, "before": cursor}, headers=admin).json()
        assert [a["id"] for a in first["items"]] == ["e-new", "e-mid"]
        assert [a["id"] for a in second["items"]] == ["e-old"]
        assert second["next_before"] is None
        assert first["items"][0]["data"] == {"page": "/c"}

    def test_cursor_survives_a_query_string_without_encoding(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        self._send_three(client, admin)
        url = f"{MEMBERS}/M1/timeline"
        cursor = client.get(url, params={"limit": 1}, headers=admin).json()["next_before"]
        page = client.get(f"{url}?limit=1&before={cursor}", headers=admin)
        assert [a["id"] for a in page.json()["items"]] == ["e-mid"]

    def test_keeps_sealed_personal_data_out_of_the_timeline(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrolled = event(
            "en-1",
            "member.enrolled",
            "M1",
            START,
            email="anna@example.com",
            first_name="Anna",
            locale="ru",
        )
        client.post("/api/v1/events", json=enrolled, headers=admin)
        (item,) = client.get(f"{MEMBERS}/M1/timeline", headers=admin).json()["items"]
        assert item["data"] == {"locale": "ru", "personal_fields": ["email", "first_name"]}

    def test_rejects_malformed_or_naive_cursor(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put(f"{MEMBERS}/M1", json={}, headers=admin)
        url = f"{MEMBERS}/M1/timeline"
        for cursor in ("garbage", "2026-01-15T12:00:00~5", "2026-01-15T12:00:00Z~x"):
            response = client.get(url, params={"before": cursor}, headers=admin)
            assert_problem(response, 422, "cursor_invalid", "#query/before")
