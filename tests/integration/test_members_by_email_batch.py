"""``members.service.member_ids_by_email``: the batch lookup a backfill resolves its
customers with."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.members import service as members
from tests.conftest import event


def test_maps_each_known_email_to_its_first_created_member_and_leaves_out_the_rest(
    app: Loyalist,
) -> None:
    at = datetime(2026, 1, 5, tzinfo=UTC)
    batch = [
        event("e1", "member.enrolled", "first", at, email="shared@example.com"),
        event("e2", "member.enrolled", "second", at, email="Shared@Example.com"),
        event("e3", "member.enrolled", "other", at, email="other@example.com"),
    ]
    app.db.write(lambda uow: ingest_events(uow, parse_events(batch)))

    found = app.db.read(
        lambda uow: members.member_ids_by_email(
            uow, ["shared@example.com", "OTHER@example.com", "nobody@example.com"]
        )
    )

    assert found == {"shared@example.com": "first", "OTHER@example.com": "other"}
