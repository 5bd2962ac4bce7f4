"""A message's status history on both databases: its first entry, ``queued`` when it was
created, is implied by the message row (one row a message queued) and shown first;
migration 0055 removed the stored ones, and its downgrade writes them back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from loyalist.bootstrap import Loyalist, alembic_config
from loyalist.messages.models import MessageStatus
from tests.conftest import START
from tests.integration.messaging import enrol, marketing_draft, messages_of, queue

STORED = "SELECT revision, status, changed_at FROM message_status_changes ORDER BY revision"


def stored_history(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url)
    with engine.begin() as conn:
        rows = [(int(revision), str(status)) for revision, status, _ in conn.execute(text(STORED))]
    engine.dispose()
    return rows


def test_a_queued_message_is_one_row_and_its_history_starts_queued_at_its_creation(
    app: Loyalist, db_url: str
) -> None:
    member = enrol(app, "M1", email="anna@example.com", marketing_email=True)

    queue(app, marketing_draft(member, "spring"))

    [message] = messages_of(app, "M1")
    assert [(h.status, h.reason, h.changed_at) for h in message.history] == [
        (MessageStatus.QUEUED, None, START)
    ]
    assert stored_history(db_url) == []


def test_the_downgrade_stores_the_queued_status_again_and_the_upgrade_implies_it(
    app: Loyalist, db_url: str
) -> None:
    member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
    queue(app, marketing_draft(member, "spring"))
    config = alembic_config(db_url)

    command.downgrade(config, "0054")
    try:
        downgraded = stored_history(db_url)
    finally:
        command.upgrade(config, "head")

    assert downgraded == [(1, "queued")]
    assert stored_history(db_url) == []
    [message] = messages_of(app, "M1")
    assert [h.status for h in message.history] == [MessageStatus.QUEUED]
