"""Envelope encryption on a real database: each member's personal data sealed under its own
data key (bound to table, field and member), erasure by destroying the key, values sealed
before member keys existed still read and moved by rotation, and master-key rotation
(``Loyalist.rotate_keys``) keeping every value, every look-up and every link."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from loyalist.activities.models import Activity
from loyalist.activities.sealing import open_personal
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.connectors import service as connectors
from loyalist.connectors.schemas import ConnectorCreate
from loyalist.db.crypto import SEALED_PREFIX, Keyring, active_keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.errors import MasterKeyMissingError
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.schemas import DeviceIn, MemberProfile
from loyalist.messages import service as messages
from loyalist.messages import webhooks
from loyalist.messages.models import Message, WebhookEndpoint, WebhookEvent
from loyalist.messages.schemas import EndpointIn
from loyalist.staff.models import StaffUser
from loyalist.staff.service import staff_email_index
from tests.conftest import START, TEST_KEY, event
from tests.integration.helpers import member_pk, send
from tests.integration.messaging import marketing_draft, opened, queue

NEW_KEY = new_master_key()
BIRTHDAY = date(1990, START.month, START.day)
DEVICE = "fcm-token-Zyx8Qwertyuiop0Asdfghjkl"
IP = "203.0.113.7"
STAFF_EMAIL = "ops@shop.example"


def consent_ips(app: Loyalist, member_id: int) -> tuple[str | None, list[str | None]]:
    """The IP address of the member's email consent and of each change of the trail."""
    read = app.db.read(lambda uow: consents.member_consents(uow, member_id, "M1"))
    [email] = [p for p in read.purposes if p.purpose == "email"]
    return email.ip, [h.ip for h in read.history]


def add_staff_user(app: Loyalist) -> None:
    """A staff user with an email and TOTP secrets (sealed under the master key)."""
    now = START

    def add(uow: UnitOfWork) -> None:
        uow.session.add(
            StaffUser(
                email=STAFF_EMAIL,
                email_index=staff_email_index(STAFF_EMAIL),
                name="Ops",
                roles=["owner"],
                locale="en",
                is_active=True,
                password_hash="x",
                totp_secret="JBSWY3DPEHPK3PXP",
                totp_pending_secret="KRSXG5CTMVRXEZLU",
                totp_failure_count=0,
                created_at=now,
                updated_at=now,
            )
        )

    app.db.write(add)


def staff_secrets(app: Loyalist) -> tuple[str, str | None, str | None] | None:
    """The staff user found by the email's blind index: email and TOTP secrets."""

    def find(uow: UnitOfWork) -> tuple[str, str | None, str | None] | None:
        user = uow.session.scalar(
            select(StaffUser).where(StaffUser.email_index == staff_email_index(STAFF_EMAIL))
        )
        return None if user is None else (user.email, user.totp_secret, user.totp_pending_secret)

    return app.db.read(find)


def enrolment(member: str, n: int) -> dict[str, Any]:
    return event(
        f"enrol-{member}",
        "member.enrolled",
        member,
        START,
        email=f"member{n}@example.org",
        phone=f"+7 912 345-67-{n:02d}",
        first_name=f"Name{n}",
        last_name="Quartermaine",
        birthday=BIRTHDAY.isoformat(),
    )


def survey(member: str, comment: str) -> dict[str, Any]:
    return event(
        f"nps-{member}", "survey.answered", member, START, survey_id="nps", score=9, comment=comment
    )


def seed(app: Loyalist, count: int = 3) -> list[int]:
    """``count`` members with a full profile, a device, a survey comment and a queued
    message; returns their ids."""
    send(app, *(enrolment(f"M{n}", n) for n in range(1, count + 1)))
    send(app, *(survey(f"M{n}", f"call me on +44 20 7946 03{n:02d}") for n in range(1, count + 1)))
    ids = [member_pk(app, f"M{n}") for n in range(1, count + 1)]
    app.db.write(
        lambda uow: members.register_device(uow, ids[0], DeviceIn(token=DEVICE, platform="fcm"))
    )
    queue(app, *(marketing_draft(member_id, f"offer-{member_id}") for member_id in ids))
    return ids


def rebooted(app: Loyalist, *keys: str) -> Loyalist:
    """The same database opened by a process with other keys (the first one active)."""
    assert isinstance(app.clock, ManualClock)
    return bootstrap(app.settings, clock=app.clock, keyring=Keyring.from_secrets(*keys))


def profile_of(app: Loyalist, member: str) -> members.Profile:
    return app.db.read(lambda uow: members.profile(uow, members.get_member(uow, member)))


def raw(app: Loyalist, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` behind the application's back (JSON parameters as ``:name::json``)."""
    json_cast = "CAST(:\\1 AS jsonb)" if not app.db.is_sqlite else ":\\1"
    with app.db.write_engine.begin() as conn:
        result = conn.execute(text(re.sub(r":(\w+)::json", json_cast, sql)), params)
        return [tuple(row) for row in result] if result.returns_rows else []


def ids_by_email(uow: UnitOfWork, email: str) -> list[int]:
    return [m.id for m in members.find_members_by_email(uow, email)]


def comment_of(app: Loyalist, member_id: int) -> str | None:
    def op(uow: UnitOfWork) -> str | None:
        data = uow.session.scalar(
            select(Activity.data).where(
                Activity.member_id == member_id, Activity.type == "survey.answered"
            )
        )
        assert data is not None
        assert "comment" not in data
        cipher = members.ciphers(uow, [member_id])[member_id]
        found = open_personal(data, cipher)
        return None if found is None else found["comment"]

    return app.db.read(op)


def contexts(app: Loyalist, member_id: int) -> list[str | None]:
    def op(uow: UnitOfWork) -> list[str | None]:
        found = uow.session.scalars(select(Message).where(Message.member_id == member_id))
        return [opened(uow, m)["context"] for m in found]

    return app.db.read(op)


class TestSealing:
    def test_keeps_each_members_personal_data_under_a_key_of_its_own(self, app: Loyalist) -> None:
        ids = seed(app, 2)

        stored = raw(app, "SELECT id, data_key, email, phone, first_name, birthday FROM members")
        key_id = active_keyring().active.key_id
        assert len({row[1] for row in stored}) == 2
        for row in stored:
            assert row[1].startswith(key_id + ":")
            assert all(value.startswith(SEALED_PREFIX) for value in row[2:])
        assert profile_of(app, "M1") == members.Profile(
            "member1@example.org", "+7 912 345-67-01", "Name1", "Quartermaine", BIRTHDAY
        )
        [(token,)] = raw(app, "SELECT token FROM member_devices")
        assert token.startswith(SEALED_PREFIX)
        assert app.db.read(lambda uow: members.push_tokens(uow, ids)) == {ids[0]: DEVICE}
        assert comment_of(app, ids[1]) == "call me on +44 20 7946 0302"
        assert [c is not None for c in contexts(app, ids[0])] == [True]

    def test_a_value_copied_to_another_members_row_reads_as_nothing(self, app: Loyalist) -> None:
        first, second = seed(app, 2)
        raw(
            app,
            "UPDATE members SET email = (SELECT email FROM members WHERE id = :a) WHERE id = :b",
            a=first,
            b=second,
        )

        assert profile_of(app, "M2").email is None
        assert profile_of(app, "M2").first_name == "Name2"
        assert profile_of(app, "M1").email == "member1@example.org"

    def test_a_data_key_copied_to_another_member_opens_nothing(self, app: Loyalist) -> None:
        first, second = seed(app, 2)
        raw(
            app,
            "UPDATE members SET data_key = (SELECT data_key FROM members WHERE id = :a) "
            "WHERE id = :b",
            a=first,
            b=second,
        )

        assert profile_of(app, "M2") == members.Profile(None, None, None, None, None)
        got = app.db.read(lambda uow: members.read_member(uow, members.get_member(uow, "M2")))
        assert (got.email, got.first_name) == (None, None)


class TestDestroyDataKey:
    def test_nothing_under_the_key_opens_afterwards_in_any_process(self, app: Loyalist) -> None:
        ids = seed(app, 2)

        destroyed = app.db.write(lambda uow: members.destroy_data_key(uow, [ids[0]]))

        assert destroyed == 1
        assert profile_of(app, "M1") == members.Profile(None, None, None, None, None)
        contact = app.db.read(lambda uow: members.contacts(uow, ids))
        assert (contact[ids[0]].email, contact[ids[0]].phone) == (None, None)
        assert contact[ids[1]].email == "member2@example.org"  # the others keep theirs
        assert app.db.read(lambda uow: members.push_tokens(uow, ids)) == {}
        assert comment_of(app, ids[0]) is None
        assert contexts(app, ids[0]) == [None]
        assert app.db.read(lambda uow: members.member_facts(uow, ids))[ids[0]].birthday is None
        other = rebooted(app, TEST_KEY)  # a process that never cached the key
        try:
            assert profile_of(other, "M1").email is None
        finally:
            other.close()
        assert app.db.write(lambda uow: members.destroy_data_key(uow, [ids[0]])) == 0

    def test_a_later_profile_write_makes_a_new_key(self, app: Loyalist) -> None:
        [member_id] = seed(app, 1)
        [(old_key,)] = raw(app, "SELECT data_key FROM members")
        app.db.write(lambda uow: members.destroy_data_key(uow, [member_id]))

        app.db.write(
            lambda uow: members.upsert_member(
                uow, "M1", MemberProfile(email="again@example.org"), source="test"
            )
        )

        [(new_key,)] = raw(app, "SELECT data_key FROM members")
        assert new_key not in (None, old_key)
        assert profile_of(app, "M1").email == "again@example.org"
        assert profile_of(app, "M1").first_name is None  # sealed under the destroyed key


def legacy_seed(app: Loyalist) -> int:
    """A member as the version before member keys stored it: profile, push token, message
    content and member event sealed by the master key, the survey comment in the clear, no
    data key."""
    [member_id] = seed(app, 1)
    keyring = active_keyring()
    old = {
        "email": keyring.encrypt("member1@example.org", "member.email"),
        "phone": keyring.encrypt("+7 912 345-67-01", "member.phone"),
        "first": keyring.encrypt("Name1", "member.first_name"),
        "birthday": keyring.encrypt(BIRTHDAY.isoformat(), "member.birthday"),
    }
    raw(
        app,
        "UPDATE members SET data_key = NULL, email = :email, phone = :phone, "
        "first_name = :first, last_name = NULL, birthday = :birthday",
        **old,
    )
    raw(
        app,
        "UPDATE member_devices SET token = :t",
        t=keyring.encrypt(DEVICE, "member.device_token"),
    )
    raw(app, "UPDATE messages SET context = :c", c=keyring.encrypt('{"old": 1}', "message.context"))
    app.db.write(
        lambda uow: members.set_consent(uow, member_id, "email", True, source="api", ip=IP)
    )
    legacy_ip = keyring.encrypt(IP, "member.consent_ip")
    raw(app, "UPDATE member_consents SET ip = :ip", ip=legacy_ip)
    raw(app, "UPDATE member_consent_changes SET ip = :ip", ip=legacy_ip)
    enrolled = '{"email": "member1@example.org", "first_name": "Name1"}'
    sealed = keyring.encrypt(enrolled, "activity.personal")
    raw(
        app,
        "UPDATE activities SET data = :d::json WHERE type = 'member.enrolled'",
        d=f'{{"personal_fields": ["email", "first_name"], "sealed": "{sealed}"}}',
    )
    raw(
        app,
        "UPDATE activities SET data = :d::json WHERE type = 'survey.answered'",
        d='{"survey_id": "nps", "score": 9, "comment": "call me on +44 20 7946 0301"}',
    )
    return member_id


class TestValuesFromBeforeMemberKeys:
    def test_read_as_they_are_and_rotation_moves_them_under_the_members_key(
        self, app: Loyalist
    ) -> None:
        member_id = legacy_seed(app)
        before = profile_of(app, "M1")
        assert before.email == "member1@example.org"
        assert before.birthday == BIRTHDAY
        assert app.db.read(lambda uow: members.push_tokens(uow, [member_id])) == {member_id: DEVICE}
        assert contexts(app, member_id) == ['{"old": 1}']
        assert consent_ips(app, member_id) == (IP, [IP])

        changed = app.rotate_keys()

        assert changed == {
            "index key": 0,
            "member keys and profiles": 1,
            "push devices": 1,
            "consents' evidence": 1,
            "consent trail": 1,
            "messages": 1,
            "stored events": 2,
            "webhook secrets": 0,
            "staff messages": 0,
            "staff users": 0,
            "connector secrets": 0,
        }
        assert {row[0][:3] for row in raw(app, "SELECT ip FROM member_consents")} == {SEALED_PREFIX}
        assert {row[0][:3] for row in raw(app, "SELECT ip FROM member_consent_changes")} == {
            SEALED_PREFIX
        }
        assert consent_ips(app, member_id) == (IP, [IP])
        [(key, email, token)] = raw(
            app,
            "SELECT m.data_key, m.email, d.token FROM members m JOIN member_devices d "
            "ON d.member_id = m.id",
        )
        assert key is not None
        assert (email[:3], token[:3]) == (SEALED_PREFIX, SEALED_PREFIX)
        assert profile_of(app, "M1") == before
        assert contexts(app, member_id) == ['{"old": 1}']
        assert comment_of(app, member_id) == "call me on +44 20 7946 0301"
        stored = app.db.read(
            lambda uow: uow.session.scalar(
                select(Activity.data).where(Activity.type == "member.enrolled")
            )
        )
        assert stored is not None
        cipher = app.db.read(lambda uow: members.ciphers(uow, [member_id]))[member_id]
        assert open_personal(stored, cipher) == {
            "email": "member1@example.org",
            "first_name": "Name1",
        }
        assert set(app.rotate_keys().values()) == {0}


@pytest.fixture
def endpoint(app: Loyalist) -> str:
    body = EndpointIn(url="https://hooks.example/in", event_types=[WebhookEvent.POINTS_AWARDED])
    return app.db.write(lambda uow: webhooks.register(uow, body)).secret


class TestRotation:
    def test_everything_reads_and_every_look_up_works_once_the_old_key_is_gone(
        self, app: Loyalist, endpoint: str
    ) -> None:
        ids = seed(app, 3)
        link = messages.unsubscribe_token(ids[0], "msg_1")
        app.db.write(
            lambda uow: members.set_consent(uow, ids[0], "email", True, source="api", ip=IP)
        )
        [(sealed_ip,)] = raw(app, "SELECT ip FROM member_consents")
        assert sealed_ip.startswith(SEALED_PREFIX)  # under the member's key, not the master
        add_staff_user(app)
        connector = ConnectorCreate.model_validate(
            {"platform": "shopify", "key": "main-shop", "secret": "shpss_rotated"}
        )
        app.db.write(lambda uow: connectors.create_connector(uow, connector, actor=SYSTEM))
        rotating = rebooted(app, NEW_KEY, TEST_KEY)
        try:
            # Before rotating, the retired key still opens everything.
            assert rotating.db.read(lambda uow: ids_by_email(uow, "member2@example.org")) == [
                ids[1]
            ]

            changed = rotating.rotate_keys(chunk_size=2)

            assert changed == {
                "index key": 1,
                "member keys and profiles": 3,
                "push devices": 0,
                "consents' evidence": 0,
                "consent trail": 0,
                "messages": 0,
                "stored events": 0,
                "webhook secrets": 1,
                "staff messages": 0,
                "staff users": 1,
                "connector secrets": 1,
            }
        finally:
            rotating.close()
        after = rebooted(app, NEW_KEY)
        try:
            self._reads_everything(after, ids, link, endpoint)
        finally:
            after.close()

    @staticmethod
    def _reads_everything(after: Loyalist, ids: list[int], link: str, secret: str) -> None:
        by_email = after.db.read(lambda uow: ids_by_email(uow, "member2@example.org"))
        by_phone = after.db.read(
            lambda uow: [m.id for m in members.find_members_by_phone(uow, "+79123456703")]
        )
        assert (by_email, by_phone) == ([ids[1]], [ids[2]])
        assert after.db.read(
            lambda uow: members.members_with_birthday(uow, BIRTHDAY.month, BIRTHDAY.day)
        ) == sorted(ids)
        assert profile_of(after, "M3").phone == "+7 912 345-67-03"
        assert after.db.read(lambda uow: members.push_tokens(uow, ids)) == {ids[0]: DEVICE}
        assert comment_of(after, ids[2]) == "call me on +44 20 7946 0303"
        assert contexts(after, ids[1])[0] is not None
        assert messages.preferences_member(messages.preferences_token(ids[0])) == ids[0]
        assert active_keyring().open_link(link, "message.unsubscribe") == f"{ids[0]}:msg_1"
        stored_secrets = after.db.read(
            lambda uow: uow.session.scalar(select(WebhookEndpoint.secrets))
        )
        assert stored_secrets is not None
        assert secret in stored_secrets
        assert consent_ips(after, ids[0]) == (IP, [IP])
        assert staff_secrets(after) == (STAFF_EMAIL, "JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU")
        receiver = after.db.read(lambda uow: connectors.find_receiver(uow, "shopify", "main-shop"))
        assert receiver is not None
        assert receiver.secret == b"shpss_rotated"
        replayed = send(after, enrolment("M1", 1))  # the request's keyed hash is unchanged
        assert [o.replayed for o in replayed] == [True]
        assert set(after.rotate_keys().values()) == {0}

    def test_an_interrupted_rotation_continues_with_what_is_left(self, app: Loyalist) -> None:
        seed(app, 5)
        rotating = rebooted(app, NEW_KEY, TEST_KEY)  # opened after: the keyring is global

        class Stopped(Exception):
            pass

        chunks: list[tuple[str, int]] = []

        def stop_after_the_first_chunk_of_members(step: str, done: int, total: int) -> None:
            if done:
                chunks.append((step, done))
            if step == "member keys and profiles" and done:
                raise Stopped  # as if killed once that chunk committed

        with pytest.raises(Stopped):
            rotating.rotate_keys(chunk_size=2, progress=stop_after_the_first_chunk_of_members)
        assert chunks == [("index key", 1), ("member keys and profiles", 2)]

        current = rotating.keyring.active.key_id
        keys = [row[0] for row in raw(rotating, "SELECT data_key FROM members ORDER BY id")]
        assert [k.startswith(current + ":") for k in keys] == [True, True, False, False, False]

        rest = rotating.rotate_keys(chunk_size=2)
        rotating.close()

        assert rest["index key"] == 0  # done by the first run
        assert rest["member keys and profiles"] == 3
        after = rebooted(app, NEW_KEY)
        try:
            assert [profile_of(after, f"M{n}").email for n in range(1, 6)] == [
                f"member{n}@example.org" for n in range(1, 6)
            ]
        finally:
            after.close()

    def test_a_key_under_a_master_key_no_longer_kept_stops_rotation(self, app: Loyalist) -> None:
        seed(app, 1)
        alone = rebooted(app, NEW_KEY)
        try:
            with pytest.raises(MasterKeyMissingError, match="LOYALIST_RETIRED_KEYS"):
                alone.rotate_keys()
        finally:
            alone.close()
