"""Personal data at rest: no e-mail, phone, name, push token, survey comment or message
content in plaintext in the stored bytes or rows (the SQLite file and its WAL, every
PostgreSQL row, and a ``pg_dump`` of the schema)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, metadata
from loyalist.db.uow import UnitOfWork
from loyalist.messages.models import Message
from tests.conftest import START, event, order_body

EMAIL = "Zoe.Quartermaine@Example.org"
PHONE = "+7 (912) 345-67-89"
PHONE_FORMS = (
    "+7 (912) 345-67-89",
    "+79123456789",
    "79123456789",
    "9123456789",
    "912 345-67-89",
    "912-345-67-89",
    "345-67-89",
)
FIRST_NAME = "Quorrabelle"
OTHER_EMAIL = "Wilhelmina.Oyelaran@Example.net"
OTHER_PHONE = "+44 20 7946 0321"
DEVICE_TOKEN = "dQw4w9WgXcQ:APA91bF-Zyx8Qwertyuiop0Asdfghjkl"
COMMENT = "Parcel squashed again, Quorrabelle here: ring me back on +7 (912) 345-67-89"


def _stored_text(app: Loyalist) -> str:
    """Everything the database keeps: the SQLite file and its WAL, or every PostgreSQL row."""
    if app.db.is_sqlite:
        path = Path(make_url(app.settings.effective_database_url).database or "")
        files = [path, path.with_name(path.name + "-wal")]
        raw = b"".join(f.read_bytes() for f in files if f.exists())
        return raw.decode("latin-1")

    def rows(uow: UnitOfWork) -> str:
        return "\n".join(
            row
            for table in metadata().sorted_tables
            for row in uow.session.scalars(text(f"SELECT t::text FROM {table.name} t"))
        )

    return app.db.read(rows) + "\n" + _pg_dump(app)


def _pg_dump(app: Loyalist) -> str:
    """``pg_dump`` of the test's schema (data and all), as an operator would back it up."""
    binary = shutil.which("pg_dump")
    if binary is None:  # pragma: no cover (the test machines have it)
        pytest.skip("pg_dump is not installed")
    url = make_url(app.settings.effective_database_url)
    options = str(url.query.get("options", ""))
    schema = options.removeprefix("-csearch_path=")
    dumped = subprocess.run(  # noqa: S603 (a fixed program, our own test database)
        [
            binary,
            "--no-password",
            f"--host={url.host}",
            f"--port={url.port or 5432}",
            f"--username={url.username}",
            f"--schema={schema}",
            url.database or "",
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert f"CREATE TABLE {schema}.members" in dumped.stdout.decode()
    return dumped.stdout.decode("utf-8", "replace")


def test_keeps_no_personal_data_in_plaintext_at_rest(
    client: TestClient, app: Loyalist, admin: dict[str, str]
) -> None:
    enrolled = event(
        "enrol-1",
        "member.enrolled",
        "PII-MEMBER-1",
        START,
        email=EMAIL,
        phone=PHONE,
        first_name=FIRST_NAME,
        last_name="Vantablack",
        consents={"email": True},
    )
    updated = event(
        "update-1",
        "member.updated",
        "PII-MEMBER-1",
        START,
        first_name=FIRST_NAME,
        phone="+79123456789",
    )
    answered = event(
        "nps-1", "survey.answered", "PII-MEMBER-1", START, survey_id="nps", score=3, comment=COMMENT
    )
    body = order_body("PII-ORDER-1", ("shoe", 1, 5000))
    placed = event("place-1", "order.placed", "PII-MEMBER-1", START, **body)
    paid = event("pay-1", "order.paid", "PII-MEMBER-1", START, order_id="PII-ORDER-1")
    sent = client.post(
        "/api/v1/events", json=[enrolled, updated, answered, placed, paid], headers=admin
    )
    assert sent.status_code == 202
    put = client.put(
        "/api/v1/members/PII-MEMBER-2",
        json={"email": OTHER_EMAIL, "phone": OTHER_PHONE, "first_name": FIRST_NAME},
        headers=admin,
    )
    assert put.status_code == 201
    device = client.post(
        "/api/v1/members/PII-MEMBER-2/devices",
        json={"token": DEVICE_TOKEN, "platform": "fcm"},
        headers=admin,
    )
    assert device.status_code == 201, device.text
    found = client.get("/api/v1/members", params={"email": EMAIL}, headers=admin).json()
    assert [m["first_name"] for m in found] == [FIRST_NAME]  # readable through the API

    queued = app.db.read(lambda uow: uow.session.scalar(select(func.count()).select_from(Message)))
    assert queued  # the order confirmation: its context names the member
    stored = _stored_text(app).lower()

    assert "pii-member-1" in stored  # the scan does see the stored rows
    needles = [
        EMAIL,
        OTHER_EMAIL,
        FIRST_NAME,
        "Vantablack",
        *PHONE_FORMS,
        OTHER_PHONE,
        "442079460321",
        "2079460321",
        DEVICE_TOKEN,
        COMMENT,
        "Parcel squashed",
    ]
    assert [n for n in needles if n.lower() in stored] == []
