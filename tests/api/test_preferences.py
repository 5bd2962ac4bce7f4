"""The preference centre (the member's page and the API), the send-time check of topics,
ESP bounce/complaint/delivery webhooks (Amazon SES through SNS, Postmark), Twilio's STOP
replies, and SMS sent by the worker through the configured provider."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import orjson
import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.schemas import MemberProfile
from loyalist.messages import service as messages
from loyalist.messages.channels.sms import twilio_signature
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import Message, MessageChannel, MessageKind
from loyalist.messages.samples import sample_context
from loyalist.settings import (
    InboundSettings,
    MessageSettings,
    ProgramPolicy,
    Settings,
    SmsProvider,
    SmsSettings,
)
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import TEST_KEY
from tests.integration.helpers import run_jobs
from tests.integration.messages.sink import Reply, Sink
from tests.integration.messaging import BASE_URL, marketing_draft, messages_of, queue

MEMBERS = "/api/v1/members"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TWILIO_TOKEN = "twilio-auth-token"
SES_PASSWORD = "ses-secret"
POSTMARK_PASSWORD = "postmark-secret"
ANNA = "anna@example.com"
PHONE = "+14155550100"


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, http_sink: Sink
) -> Iterator[Loyalist]:
    """No SMTP host (email is not_configured); SMS through Twilio's API at the sink."""
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        messages=MessageSettings(base_url=BASE_URL),
        sms=SmsSettings(
            provider=SmsProvider.TWILIO,
            account_sid="AC00000000000000000000000000000000",
            auth_token=TWILIO_TOKEN,
            from_number="+15005550006",
            url=http_sink.url(""),
            timeout_seconds=5,
        ),
        inbound=InboundSettings(ses_password=SES_PASSWORD, postmark_password=POSTMARK_PASSWORD),
    )
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def _enrol(app: Loyalist, external_id: str = "M1", *, locale: str = "en") -> int:
    profile = MemberProfile(
        email=ANNA,
        phone=PHONE,
        locale=locale,
        consents={"email": True, "sms": True},
    )

    def op(uow: UnitOfWork) -> int:
        member, _ = members.upsert_member(uow, external_id, profile, source="shop")
        return member.id

    return app.db.write(op)


def _page_link(member_id: int) -> str:
    return messages.preferences_url("", member_id)


def _offer(
    member_id: int, key: str, journey: str, kind: MessageKind = MessageKind.MARKETING
) -> Any:
    draft = marketing_draft(member_id, key)
    return messages.MessageDraft(
        **{
            **{f: getattr(draft, f) for f in draft.__dataclass_fields__},
            "journey": journey,
            "kind": kind,
        }
    )


class TestPreferenceCentrePage:
    def test_get_shows_channels_and_topics_in_the_members_language_and_changes_nothing(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        member = _enrol(app, locale="ru")
        page = client.get(_page_link(member))
        assert page.status_code == 200, page.text
        assert 'lang="ru"' in page.text
        assert "Настройки рассылок" in page.text
        assert "Ежемесячная выписка по баллам" in page.text
        assert 'name="channel" value="email" checked' in page.text
        assert 'name="topic" value="offers" checked' in page.text
        assert 'name="topic" value="statement">' in page.text  # opt-in: off
        assert page.headers["cache-control"] == "no-store"
        shown = client.get(
            f"{MEMBERS}/M1/preferences", headers=bearer(keys.of(Scope.MESSAGES_READ))
        )
        assert [c["source"] for c in shown.json()["history"]] == ["shop", "shop"]

    def test_post_saves_the_form_with_source_and_time_and_stops_that_marketing(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        member = _enrol(app)
        queue(
            app,
            _offer(member, "w1", "win_back"),
            _offer(member, "b1", "birthday"),
            _offer(member, "s1", "points.statement", MessageKind.TRANSACTIONAL),
        )
        form = urlencode(
            [("save", "1"), ("channel", "email"), ("topic", "birthday"), ("topic", "points")]
        )

        saved = client.post(_page_link(member), content=form, headers=FORM)
        run_jobs(app)

        assert saved.status_code == 200, saved.text
        assert "Your preferences are saved." in saved.text
        body = client.get(
            f"{MEMBERS}/M1/preferences", headers=bearer(keys.of(Scope.MESSAGES_READ))
        ).json()
        channels = {c["channel"]: (c["is_granted"], c["source"]) for c in body["channels"]}
        topics = {t["topic"]: (t["is_subscribed"], t["source"]) for t in body["topics"]}
        assert channels == {
            "email": (True, "shop"),
            "sms": (False, "preference-centre"),
            "push": (False, None),
        }
        assert topics["offers"] == (False, "preference-centre")
        assert topics["birthday"] == (True, None)  # unchanged default: not recorded
        assert topics["statement"] == (False, None)
        changes = [(h["channel"], h["topic"], h["value"], h["source"]) for h in body["history"]]
        assert ("sms", None, False, "preference-centre") in changes
        assert (None, "offers", False, "preference-centre") in changes
        assert len(changes) == 2 + 4  # two from the shop; sms, offers, tips, reviews now
        outcome = {m.journey: (m.status, m.reason) for m in messages_of(app, "M1")}
        assert outcome["win_back"] == ("suppressed", "the member switched off the topic offers")
        assert outcome["birthday"][0] == "not_configured"  # wanted; no SMTP host here
        assert outcome["points.statement"] == (
            "suppressed",
            "not subscribed to the topic statement",
        )

    def test_a_post_without_the_forms_marker_changes_nothing(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        response = client.post(_page_link(member), content="", headers=FORM)
        assert_problem(response, 422, "preferences_form_invalid", "/save")
        unknown = client.post(_page_link(member), content="save=1&topic=lottery", headers=FORM)
        assert_problem(unknown, 422, "preferences_form_invalid", "/topic")

    def test_a_forged_token_or_an_unsubscribe_token_is_a_404_problem(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        [offer] = queue(app, marketing_draft(member, "x"))
        assert_problem(client.get("/preferences/abc.def"), 404, "preferences_link_invalid")
        other = messages.unsubscribe_token(member, offer)
        assert_problem(client.get(f"/preferences/{other}"), 404, "preferences_link_invalid")


class TestPreferencesApi:
    def test_put_changes_only_what_it_names_and_records_the_source(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        _enrol(app)
        response = client.put(
            f"{MEMBERS}/M1/preferences",
            json={"topics": {"statement": True, "offers": False}, "source": "crm"},
            headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
        )
        assert response.status_code == 200, response.text
        topics = {t["topic"]: (t["is_subscribed"], t["source"]) for t in response.json()["topics"]}
        assert topics["statement"] == (True, "crm")
        assert topics["offers"] == (False, "crm")
        assert topics["tips"] == (True, None)
        assert {c["channel"]: c["is_granted"] for c in response.json()["channels"]}["email"]

    def test_an_unknown_topic_is_a_422_with_its_pointer_and_scopes_hold(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        _enrol(app)
        bad = client.put(
            f"{MEMBERS}/M1/preferences",
            json={"topics": {"lottery": True}},
            headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
        )
        assert bad.status_code == 422, bad.text
        assert "/topics/lottery" in bad.text
        refused = client.get(
            f"{MEMBERS}/M1/preferences", headers=bearer(keys.of(Scope.MEMBERS_READ))
        )
        assert_problem(refused, 403, "permission_denied")
        missing = client.get(f"{MEMBERS}/nobody/preferences", headers=bearer(keys.admin))
        assert_problem(missing, 404, "member_not_found")


# -- Amazon SES through SNS and Postmark ---------------------------------------------------
def _basic(password: str, user: str = "loyalist") -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _ses_mail(message_id: str, to: str) -> dict[str, Any]:
    """The ``mail`` object of the SES documentation's examples, with our address and the
    Message-ID our email carried."""
    header = f"<{message_id}@shop.example>"
    return {
        "timestamp": "2016-01-27T14:59:38.237Z",
        "source": "john@example.com",
        "sourceArn": "arn:aws:ses:us-east-1:888888888888:identity/example.com",
        "sourceIp": "127.0.3.0",
        "sendingAccountId": "123456789012",
        "callerIdentity": "IAM_user_or_role_name",
        "messageId": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
        "destination": [to],
        "headersTruncated": False,
        "headers": [
            {"name": "From", "value": '"John Doe" <john@example.com>'},
            {"name": "To", "value": f'"Jane Doe" <{to}>'},
            {"name": "Message-ID", "value": header},
            {"name": "Subject", "value": "Hello"},
            {"name": "Content-Type", "value": 'text/plain; charset="UTF-8"'},
            {"name": "Content-Transfer-Encoding", "value": "base64"},
            {"name": "Date", "value": "Wed, 27 Jan 2016 14:05:45 +0000"},
        ],
        "commonHeaders": {
            "from": ["John Doe <john@example.com>"],
            "date": "Wed, 27 Jan 2016 14:05:45 +0000",
            "to": [f"Jane Doe <{to}>"],
            "messageId": header,
            "subject": "Hello",
        },
    }


def _ses_bounce(message_id: str, to: str, bounce_type: str = "Permanent") -> dict[str, Any]:
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": bounce_type,
            "reportingMTA": "dns; email.example.com",
            "bouncedRecipients": [
                {
                    "emailAddress": to,
                    "status": "5.1.1",
                    "action": "failed",
                    "diagnosticCode": f"smtp; 550 5.1.1 <{to}>... User",
                }
            ],
            "bounceSubType": "General",
            "timestamp": "2016-01-27T14:59:38.237Z",
            "feedbackId": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
            "remoteMtaIp": "127.0.2.0",
        },
        "mail": _ses_mail(message_id, to),
    }


def _ses_complaint(message_id: str, to: str) -> dict[str, Any]:
    return {
        "notificationType": "Complaint",
        "complaint": {
            "userAgent": "AnyCompany Feedback Loop (V0.01)",
            "complainedRecipients": [{"emailAddress": to}],
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2016-01-27T14:59:38.237Z",
            "timestamp": "2016-01-27T14:59:38.237Z",
            "feedbackId": "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000",
        },
        "mail": _ses_mail(message_id, to),
    }


def _ses_delivery(message_id: str, to: str) -> dict[str, Any]:
    return {
        "notificationType": "Delivery",
        "mail": _ses_mail(message_id, to),
        "delivery": {
            "timestamp": "2016-01-27T14:59:38.237Z",
            "recipients": [to],
            "processingTimeMillis": 546,
            "reportingMTA": "a8-70.smtp-out.amazonses.com",
            "smtpResponse": "250 ok:  Message 64111812 accepted",
            "remoteMtaIp": "127.0.2.0",
        },
    }


def _sns(notification: dict[str, Any]) -> bytes:
    """The SNS HTTP(S) notification envelope of the SNS documentation."""
    return orjson.dumps(
        {
            "Type": "Notification",
            "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
            "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
            "Message": orjson.dumps(notification).decode(),
            "Timestamp": "2012-05-02T00:54:06.655Z",
            "SignatureVersion": "1",
            "Signature": "EXAMPLEw6JRN...",
            "SigningCertURL": "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
            "UnsubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96",
        }
    )


def _post_ses(client: TestClient, body: bytes, password: str = SES_PASSWORD) -> Any:
    return client.post(
        "/api/v1/providers/ses/events",
        content=body,
        headers={
            "Content-Type": "text/plain; charset=UTF-8",
            "x-amz-sns-message-type": "Notification",
        }
        | _basic(password),
    )


def _suppressions(app: Loyalist, member_id: int) -> set[tuple[str, str, str]]:
    from loyalist.messages import repository

    return app.db.read(
        lambda uow: {
            (str(s.channel), str(s.reason), s.source)
            for s in repository.suppressions(uow.session, [member_id])
        }
    )


def _sent_email(
    app: Loyalist, member: int, key: str = "o1", journey: str = "order_confirmation"
) -> str:
    """An email marked sent (as the worker would after the SMTP reply)."""
    draft = _offer(member, key, journey, MessageKind.TRANSACTIONAL)
    [message_id] = queue(app, draft)

    def op(uow: UnitOfWork) -> None:
        from loyalist.messages import repository
        from loyalist.messages.models import MessageStatus

        [row] = repository.lock_messages(uow.session, [(member, message_id)])
        repository.record_change(uow.session, row, MessageStatus.SENT, None, uow.now)

    app.db.write(op)
    return message_id


class TestSesEvents:
    def test_a_permanent_bounce_suppresses_email_to_that_address_only(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        response = _post_ses(client, _sns(_ses_bounce("msg_0", ANNA)))
        assert response.status_code == 200, response.text
        assert response.json() == {"suppressed": 1, "delivered": 0, "ignored": 0, "engaged": 0}
        assert _suppressions(app, member) == {("email", "hard_bounce", "ses")}
        [offer] = queue(app, _offer(member, "t1", "order_confirmation", MessageKind.TRANSACTIONAL))
        run_jobs(app)
        [found] = [m for m in messages_of(app, "M1") if m.id == offer]
        assert (found.status, found.reason) == ("suppressed", "suppressed: hard_bounce")

    def test_a_transient_bounce_changes_nothing_and_a_complaint_suppresses(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        soft = _post_ses(client, _sns(_ses_bounce("msg_0", ANNA, "Transient")))
        assert soft.json() == {"suppressed": 0, "delivered": 0, "ignored": 1, "engaged": 0}
        assert _suppressions(app, member) == set()
        _post_ses(client, _sns(_ses_complaint("msg_0", ANNA)))
        assert _suppressions(app, member) == {("email", "complaint", "ses")}

    def test_a_delivery_marks_our_sent_message_delivered_with_a_history_row(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        message_id = _sent_email(app, member)
        response = _post_ses(client, _sns(_ses_delivery(message_id, ANNA)))
        again = _post_ses(client, _sns(_ses_delivery(message_id, ANNA)))
        assert response.json()["delivered"] == 1
        assert again.json() == {"suppressed": 0, "delivered": 0, "ignored": 1, "engaged": 0}
        [message] = messages_of(app, "M1")
        assert message.status == "delivered"
        assert [h.status for h in message.history] == ["queued", "sent", "delivered"]
        assert message.history[-1].reason == "SES 250 ok:  Message 64111812 accepted"

    def test_opens_and_clicks_of_a_campaigns_email_are_recorded_once_and_read_per_member(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        member = _enrol(app)
        main = _sent_email(app, member, "spring:main", "campaign")
        other = _sent_email(app, member, "winter:main", "campaign")
        opened = {"ipAddress": "192.0.2.1", "timestamp": "2017-08-09T22:00:19.652Z"}
        open_ = {"eventType": "Open", "mail": _ses_mail(main, ANNA), "open": opened}
        click = {
            "eventType": "Click",
            "mail": _ses_mail(main, ANNA),
            "click": {**opened, "link": "https://shop.example/sale", "linkTags": {}},
        }

        first = _post_ses(client, _sns(open_))
        clock.advance(timedelta(minutes=5))
        clicked = _post_ses(client, _sns(click))
        again = _post_ses(client, _sns(click))
        unknown = _post_ses(client, _sns(open_ | {"mail": _ses_mail("msg_0abc", ANNA)}))

        assert first.json() == {"suppressed": 0, "delivered": 0, "ignored": 0, "engaged": 1}
        assert clicked.json()["engaged"] == 1
        assert again.json() == {"suppressed": 0, "delivered": 0, "ignored": 1, "engaged": 0}
        assert unknown.json()["ignored"] == 1

        def read(prefix: str) -> dict[int, tuple[bool, bool]]:
            return app.db.read(lambda uow: messages.engagement(uow, "campaign", prefix))

        assert read("spring:") == {member: (True, True)}
        assert read("winter:") == {}
        assert read("sp") == {member: (True, True)}
        assert read("spring_") == {}  # a prefix, not a pattern

        def times(uow: UnitOfWork) -> tuple[datetime | None, datetime | None]:
            stored = uow.session.get(Message, (member, main))
            assert stored is not None
            return stored.opened_at, stored.clicked_at

        opened_at, clicked_at = app.db.read(times)
        assert opened_at is not None
        assert clicked_at is not None
        assert clicked_at - opened_at == timedelta(minutes=5)
        assert other  # never opened

    def test_a_delivery_whose_smtp_response_holds_nul_is_recorded_without_it(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        message_id = _sent_email(app, member)
        delivery = _ses_delivery(message_id, ANNA)
        delivery["delivery"]["smtpResponse"] = "250 ok\x00 queued"

        response = _post_ses(client, _sns(delivery))

        assert response.status_code == 200, response.text  # PostgreSQL stores no U+0000
        assert response.json()["delivered"] == 1
        [message] = messages_of(app, "M1")
        assert message.history[-1].reason == "SES 250 ok queued"

    def test_raw_delivery_and_a_subscription_confirmation_are_read(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        raw = _post_ses(client, orjson.dumps(_ses_complaint("msg_0", ANNA)))
        assert raw.json()["suppressed"] == 1
        confirm = orjson.dumps(
            {
                "Type": "SubscriptionConfirmation",
                "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                "Token": "2336412f37",
                "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
                "Message": "You have chosen to subscribe to the topic …",
                "SubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37",
                "Timestamp": "2012-04-26T20:45:04.751Z",
            }
        )
        assert _post_ses(client, confirm).status_code == 200
        assert _suppressions(app, member) == {("email", "complaint", "ses")}

    def test_wrong_credentials_and_bad_bodies_are_problems_that_change_nothing(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        wrong = _post_ses(client, _sns(_ses_bounce("msg_0", ANNA)), password="guess")
        assert_problem(wrong, 401, "provider_events_unauthorized")
        bare = client.post("/api/v1/providers/ses/events", content=_sns(_ses_bounce("m", ANNA)))
        assert_problem(bare, 401, "provider_events_unauthorized")
        assert_problem(_post_ses(client, b"not json"), 422, "provider_events_invalid")
        for path in ("/api/v1/providers/ses/events", "/api/v1/providers/postmark/events"):
            # Latin-1 bytes in the header (the ASGI server hands them over as they came).
            latin = {"Authorization": "Basic \xe9t\xe9".encode("latin-1")}
            response = client.post(path, content=_sns(_ses_bounce("m", ANNA)), headers=latin)
            assert_problem(response, 401, "provider_events_unauthorized")
        assert _suppressions(app, member) == set()


class TestPostmarkEvents:
    @staticmethod
    def _post(client: TestClient, record: dict[str, Any]) -> Any:
        return client.post(
            "/api/v1/providers/postmark/events", json=record, headers=_basic(POSTMARK_PASSWORD)
        )

    def test_a_hard_bounce_and_a_spam_complaint_suppress_a_soft_bounce_does_not(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        bounce = {  # Postmark's bounce webhook example, our address
            "RecordType": "Bounce",
            "MessageStream": "outbound",
            "ID": 4323372036854775807,
            "Type": "HardBounce",
            "TypeCode": 1,
            "Name": "Hard bounce",
            "Tag": "Test",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Metadata": {"a_key": "a_value", "b_key": "b_value"},
            "ServerID": 23,
            "Description": "The server was unable to deliver your message (ex: unknown user, "
            "mailbox not found).",
            "Details": "Test bounce details",
            "Email": ANNA,
            "From": "sender@example.com",
            "BouncedAt": "2019-11-05T16:33:54.9070259Z",
            "DumpAvailable": True,
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Test subject",
            "Content": "<Full dump of bounce>",
        }
        soft = self._post(client, bounce | {"Type": "SoftBounce", "TypeCode": 4096})
        assert soft.json()["ignored"] == 1
        assert _suppressions(app, member) == set()
        assert self._post(client, bounce).json()["suppressed"] == 1
        complaint = bounce | {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "TypeCode": 512,
            "Name": "Spam complaint",
        }
        assert self._post(client, complaint).json()["suppressed"] == 1
        assert _suppressions(app, member) == {
            ("email", "hard_bounce", "postmark"),
            ("email", "complaint", "postmark"),
        }

    def test_a_delivery_names_our_message_through_its_metadata(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        message_id = _sent_email(app, member)
        delivery = {  # Postmark's delivery webhook example, our address and metadata
            "RecordType": "Delivery",
            "ServerID": 23,
            "MessageStream": "outbound",
            "MessageID": "00000000-0000-0000-0000-000000000000",
            "Recipient": ANNA,
            "Tag": "welcome-email",
            "DeliveredAt": "2019-11-05T16:33:54.9070259Z",
            "Details": "Test delivery webhook details",
            "Metadata": {"loyalist-message": message_id},
        }
        assert self._post(client, delivery).json()["delivered"] == 1
        [message] = messages_of(app, "M1")
        assert message.status == "delivered"

    def test_an_open_and_a_click_name_our_message_through_its_metadata(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        message_id = _sent_email(app, member, "spring:main", "campaign")
        common = {  # Postmark's open and click webhook examples, our address and metadata
            "MessageStream": "outbound",
            "Metadata": {"loyalist-message": message_id},
            "Recipient": ANNA,
            "MessageID": "00000000-0000-0000-0000-000000000000",
            "ReceivedAt": "2019-11-05T16:33:54.9070259Z",
            "Tag": "welcome-email",
            "UserAgent": "Mozilla/5.0",
        }
        click = common | {
            "RecordType": "Click",
            "ClickLocation": "HTML",
            "OriginalLink": "https://shop.example/sale",
            "Platform": "Desktop",
        }
        opened = common | {"RecordType": "Open", "FirstOpen": True, "ReadSeconds": 5}

        assert self._post(client, click).json()["engaged"] == 1  # a click is an open too
        assert self._post(client, opened).json()["ignored"] == 1
        found = app.db.read(lambda uow: messages.engagement(uow, "campaign", "spring:main"))
        assert found == {member: (True, True)}

    def test_a_message_id_that_is_not_ours_is_ignored_not_looked_up(
        self, app: Loyalist, client: TestClient
    ) -> None:
        """A NUL in the id handed back (Postmark's metadata, SES's Message-ID) reached the
        lookup, which PostgreSQL refuses."""
        member = _enrol(app)
        message_id = _sent_email(app, member)
        delivery = {"RecordType": "Delivery", "Recipient": ANNA}
        for forged in (message_id + "\x00", "msg_\x00"):
            response = self._post(client, delivery | {"Metadata": {"loyalist-message": forged}})
            assert response.status_code == 200, response.text
            assert response.json() == {"suppressed": 0, "delivered": 0, "ignored": 1, "engaged": 0}
            ses = _ses_delivery(message_id, ANNA)
            ses["mail"]["commonHeaders"]["messageId"] = f"<{forged}@shop.example>"
            response = _post_ses(client, _sns(ses))
            assert response.status_code == 200, response.text
            assert response.json() == {"suppressed": 0, "delivered": 0, "ignored": 1, "engaged": 0}
        [message] = messages_of(app, "M1")
        assert message.status == "sent"

    def test_an_unconfigured_provider_is_a_404_problem(
        self, db_url: str, clock: ManualClock, program: ProgramPolicy
    ) -> None:
        settings = Settings(database_url=db_url, program=program)
        bare = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
        try:
            from loyalist.api.app import create_app

            with TestClient(create_app(bare, embedded_worker=False)) as plain:
                response = plain.post(
                    "/api/v1/providers/postmark/events", json={}, headers=_basic("")
                )
                assert_problem(response, 404, "provider_events_not_configured")
                stop = plain.post("/api/v1/providers/twilio/sms", content="", headers=FORM)
                assert_problem(stop, 404, "provider_events_not_configured")
        finally:
            bare.close()


# -- SMS: the worker sends through Twilio; STOP replies come back --------------------------
def _sms(member_id: int, key: str, kind: MessageKind = MessageKind.TRANSACTIONAL) -> Any:
    return messages.MessageDraft(
        member_id=member_id,
        kind=kind,
        channel=MessageChannel.SMS,
        journey="shipping",
        natural_key=key,
        template_key=TemplateKey.SHIPPED.value,
        locale="en",
        time_zone="UTC",
        context=_shipped(key),
    )


def _shipped(order: str) -> dict[str, Any]:
    context = sample_context(TemplateKey.SHIPPED, "en")
    context["order"] = {**context["order"], "number": order}
    return context


def _twilio_post(client: TestClient, fields: dict[str, str], token: str = TWILIO_TOKEN) -> Any:
    path = "/api/v1/providers/twilio/sms"
    signature = twilio_signature(token, BASE_URL + path, list(fields.items()))
    return client.post(
        path, content=urlencode(fields), headers=FORM | {"X-Twilio-Signature": signature}
    )


class TestSms:
    def test_the_worker_sends_sms_through_the_configured_provider(
        self, app: Loyalist, http_sink: Sink
    ) -> None:
        member = _enrol(app)
        http_sink.reply(
            Reply(201, {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"})
        )
        [message_id] = queue(app, _sms(member, "A-1"))

        run_jobs(app)

        request = http_sink.last
        assert request.method == "POST"
        assert (
            request.path == "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
        )
        form = parse_qs(request.body.decode())
        assert (form["To"], form["From"]) == (["+14155550100"], ["+15005550006"])
        [body] = form["Body"]  # the template's short part, rendered when sent
        assert "order A-1 has shipped with" in body
        [message] = messages_of(app, "M1")
        assert (message.id, message.status) == (message_id, "sent")

    def test_a_stop_reply_suppresses_sms_only_and_email_still_goes(
        self, app: Loyalist, client: TestClient, http_sink: Sink, keys: Keys
    ) -> None:
        member = _enrol(app)
        reply = {
            "MessageSid": "SM1234567890abcdef1234567890abcdef",
            "AccountSid": "AC00000000000000000000000000000000",
            "From": PHONE,
            "To": "+15005550006",
            "Body": " Stop! ",
            "NumMedia": "0",
        }
        response = _twilio_post(client, reply)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        assert _suppressions(app, member) == {("sms", "sms_stop", "sms-stop")}
        queue(
            app,
            _sms(member, "A-2"),
            _offer(member, "e1", "order_confirmation", MessageKind.TRANSACTIONAL),
        )

        run_jobs(app)

        outcome = {str(m.channel): (m.status, m.reason) for m in messages_of(app, "M1")}
        assert outcome["sms"] == ("suppressed", "suppressed: sms_stop")
        assert outcome["email"] == ("not_configured", "no email provider is configured")
        assert http_sink.received == []
        shown = client.get(f"{MEMBERS}/M1/preferences", headers=bearer(keys.admin)).json()
        consents = {c["channel"]: (c["is_granted"], c["source"]) for c in shown["channels"]}
        assert consents["sms"] == (False, "sms-stop")
        assert consents["email"] == (True, "shop")

    def test_other_replies_and_unsigned_stops_change_nothing(
        self, app: Loyalist, client: TestClient
    ) -> None:
        member = _enrol(app)
        chat = _twilio_post(client, {"From": PHONE, "Body": "stop sending me codes"})
        forged = _twilio_post(client, {"From": PHONE, "Body": "STOP"}, token="guessed")
        assert chat.status_code == 200
        assert_problem(forged, 401, "provider_events_unauthorized")
        assert _suppressions(app, member) == set()


def test_the_unsubscribe_page_links_to_the_members_preference_centre(
    app: Loyalist, client: TestClient
) -> None:
    member = _enrol(app)
    [offer] = queue(app, marketing_draft(member, "spring"))
    page = client.get(messages.unsubscribe_url("", member, offer))
    [link] = re.findall(r'href="([^"]+)"', page.text)
    assert link.startswith(f"{BASE_URL}/preferences/")
    assert messages.preferences_member(link.rpartition("/")[2]) == member
    assert client.get(link.removeprefix(BASE_URL)).status_code == 200
