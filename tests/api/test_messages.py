"""Message routes over HTTP: a member's messages and inbox, suppressions, and the one-click
unsubscribe link (GET shows a page and never unsubscribes; POST unsubscribes)."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.messages import service as messages
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, marketing_draft, pay_order, queue

MEMBERS = "/api/v1/members"
ONE_CLICK = {"Content-Type": "application/x-www-form-urlencoded"}


def _offer_link(app: Loyalist, *, locale: str = "en") -> tuple[int, str]:
    member = enrol(app, "M1", email="anna@example.com", locale=locale, marketing_email=True)
    [offer] = queue(app, marketing_draft(member, "spring"))
    return member, messages.unsubscribe_url("", member, offer)


def _email_consent(client: TestClient, admin: dict[str, str]) -> bool:
    member = client.get(f"{MEMBERS}/M1", headers=admin).json()
    [email] = [c for c in member["consents"] if c["channel"] == "email"]
    granted: bool = email["is_granted"]
    return granted


class TestMessagesAndInbox:
    def test_lists_a_members_messages_with_their_history(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)  # no SMTP host: recorded not_configured

        response = client.get(
            f"{MEMBERS}/M1/messages", headers=bearer(keys.of(Scope.MESSAGES_READ))
        )

        assert response.status_code == 200, response.text
        [message] = response.json()
        assert message["journey"] == "order_confirmation"
        assert message["kind"] == "transactional"
        assert message["status"] == "not_configured"
        assert [h["status"] for h in message["history"]] == ["queued", "not_configured"]
        assert message["history"][1]["reason"] == "no email provider is configured"

    def test_the_inbox_shows_released_messages_and_marks_them_read_once(
        self, app: Loyalist, client: TestClient, keys: Keys, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)
        read_key = bearer(keys.of(Scope.MESSAGES_READ))

        before = client.get(f"{MEMBERS}/M1/inbox", headers=read_key).json()
        [item] = before["items"]
        marked = client.post(
            f"{MEMBERS}/M1/inbox/{item['id']}/read", headers=bearer(keys.of(Scope.MESSAGES_WRITE))
        )
        again = client.post(f"{MEMBERS}/M1/inbox/{item['id']}/read", headers=admin)
        after = client.get(f"{MEMBERS}/M1/inbox", headers=read_key).json()

        assert before["unread_count"] == 1
        assert item["subject"] == "Order A-1 confirmed: 110\u00a0points on the way"
        assert "A-1" in item["text"]
        assert marked.status_code == 200, marked.text
        assert again.json()["read_at"] == marked.json()["read_at"]
        assert after["unread_count"] == 0
        assert after["items"][0]["read_at"] == marked.json()["read_at"]

    def test_reading_needs_the_messages_read_scope(self, client: TestClient, keys: Keys) -> None:
        response = client.get(f"{MEMBERS}/M1/inbox", headers=bearer(keys.of(Scope.MEMBERS_READ)))
        assert_problem(response, 403, "permission_denied")

    def test_unknown_member_and_message_are_404_problems(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        assert_problem(
            client.get(f"{MEMBERS}/nobody/messages", headers=admin), 404, "member_not_found"
        )
        assert_problem(
            client.post(f"{MEMBERS}/M1/inbox/msg_nope/read", headers=admin),
            404,
            "message_not_found",
        )

    def test_a_manual_suppression_is_recorded_and_stops_the_channel(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        added = client.post(f"{MEMBERS}/M1/suppressions", json={"channel": "email"}, headers=admin)
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)

        assert added.status_code == 201, added.text
        [message] = client.get(f"{MEMBERS}/M1/messages", headers=admin).json()
        assert (message["status"], message["reason"]) == ("suppressed", "suppressed: manual")

    def test_an_unsubscribe_suppression_is_refused_with_a_pointer(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        response = client.post(
            f"{MEMBERS}/M1/suppressions",
            json={"channel": "email", "reason": "unsubscribe"},
            headers=admin,
        )
        assert_problem(response, 422, "request_invalid", "/reason")


class TestOneClickUnsubscribe:
    def test_get_shows_a_confirmation_page_and_never_unsubscribes(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _, link = _offer_link(app)

        page = client.get(link)
        page_again = client.get(link)

        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'name="List-Unsubscribe" value="One-Click"' in page.text
        assert page_again.status_code == 200
        assert _email_consent(client, admin) is True

    def test_the_page_speaks_the_members_language(self, app: Loyalist, client: TestClient) -> None:
        _, link = _offer_link(app, locale="ru")
        assert "Отписаться" in client.get(link).text

    def test_post_with_the_one_click_body_withdraws_email_marketing_consent(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _, link = _offer_link(app)

        response = client.post(link, content="List-Unsubscribe=One-Click", headers=ONE_CLICK)
        repeated = client.post(link, content="List-Unsubscribe=One-Click", headers=ONE_CLICK)
        run_jobs(app)

        assert response.status_code == 200, response.text
        assert repeated.status_code == 200
        assert _email_consent(client, admin) is False
        member = client.get(f"{MEMBERS}/M1", headers=admin).json()
        assert [c["source"] for c in member["consents"]] == ["unsubscribe-link"]
        [offer] = client.get(f"{MEMBERS}/M1/messages", headers=admin).json()
        assert (offer["status"], offer["reason"]) == ("suppressed", "unsubscribed")
        assert "You are unsubscribed" in client.get(link).text

    def test_post_without_the_one_click_body_changes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _, link = _offer_link(app)

        response = client.post(link, content="", headers=ONE_CLICK)

        assert_problem(response, 422, "unsubscribe_body_invalid", "/List-Unsubscribe")
        assert _email_consent(client, admin) is True

    def test_a_forged_or_tampered_token_is_a_404_problem(
        self, app: Loyalist, client: TestClient
    ) -> None:
        _, link = _offer_link(app)
        tampered = link[:-2] + ("AA" if not link.endswith("AA") else "BB")

        assert_problem(client.get(tampered), 404, "unsubscribe_link_invalid")
        assert_problem(
            client.post(
                "/unsubscribe/abc.def", content="List-Unsubscribe=One-Click", headers=ONE_CLICK
            ),
            404,
            "unsubscribe_link_invalid",
        )
