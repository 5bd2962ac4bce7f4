"""One function per fixed query for both read paths: a ``UnitOfWork`` and the raw read path's
``RawReader`` are both ``db.raw.Cursor``s, and a unit's statements see its own writes."""

from __future__ import annotations

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.errors import NotFoundError
from loyalist.ledger import balances
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.members.models import Member
from tests.conftest import START, event
from tests.integration.helpers import send


def test_a_unit_sees_its_own_pending_rows(app: Loyalist) -> None:
    def op(uow: UnitOfWork) -> tuple[int, int]:
        member = Member(external_id="M-new", created_at=uow.now, updated_at=uow.now)
        uow.session.add(member)  # pending: not flushed yet
        found = members.get_member_id(uow, "M-new")
        return found, member.id

    found, stored = app.db.write(op)

    assert found == stored
    assert app.db.read_raw(lambda reader: members.get_member_id(reader, "M-new")) == stored


def test_both_paths_give_the_same_summary(app: Loyalist) -> None:
    send(app, event("e1", "member.enrolled", "M1", START))

    def credit(uow: UnitOfWork) -> None:
        member_id = members.get_member_id(uow, "M1")
        ledger.adjust_points(uow, member_id, 250, reason="welcome", issuer="t", program=app.program)

    app.db.write(credit)
    raw = app.db.read_raw(
        lambda reader: balances.points_summary(
            reader, members.get_member_id(reader, "M1"), app.program
        )
    )
    read_unit = app.db.read(
        lambda uow: balances.points_summary(uow, members.get_member_id(uow, "M1"), app.program)
    )

    assert raw == read_unit
    assert raw["available"] == 250


def test_an_unknown_member_is_not_found_on_both_paths(app: Loyalist) -> None:
    with pytest.raises(NotFoundError):
        app.db.read(lambda uow: members.get_member_id(uow, "nobody"))
    with pytest.raises(NotFoundError):
        app.db.read_raw(lambda reader: members.get_member_id(reader, "nobody"))
