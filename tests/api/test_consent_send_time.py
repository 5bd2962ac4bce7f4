"""Marketing never uses a purpose the member has not consented to: a withdrawal through
the API stops queued marketing, and when the program requires it, marketing goes through
a processor only with the member's consent to that transfer. Email leaves for a real SMTP
server on loopback (aiosmtpd), which shows what was received."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import MessagePolicy, MessageSettings, ProgramPolicy, Settings, SmtpSettings
from tests.conftest import START, TEST_KEY
from tests.integration.helpers import member_pk, run_jobs
from tests.integration.messaging import (
    BASE_URL,
    SENDER,
    marketing_draft,
    messages_of,
    pay_order,
    queue,
)
from tests.smtp import SmtpSink

MEMBERS = "/api/v1/members"
ANNA = "anna@example.com"


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    """Email to the sink through an SMTP host run by the processor ``unisender``."""
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        smtp=SmtpSettings(
            host="127.0.0.1", port=sink.port, timeout_seconds=5, processor="unisender"
        ),
        messages=MessageSettings(sender=SENDER, base_url=BASE_URL),
    )
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def enrol(client: TestClient, admin: dict[str, str], **consents: bool) -> None:
    body = {"email": ANNA, "consents": consents}
    assert client.put(f"{MEMBERS}/M1", json=body, headers=admin).status_code == 201


def offer(app: Loyalist, key: str) -> str:
    [message_id] = queue(app, marketing_draft(member_pk(app, "M1"), key))
    return message_id


def outcome(app: Loyalist, message_id: str) -> tuple[str, str | None]:
    [found] = [m for m in messages_of(app, "M1") if m.id == message_id]
    return found.status, found.reason


class TestWithdrawal:
    def test_a_withdrawal_through_the_api_stops_marketing_already_queued(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        enrol(client, admin, email=True)
        sent = offer(app, "spring")
        run_jobs(app)
        assert [m["To"] for m in sink.received] == [ANNA]
        waiting = offer(app, "summer")

        withdrawn = client.put(
            f"{MEMBERS}/M1/consents/email",
            json={"is_granted": False, "source": "support-call"},
            headers=admin,
        )
        run_jobs(app)

        assert withdrawn.json()["is_granted"] is False
        assert outcome(app, sent) == ("sent", None)
        assert outcome(app, waiting) == ("suppressed", "no marketing consent for the channel")
        assert len(sink.received) == 1

    def test_the_processor_is_not_asked_about_when_the_program_does_not_require_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        enrol(client, admin, email=True)
        message_id = offer(app, "spring")
        run_jobs(app)
        assert outcome(app, message_id) == ("sent", None)
        assert [m["To"] for m in sink.received] == [ANNA]


class TestTransferConsentRequired:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(messages=MessagePolicy(require_transfer_consent=True))

    def test_marketing_goes_through_the_processor_only_with_consent_to_the_transfer(
        self,
        client: TestClient,
        app: Loyalist,
        admin: dict[str, str],
        sink: SmtpSink,
        clock: ManualClock,
    ) -> None:
        enrol(client, admin, email=True)
        purpose = {"processor": "unisender", "title": "UniSender, email service"}
        assert client.post("/api/v1/consent-purposes", json=purpose, headers=admin).is_success
        refused = offer(app, "spring")
        run_jobs(app)
        assert outcome(app, refused) == (
            "suppressed",
            "no consent to transfer to the processor unisender",
        )
        assert sink.received == []

        granted = client.put(
            f"{MEMBERS}/M1/consents/transfer.unisender", json={"is_granted": True}, headers=admin
        )
        clock.advance(timedelta(days=1))
        allowed = offer(app, "summer")
        run_jobs(app)

        assert granted.json()["kind"] == "transfer"
        assert outcome(app, allowed) == ("sent", None)
        assert [m["To"] for m in sink.received] == [ANNA]

    def test_a_withdrawn_transfer_consent_stops_marketing_already_queued(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        enrol(client, admin, email=True)
        client.post(
            "/api/v1/consent-purposes", json={"processor": "unisender", "title": "x"}, headers=admin
        )
        url = f"{MEMBERS}/M1/consents/transfer.unisender"
        client.put(url, json={"is_granted": True}, headers=admin)
        waiting = offer(app, "spring")
        client.put(url, json={"is_granted": False, "source": "portal"}, headers=admin)
        run_jobs(app)
        assert outcome(app, waiting)[0] == "suppressed"
        assert sink.received == []

    def test_transactional_email_does_not_ask_for_the_transfer_consent(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        enrol(client, admin, email=True)
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)
        [confirmation] = [m for m in messages_of(app, "M1") if m.journey == "order_confirmation"]
        assert confirmation.status == "sent"
        assert [m["To"] for m in sink.received] == [ANNA]
