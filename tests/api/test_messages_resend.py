"""Resending a message over HTTP, against a real SMTP server on loopback: a message the
server refused is resent once it accepts, with the same Message-ID, exactly once more; a
suppressed one, a sent one and an unknown one are refused as problems."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, messages_of, pay_order
from tests.smtp import SmtpSink

MEMBERS = "/api/v1/members"


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


def _refused_confirmation(app: Loyalist, sink: SmtpSink) -> str:
    """A paid order's confirmation, refused by the server with a 550: ``failed``."""
    enrol(app, "M1", email="anna@example.com")
    sink.refused.add("anna@example.com")
    pay_order(app, "M1", "A-1", START)
    run_jobs(app)
    [failed] = messages_of(app, "M1")
    assert failed.status == "failed", failed
    return failed.id


class TestResend:
    def test_a_refused_message_is_resent_once_with_the_same_message_id(
        self, app: Loyalist, client: TestClient, keys: Keys, sink: SmtpSink
    ) -> None:
        message_id = _refused_confirmation(app, sink)
        sink.refused.clear()
        writer = keys.of(Scope.MESSAGES_WRITE)

        response = client.post(
            f"{MEMBERS}/M1/messages/{message_id}/resend",
            json={"reason": "mailbox restored"},
            headers=bearer(writer),
        )
        run_jobs(app)
        run_jobs(app)

        assert response.status_code == 200, response.text
        resent = response.json()
        assert (resent["id"], resent["status"]) == (message_id, "queued")
        assert resent["history"][-1]["reason"].endswith(": mailbox restored")
        assert resent["history"][-1]["reason"].startswith("resent by api key ")
        assert len(sink.received) == 1
        assert sink.received[0]["Message-ID"] == f"<{message_id}@shop.example>"
        [sent] = messages_of(app, "M1")
        assert sent.status == "sent"
        assert [h.status for h in sent.history] == ["queued", "failed", "queued", "sent"]
        assert sent.attempts == 2
        assert_problem(
            client.post(f"{MEMBERS}/M1/messages/{message_id}/resend", headers=bearer(writer)),
            409,
            "message_not_resendable",
        )

    def test_the_send_time_check_applies_again_and_a_suppressed_message_is_refused(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        message_id = _refused_confirmation(app, sink)
        sink.refused.clear()
        client.post(f"{MEMBERS}/M1/suppressions", json={"channel": "email"}, headers=admin)

        resent = client.post(f"{MEMBERS}/M1/messages/{message_id}/resend", headers=admin)
        run_jobs(app)
        again = client.post(f"{MEMBERS}/M1/messages/{message_id}/resend", headers=admin)

        assert resent.status_code == 200, resent.text
        [suppressed] = messages_of(app, "M1")
        assert (suppressed.status, suppressed.reason) == ("suppressed", "suppressed: manual")
        assert sink.received == []
        assert_problem(again, 409, "message_not_resendable")

    def test_unknown_messages_and_members_are_404_and_reading_keys_403(
        self, app: Loyalist, client: TestClient, keys: Keys, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        assert_problem(
            client.post(f"{MEMBERS}/M1/messages/msg_nope/resend", headers=admin),
            404,
            "message_not_found",
        )
        assert_problem(
            client.post(f"{MEMBERS}/nobody/messages/msg_nope/resend", headers=admin),
            404,
            "member_not_found",
        )
        reader = bearer(keys.of(Scope.MESSAGES_READ))
        assert_problem(
            client.post(f"{MEMBERS}/M1/messages/msg_nope/resend", headers=reader),
            403,
            "permission_denied",
        )


def test_the_openapi_document_shows_the_resend_example_and_its_problems(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    route = spec["paths"]["/api/v1/members/{member_id}/messages/{message_id}/resend"]["post"]
    examples = route["requestBody"]["content"]["application/json"]["examples"]
    assert examples["after_outage"]["value"] == {"reason": "SMTP relay fixed (ticket 4711)"}
    assert {"404", "409"} <= set(route["responses"])
