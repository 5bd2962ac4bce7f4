"""Staff sign-in over HTTP: the password step, two factors, sessions (rotation, timeouts,
sign-out), CSRF, throttling, lockout with its email, and staff management."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import StaffUser
from tests.api.conftest import assert_problem
from tests.api.staff_helpers import (
    COOKIE,
    PASSWORD,
    add_staff,
    audit_actions,
    browser,
    code_now,
    csrf,
    enrol,
    sign_in,
    staff_app,
)
from tests.smtp import SmtpSink

OWNER = "owner@shop.example"
ANALYST = "analyst@shop.example"


@pytest.fixture
def client(app: Loyalist) -> Iterator[TestClient]:
    with browser(app) as client:
        yield client


def _stored_hash(app: Loyalist, user_id: int) -> str:
    return app.db.read(lambda uow: uow.session.get(StaffUser, user_id).password_hash)  # type: ignore[union-attr]


def _me_with(app: Loyalist, session_id: str) -> httpx.Response:
    """``/api/v1/auth/me`` from another browser holding only this session id."""
    with browser(app) as other:
        answer: httpx.Response = other.get(
            "/api/v1/auth/me", headers={"Cookie": f"{COOKIE}={session_id}"}
        )
        return answer


def _two_factor_owner(app: Loyalist, client: TestClient, clock: ManualClock) -> str:
    """An owner with two factors enrolled, signed out; returns the TOTP secret."""
    add_staff(app, OWNER, "owner")
    enrolled = enrol(client, clock, sign_in(client, OWNER))
    client.post("/api/v1/auth/sign-out", headers=csrf(enrolled.confirmed))
    clock.advance(timedelta(seconds=30))
    return enrolled.secret


class TestPasswordStep:
    def test_signs_in_a_user_whose_roles_need_no_second_factor(
        self, app: Loyalist, client: TestClient
    ) -> None:
        user = add_staff(app, ANALYST, "analyst")
        answer = sign_in(client, "  Analyst@Shop.example ")
        assert answer.status_code == 200, answer.text
        assert answer.json()["stage"] == "complete"
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        for attribute in ("Secure", "HttpOnly", "SameSite=lax", "Path=/"):
            assert attribute in cookie
        me = client.get("/api/v1/auth/me")
        assert me.status_code == 200
        assert me.json()["user"]["id"] == user
        assert "analytics.read" in me.json()["permissions"]
        assert me.json()["csrf_token"] == answer.json()["csrf_token"]
        assert me.headers["cache-control"] == "no-store"
        assert ("staff.sign_in", str(user), str(user)) in audit_actions(app)

    def test_stores_argon2id_and_rehashes_to_the_current_parameters(
        self, app: Loyalist, client: TestClient
    ) -> None:
        user = add_staff(app, ANALYST, "analyst")
        assert "m=8192" in _stored_hash(app, user)
        assert sign_in(client, ANALYST).status_code == 200
        stored = _stored_hash(app, user)
        assert stored.startswith("$argon2id$")
        assert "m=47104,t=1,p=1" in stored

    def test_unknown_email_wrong_password_and_disabled_user_look_the_same(
        self, app: Loyalist, client: TestClient
    ) -> None:
        user = add_staff(app, ANALYST, "analyst")
        add_staff(app, "gone@shop.example", "analyst")
        app.db.write(
            lambda uow: setattr(
                uow.session.scalar(select(StaffUser).where(StaffUser.id == user + 1)),
                "is_active",
                False,
            )
        )
        answers = [
            sign_in(client, "nobody@shop.example"),
            sign_in(client, ANALYST, "wrong horse battery staple"),
            sign_in(client, "gone@shop.example"),
        ]
        bodies = {a.content for a in answers}
        assert len(bodies) == 1
        assert_problem(answers[0], 401, "sign_in_failed")
        assert {
            tuple(sorted((k, v) for k, v in a.headers.items() if k != "x-request-id"))
            for a in answers
        }.__len__() == 1
        failed = [row for row in audit_actions(app) if row[0] == "staff.sign_in_failed"]
        assert [row[1] for row in failed] == [None, str(user), str(user + 1)]

    def test_audit_rows_never_hold_the_email_or_password(
        self, app: Loyalist, client: TestClient
    ) -> None:
        add_staff(app, ANALYST, "analyst")
        sign_in(client, ANALYST, "wrong horse battery staple")
        sign_in(client, ANALYST)

        def op(uow: UnitOfWork) -> str:
            rows = uow.session.scalars(select(AuditRecord)).all()
            return repr([(r.before, r.after, r.actor_label, r.target_id, r.reason) for r in rows])

        dumped = app.db.read(op)
        assert "analyst@" not in dumped
        assert "horse" not in dumped

    def test_refuses_a_sign_in_that_is_not_json_so_no_form_can_forge_one(
        self, app: Loyalist, client: TestClient
    ) -> None:
        add_staff(app, ANALYST, "analyst")
        answer = client.post(
            "/api/v1/auth/sign-in",
            content=f'{{"email": "{ANALYST}", "password": "{PASSWORD}"}}',
            headers={"Content-Type": "text/plain"},
        )
        assert_problem(answer, 422, "request_invalid")
        assert COOKIE not in answer.headers.get("set-cookie", "")


class TestThrottling:
    def test_refuses_an_account_after_repeated_failures_even_with_the_right_password(
        self, db_url: str, clock: ManualClock, program: ProgramPolicy
    ) -> None:
        app = staff_app(db_url, clock, program, failures_per_account="3 per 15 minutes")
        try:
            add_staff(app, ANALYST, "analyst")
            with browser(app) as client:
                for _ in range(3):
                    assert sign_in(client, ANALYST, "wrong horse battery").status_code == 401
                refused = sign_in(client, ANALYST)
                body = assert_problem(refused, 429, "sign_in_throttled")
                assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
                assert "email" not in body["detail"]
                # An unknown account is limited the same way (the limit tells nothing).
                for _ in range(3):
                    sign_in(client, "nobody@shop.example", "x" * 9)
                assert sign_in(client, "nobody@shop.example").status_code == 429
        finally:
            app.close()

    def test_refuses_an_address_after_failures_on_many_accounts(
        self, db_url: str, clock: ManualClock, program: ProgramPolicy
    ) -> None:
        app = staff_app(db_url, clock, program, failures_per_ip="4 per 15 minutes")
        try:
            add_staff(app, ANALYST, "analyst")
            with browser(app) as client:
                for n in range(4):
                    assert sign_in(client, f"guess{n}@shop.example").status_code == 401
                assert_problem(sign_in(client, ANALYST), 429, "sign_in_throttled")
        finally:
            app.close()


class TestSessions:
    def test_rotates_the_id_after_each_step_and_ends_the_old_ones(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        add_staff(app, OWNER, "owner")
        first = sign_in(client, OWNER)
        assert first.json()["stage"] == "enrolment"
        first_id = client.cookies[COOKIE]
        enrolled = enrol(client, clock, first)
        second_id = client.cookies[COOKIE]
        assert second_id != first_id
        assert client.get("/api/v1/auth/me").json()["stage"] == "complete"
        old = _me_with(app, first_id)
        assert_problem(old, 401, "session_missing")

        client.post("/api/v1/auth/sign-out", headers=csrf(enrolled.confirmed))
        clock.advance(timedelta(seconds=30))
        password_step = sign_in(client, OWNER)
        assert password_step.json()["stage"] == "two_factor"
        third_id = client.cookies[COOKIE]
        done = client.post(
            "/api/v1/auth/two-factor",
            json={"code": code_now(enrolled.secret, clock)},
            headers=csrf(password_step),
        )
        assert done.status_code == 200, done.text
        assert done.json()["stage"] == "complete"
        fourth_id = client.cookies[COOKIE]
        assert len({first_id, second_id, third_id, fourth_id}) == 4
        assert _me_with(app, fourth_id).status_code == 200
        assert_problem(_me_with(app, third_id), 401, "session_missing")

    def test_sign_out_ends_the_session_at_once(self, app: Loyalist, client: TestClient) -> None:
        add_staff(app, ANALYST, "analyst")
        signed_in = sign_in(client, ANALYST)
        session_id = client.cookies[COOKIE]
        out = client.post("/api/v1/auth/sign-out", headers=csrf(signed_in))
        assert out.status_code == 204
        assert "Max-Age=0" in out.headers["set-cookie"]
        answer = _me_with(app, session_id)
        assert_problem(answer, 401, "session_missing")
        assert "staff.sign_out" in [row[0] for row in audit_actions(app)]

    def test_ends_a_session_idle_for_longer_than_the_idle_timeout(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        add_staff(app, ANALYST, "analyst")
        sign_in(client, ANALYST)
        for _ in range(3):
            clock.advance(timedelta(minutes=20))
            assert client.get("/api/v1/auth/me").status_code == 200
        clock.advance(timedelta(minutes=31))
        assert_problem(client.get("/api/v1/auth/me"), 401, "session_missing")

    def test_ends_a_busy_session_at_its_absolute_timeout(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        add_staff(app, ANALYST, "analyst")
        sign_in(client, ANALYST)
        for _ in range(11 * 3):
            clock.advance(timedelta(minutes=20))
            assert client.get("/api/v1/auth/me").status_code == 200
        clock.advance(timedelta(hours=1))
        assert_problem(client.get("/api/v1/auth/me"), 401, "session_missing")


class TestCsrf:
    def test_refuses_unsafe_requests_without_the_sessions_token(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        _two_factor_owner(app, client, clock)
        secret_step = sign_in(client, OWNER)
        body = {
            "email": "new@shop.example",
            "name": "Boris",
            "roles": ["analyst"],
            "password": PASSWORD,
        }
        assert_problem(
            client.post("/api/v1/auth/two-factor", json={"code": "000000"}), 403, "csrf_failed"
        )
        assert_problem(client.post("/api/v1/staff", json=body), 403, "csrf_failed")
        wrong = {"X-CSRF-Token": "x" + secret_step.json()["csrf_token"][1:]}
        assert_problem(client.post("/api/v1/auth/sign-out", headers=wrong), 403, "csrf_failed")
        assert client.get("/api/v1/auth/me").status_code == 200  # a safe method needs none


class TestTwoFactors:
    def test_a_session_at_the_password_step_reaches_only_the_second_step(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        _two_factor_owner(app, client, clock)
        step = sign_in(client, OWNER)
        assert_problem(client.get("/api/v1/staff"), 403, "two_factor_required")
        assert_problem(client.get("/api/v1/members/M1"), 403, "two_factor_required")
        enrolment = client.post(
            "/api/v1/auth/two-factor/enrolment", json={"password": PASSWORD}, headers=csrf(step)
        )
        assert_problem(enrolment, 403, "two_factor_required")

    def test_a_user_who_must_enrol_reaches_only_enrolment(
        self, app: Loyalist, client: TestClient
    ) -> None:
        add_staff(app, OWNER, "owner")
        step = sign_in(client, OWNER)
        assert_problem(client.get("/api/v1/staff"), 403, "two_factor_enrolment_required")
        code = client.post("/api/v1/auth/two-factor", json={"code": "123456"}, headers=csrf(step))
        assert_problem(code, 409, "two_factor_not_pending")
        wrong = client.post(
            "/api/v1/auth/two-factor/enrolment",
            json={"password": "wrong horse battery"},
            headers=csrf(step),
        )
        assert_problem(wrong, 401, "reauthentication_failed")

    def test_enrolment_answers_the_secret_uri_and_qr_code_and_waits_for_a_code(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        add_staff(app, OWNER, "owner")
        step = sign_in(client, OWNER)
        started = client.post(
            "/api/v1/auth/two-factor/enrolment", json={"password": PASSWORD}, headers=csrf(step)
        ).json()
        assert len(started["secret"]) == 32  # 160 bits in base32
        assert started["otpauth_uri"].startswith("otpauth://totp/")
        assert "issuer=Loyalist" in started["otpauth_uri"]
        assert started["qr_svg"].startswith("<svg")
        wrong = client.post(
            "/api/v1/auth/two-factor/enrolment/confirm",
            json={"code": code_now(started["secret"], clock, 3)},
            headers=csrf(step),
        )
        assert_problem(wrong, 401, "two_factor_code_invalid")
        assert client.get("/api/v1/auth/me").json()["user"]["has_two_factors"] is False

        def secret_of(uow: UnitOfWork) -> str | None:
            return uow.session.scalar(select(StaffUser.totp_secret))

        assert app.db.read(secret_of) is None

    def test_refuses_a_code_used_before_and_accepts_the_next_steps(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        secret = _two_factor_owner(app, client, clock)
        step = sign_in(client, OWNER)
        code = code_now(secret, clock)
        assert (
            client.post(
                "/api/v1/auth/two-factor", json={"code": code}, headers=csrf(step)
            ).status_code
            == 200
        )
        me = client.get("/api/v1/auth/me").json()
        client.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": me["csrf_token"]})
        step = sign_in(client, OWNER)
        replay = client.post("/api/v1/auth/two-factor", json={"code": code}, headers=csrf(step))
        assert_problem(replay, 401, "two_factor_code_invalid")
        later = client.post(
            "/api/v1/auth/two-factor", json={"code": code_now(secret, clock, 1)}, headers=csrf(step)
        )
        assert later.status_code == 200, later.text

    def test_recovery_codes_work_once_each(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        add_staff(app, OWNER, "owner")
        enrolled = enrol(client, clock, sign_in(client, OWNER))
        assert len(set(enrolled.recovery_codes)) == 10
        client.post("/api/v1/auth/sign-out", headers=csrf(enrolled.confirmed))
        first, second = enrolled.recovery_codes[:2]

        step = sign_in(client, OWNER)
        used = client.post(
            "/api/v1/auth/two-factor", json={"recovery_code": first.lower()}, headers=csrf(step)
        )
        assert used.status_code == 200, used.text
        client.post("/api/v1/auth/sign-out", headers=csrf(used))
        step = sign_in(client, OWNER)
        again = client.post(
            "/api/v1/auth/two-factor", json={"recovery_code": first}, headers=csrf(step)
        )
        assert_problem(again, 401, "two_factor_code_invalid")
        other = client.post(
            "/api/v1/auth/two-factor", json={"recovery_code": second}, headers=csrf(step)
        )
        assert other.status_code == 200
        actions = [row[0] for row in audit_actions(app)]
        assert actions.count("staff.recovery_code_used") == 2
        assert "staff.two_factor_enrolled" in actions


class TestLockout:
    @pytest.mark.parametrize(
        ("locale", "subject"),
        [
            ("en", "staff sign-in is locked after 3 wrong codes"),
            ("ru", "заблокирован после 3 неверных кодов"),
        ],
    )
    def test_locks_the_second_step_and_emails_the_user(
        self,
        db_url: str,
        clock: ManualClock,
        program: ProgramPolicy,
        sink: SmtpSink,
        locale: str,
        subject: str,
    ) -> None:
        app = staff_app(db_url, clock, program, smtp_port=sink.port, two_factor_max_failures=3)
        try:
            user = add_staff(app, OWNER, "owner", locale=locale, name="Ольга")
            with browser(app) as client:
                enrolled = enrol(client, clock, sign_in(client, OWNER))
                client.post("/api/v1/auth/sign-out", headers=csrf(enrolled.confirmed))
                clock.advance(timedelta(seconds=30))
                step = sign_in(client, OWNER)
                wrong = code_now(enrolled.secret, clock, 5)
                for _ in range(2):
                    answer = client.post(
                        "/api/v1/auth/two-factor", json={"code": wrong}, headers=csrf(step)
                    )
                    assert_problem(answer, 401, "two_factor_code_invalid")
                locked = client.post(
                    "/api/v1/auth/two-factor", json={"code": wrong}, headers=csrf(step)
                )
                assert_problem(locked, 429, "two_factor_locked")
                assert int(locked.headers["retry-after"]) == 15 * 60
                right = client.post(
                    "/api/v1/auth/two-factor",
                    json={"code": code_now(enrolled.secret, clock)},
                    headers=csrf(step),
                )
                assert_problem(right, 429, "two_factor_locked")
            actions = [row[0] for row in audit_actions(app)]
            assert actions.count("staff.two_factor_failed") == 3
            assert actions.count("staff.two_factor_lockout") == 1
            while app.run_due_work().did_work:
                pass
            assert len(sink.received) == 1
            mail = sink.received[0]
            assert mail["To"] == OWNER
            assert subject in str(mail["Subject"])
            body = mail.get_body(("plain",))
            assert body is not None
            assert "Ольга" in body.get_content()
            assert user
        finally:
            app.close()


class TestStaffManagement:
    def test_owner_creates_and_disables_a_user_whose_sessions_end_at_once(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        secret = _two_factor_owner(app, client, clock)
        step = sign_in(client, OWNER)
        owner = client.post(
            "/api/v1/auth/two-factor", json={"code": code_now(secret, clock)}, headers=csrf(step)
        )
        body = {"email": ANALYST, "name": "Boris", "roles": ["analyst"], "password": "qwerty123"}
        assert_problem(
            client.post("/api/v1/staff", json=body, headers=csrf(owner)),
            422,
            "password_too_common",
            "/password",
        )
        body["password"] = "a long and unusual passphrase"
        created = client.post("/api/v1/staff", json=body, headers=csrf(owner))
        assert created.status_code == 201, created.text
        analyst = created.json()["id"]
        assert created.json()["has_two_factors"] is False
        again = client.post("/api/v1/staff", json=body, headers=csrf(owner))
        assert_problem(again, 409, "staff_email_taken", "/email")
        unknown = client.post(
            "/api/v1/staff",
            json=body | {"email": "x@shop.example", "roles": ["wizard"]},
            headers=csrf(owner),
        )
        assert_problem(unknown, 422, "staff_role_unknown", "/roles")

        with browser(app) as other:
            assert sign_in(other, ANALYST, "a long and unusual passphrase").status_code == 200
            assert other.get("/api/v1/auth/me").status_code == 200
            disabled = client.patch(
                f"/api/v1/staff/{analyst}", json={"is_active": False}, headers=csrf(owner)
            )
            assert disabled.status_code == 200
            assert disabled.json()["is_active"] is False
            assert_problem(other.get("/api/v1/auth/me"), 401, "session_missing")
            assert sign_in(other, ANALYST, "a long and unusual passphrase").status_code == 401
        listed = client.get("/api/v1/staff").json()
        assert [u["email"] for u in listed] == [OWNER, ANALYST]
        actions = [row[0] for row in audit_actions(app)]
        for action in ("staff.user_created", "staff.user_changed", "staff.user_disabled"):
            assert action in actions

    def test_refuses_to_leave_no_active_owner(
        self, app: Loyalist, client: TestClient, clock: ManualClock
    ) -> None:
        secret = _two_factor_owner(app, client, clock)
        step = sign_in(client, OWNER)
        owner = client.post(
            "/api/v1/auth/two-factor", json={"code": code_now(secret, clock)}, headers=csrf(step)
        )
        me = client.get("/api/v1/auth/me").json()["user"]["id"]
        answer = client.patch(f"/api/v1/staff/{me}", json={"roles": ["admin"]}, headers=csrf(owner))
        assert_problem(answer, 409, "last_owner")
        missing = client.patch("/api/v1/staff/999999", json={"name": "X"}, headers=csrf(owner))
        assert_problem(missing, 404, "staff_user_not_found")

    def test_a_user_without_staff_manage_cannot_manage_staff(
        self, app: Loyalist, client: TestClient
    ) -> None:
        add_staff(app, ANALYST, "analyst")
        signed_in = sign_in(client, ANALYST)
        assert_problem(client.get("/api/v1/staff"), 403, "permission_denied")
        body = {"email": "x@shop.example", "name": "X", "roles": ["owner"], "password": PASSWORD}
        answer = client.post("/api/v1/staff", json=body, headers=csrf(signed_in))
        assert_problem(answer, 403, "permission_denied")
