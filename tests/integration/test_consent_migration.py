"""Migration 0039 on both databases: channel consents recorded before the registry become
the marketing purposes' consents, and the trail is numbered per member by time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from loyalist.bootstrap import alembic_config

BEFORE = "0026"
ROWS = """
INSERT INTO members (id, external_id, locale, created_at, updated_at)
    VALUES (1, 'M1', 'en', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
INSERT INTO member_consents (member_id, channel, is_granted, changed_at, source)
    VALUES (1, 'email', false, '2026-01-03 00:00:00+00', 'unsubscribe-link');
INSERT INTO member_consent_changes (member_id, id, channel, is_granted, changed_at, source)
    VALUES (1, 'cch_b', 'email', false, '2026-01-03 00:00:00+00', 'unsubscribe-link'),
           (1, 'cch_c', 'sms', true, '2026-01-02 00:00:00+00', 'api'),
           (1, 'cch_a', 'email', true, '2026-01-02 00:00:00+00', 'api')
"""


@pytest.fixture
def empty_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's backend: a new file, or a new schema."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    base = make_url(db_url).difference_update_query(["options"])
    schema = f"m_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_channel_consents_become_purposes_and_the_trail_is_numbered_by_time(
    empty_url: str,
) -> None:
    config = alembic_config(empty_url)
    command.upgrade(config, BEFORE)
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        for statement in ROWS.split(";"):
            conn.execute(text(statement))

    command.upgrade(config, "head")

    with engine.begin() as conn:
        current = conn.execute(
            text("SELECT purpose, is_granted, source, ip, text_version FROM member_consents")
        ).all()
        trail = conn.execute(
            text("SELECT seq, id, purpose FROM member_consent_changes ORDER BY seq")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in current] == [("email", False, "unsubscribe-link", None, None)]
    assert [tuple(row) for row in trail] == [
        (1, "cch_a", "email"),
        (2, "cch_c", "sms"),
        (3, "cch_b", "email"),
    ]
