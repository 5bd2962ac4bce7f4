"""Staff users, browsers and sign-in steps for the staff API tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pyotp
from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.audit.models import SYSTEM, AuditRecord
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy, Settings, SmtpSettings, StaffSettings
from loyalist.staff import users
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import StaffUserCreate
from loyalist.staff.service import create_api_key
from tests.conftest import TEST_KEY

PASSWORD = "correct horse battery staple"
COOKIE = "__Host-loyalist_session"
#: Cheap argon2id for arranging users; the application's own parameters verify them and
#: rehash them at the first sign-in.
FAST = Hasher(time_cost=1, memory_kib=8192, parallelism=1)


def staff_app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, smtp_port: int = 0, **staff: Any
) -> Loyalist:
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        staff=StaffSettings(**staff),
        smtp=SmtpSettings(host="127.0.0.1" if smtp_port else "", port=smtp_port, timeout_seconds=5),
    )
    return bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))


def browser(app: Loyalist) -> TestClient:
    """A client over HTTPS (the session cookie is Secure)."""
    return TestClient(create_app(app, embedded_worker=False), base_url="https://testserver")


def add_staff(
    app: Loyalist, email: str, *roles: str, name: str = "Anna", locale: str = "en"
) -> int:
    hashed = users.new_password_hash(FAST, PASSWORD, email=email, name=name)
    data = StaffUserCreate(
        email=email, name=name, roles=list(roles), password=PASSWORD, locale=locale
    )

    def op(uow: UnitOfWork) -> int:
        return users.create_user(uow, data, hashed, SYSTEM).id

    return app.db.write(op)


def role_key(app: Loyalist, role: str) -> str:
    """The token of a new API key acting with the built-in (or custom) role ``role``."""

    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, f"as {role}", [], role=role)[1]

    return app.db.write(op)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    answer: httpx.Response = client.post(
        "/api/v1/auth/sign-in", json={"email": email, "password": password}
    )
    return answer


def csrf(response: httpx.Response) -> dict[str, str]:
    return {"X-CSRF-Token": response.json()["csrf_token"]}


@dataclass
class Enrolled:
    secret: str
    recovery_codes: list[str]
    #: ``/api/v1/auth/me`` after the confirmation (its CSRF token is the new session's).
    confirmed: httpx.Response


def enrol(client: TestClient, clock: ManualClock, signed_in: httpx.Response) -> Enrolled:
    """Enrol two factors from a session at the enrolment (or signed-in) stage."""
    started = client.post(
        "/api/v1/auth/two-factor/enrolment", json={"password": PASSWORD}, headers=csrf(signed_in)
    )
    assert started.status_code == 200, started.text
    secret = started.json()["secret"]
    code = pyotp.TOTP(secret).at(clock.now())
    confirmed = client.post(
        "/api/v1/auth/two-factor/enrolment/confirm", json={"code": code}, headers=csrf(signed_in)
    )
    assert confirmed.status_code == 200, confirmed.text
    return Enrolled(secret, confirmed.json()["recovery_codes"], client.get("/api/v1/auth/me"))


def code_now(secret: str, clock: ManualClock, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now().timestamp() + 30 * steps)


def audit_actions(app: Loyalist) -> list[tuple[str, str | None, str | None]]:
    """``(action, target_id, actor_id)`` of every audit row, in order."""

    def op(uow: UnitOfWork) -> list[tuple[str, str | None, str | None]]:
        rows = uow.session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
        return [(r.action, r.target_id, r.actor_id) for r in rows]

    return app.db.read(op)
