"""Personal data at rest: no e-mail, phone, name or push token in plaintext in the stored
bytes or rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, metadata
from loyalist.db.uow import UnitOfWork
from tests.conftest import START, event

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

    return app.db.read(rows)


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
    assert client.post("/api/v1/events", json=[enrolled, updated], headers=admin).status_code == 202
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
    ]
    assert [n for n in needles if n.lower() in stored] == []
