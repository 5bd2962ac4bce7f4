"""Referrals' working set for one unit of work: the referral of each friend the unit's
facts named (or that none exists), read once per unit however many runs (waves) reach
the friend, and kept current as the unit attributes and changes referrals. Writes are not
deferred: attribution and status changes are conditional statements whose result decides
what happens next."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Row

from loyalist.db.uow import UnitOfWork
from loyalist.referrals import repository


class ReferralBook:
    """Referrals by friend, loaded in one query for the friends not read yet."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        #: Friend id → their referral; None: the friend has none (as of the read).
        self.by_friend: dict[int, Row[Any] | None] = {}
        #: The dispatch rounds' fact lists whose members were read (``uow.upcoming``).
        self.rounds: list[Sequence[object]] = []

    @classmethod
    def of(cls, uow: UnitOfWork) -> ReferralBook:
        return uow.working_set("referrals.books", cls)

    def load(self, friend_ids: Iterable[int]) -> None:
        """Read the referrals of the friends not read yet (one query)."""
        missing = {m for m in friend_ids if m not in self.by_friend}
        if not missing:
            return
        self.by_friend.update(dict.fromkeys(missing))
        for row in repository.referrals_of_friends(self.uow.session, missing):
            self.by_friend[int(row.friend_id)] = row

    def referrals(self, friend_ids: Iterable[int]) -> dict[int, Row[Any]]:
        """The referrals of these friends that exist (loaded first where needed)."""
        wanted = set(friend_ids)
        self.load(wanted)
        return {m: row for m in wanted if (row := self.by_friend[m]) is not None}

    def reread(self, row: Row[Any]) -> Row[Any]:
        """The referral as stored now (after this unit wrote to it)."""
        fresh = repository.referral(self.uow.session, row.id)
        assert fresh is not None
        self.by_friend[int(fresh.friend_id)] = fresh
        return fresh

    def attributed(self, row: Row[Any]) -> None:
        """A referral this unit inserted."""
        self.by_friend[int(row.friend_id)] = row

    def flush(self) -> None:
        """Nothing to write: every change was written when it was made."""
