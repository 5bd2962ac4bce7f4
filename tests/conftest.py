"""Shared fixtures: a migrated database per backend, the application, an API client.

``LOYALIST_TEST_BACKEND`` picks the backends of database tests: ``sqlite``,
``postgresql`` or ``all`` (default). PostgreSQL comes from ``LOYALIST_TEST_POSTGRES_URL``;
when it cannot be reached the PostgreSQL tests are skipped with the reason, except with
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from loyalist.audit.policy import GENESIS
from loyalist.bootstrap import Loyalist, bootstrap, metadata, migrate
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import ProgramPolicy, Settings

#: Fixtures shared by the messages tests (an SMTP server on loopback, a mailing app).
pytest_plugins = ["tests.mailing"]

TEST_KEY = "dGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def _backends() -> list[str]:
    chosen = os.environ.get("LOYALIST_TEST_BACKEND", "all")
    return ["sqlite", "postgresql"] if chosen == "all" else [chosen]


def _pg_reachable(url: str) -> str | None:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated schema of our own on the test PostgreSQL, dropped at the end."""
    base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
    problem = _pg_reachable(base)
    if problem:
        message = f"PostgreSQL at {make_url(base).render_as_string()} unreachable ({problem})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; with CI=true this is a failure", pytrace=False)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    app = bootstrap(Settings(database_url=rendered), keyring=Keyring.from_secrets(TEST_KEY))
    migrate(app)
    app.close()
    yield rendered
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_stored_keys(pg_template: str) -> list[dict[str, Any]]:
    """The keys ``migrate`` stored in the template schema (the wrapped index key), put
    back after each test empties the tables."""
    engine = create_engine(pg_template)
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(text("SELECT * FROM crypto_keys"))]
    engine.dispose()
    return rows


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = bootstrap(
        Settings(database_url=f"sqlite:///{path}"), keyring=Keyring.from_secrets(TEST_KEY)
    )
    migrate(app)
    app.close()
    return path


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "loyalist.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_template")
    stored_keys: list[dict[str, Any]] = request.getfixturevalue("pg_stored_keys")
    engine = create_engine(url)
    # DELETE in reverse dependency order: ~20x faster than TRUNCATE on small tables. The
    # audit trail is append-only (its trigger lets only retention delete) and its chain's
    # head is seeded again as the migration seeds it (tests that empty every table of the
    # schema between their examples remove it); the built-in roles stay (the migrations
    # seed them).
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL loyalist.audit_retention = 'on'"))
        for table in reversed(metadata().sorted_tables):
            if table.name == "audit_head":
                conn.execute(table.delete())
                conn.execute(table.insert().values(id=1, seq=0, hash=GENESIS))
            elif table.name == "roles":
                conn.execute(table.delete().where(table.c.is_builtin.is_(False)))
            else:
                conn.execute(table.delete())
            if table.name == "crypto_keys":
                conn.execute(table.insert(), stored_keys)
    engine.dispose()
    return url


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    settings = Settings(database_url=db_url, program=program, writer_linger_ms=0.5)
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def emptied_tables() -> list[Any]:
    """The tables a test empties to start afresh, dependents first: every one but
    ``crypto_keys`` (the installation's stored index key, which ``migrate`` stores and the
    keyring reads) and ``roles`` (the built-in roles the migrations seed: on PostgreSQL the
    schema is shared by the tests that follow)."""
    kept = {"crypto_keys", "roles"}
    return [t for t in reversed(metadata().sorted_tables) if t.name not in kept]


def keyed(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` with a fresh ``Idempotency-Key`` (the writes that must not apply twice
    need one: points spent, held or adjusted, coupons and rewards redeemed)."""
    return headers | {"Idempotency-Key": uuid.uuid4().hex}


def event(event_id: str, type_: str, member: str, at: datetime, **data: Any) -> dict[str, Any]:
    """An event in the wire format."""
    return {
        "id": event_id,
        "type": type_,
        "member_id": member,
        "occurred_at": at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def order_body(
    order_id: str,
    *lines: tuple[str, int, int],
    shipping: int = 0,
    currency: str = "EUR",
    **extra: Any,
) -> dict[str, Any]:
    """An order with lines ``(sku, quantity, unit_price)``; total adds up."""
    line_dicts = [
        {
            "sku": sku,
            "name": sku.title(),
            "category": "cat",
            "quantity": q,
            "unit_price": p,
            "discount": 0,
        }
        for sku, q, p in lines
    ]
    total = sum(q * p for _, q, p in lines) + shipping
    return {
        "order_id": order_id,
        "currency": currency,
        "channel": "web",
        "store": "online",
        "lines": line_dicts,
        "shipping": shipping,
        "total": total,
        **extra,
    }
