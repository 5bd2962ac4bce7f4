"""Gamification's working set for one unit of work: the statistics (locked), badges held,
streaks and profile facts of the members it touched, loaded once per unit however many
runs (waves) reach them. Each run writes what it changed when it finishes
(``progress.Run.finish``); the rows stay here, current, for the unit's next runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from loyalist.db.uow import UnitOfWork
from loyalist.gamification import repository
from loyalist.gamification.repository import StatsRow, StreakRow
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.tiers import service as tiers


class GameBook:
    """Members' state, loaded in a few queries the first time a run of the unit needs it."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.stats: dict[int, StatsRow] = {}
        self.badges: dict[int, set[str]] = {}
        self.streaks: dict[tuple[int, str], StreakRow] = {}
        self.facts: dict[int, members.MemberFacts] = {}

    @classmethod
    def of(cls, uow: UnitOfWork) -> GameBook:
        return uow.working_set("gamification.books", cls)

    def load(
        self,
        member_ids: Sequence[int],
        ledger_ids: Sequence[int],
        zone: tzinfo,
        *,
        tiers_read: bool,
        badges_held: bool,
        streaks: bool,
        profiles: bool,
    ) -> list[int]:
        """Lock and load the members not loaded yet, what the active definitions read of
        them (tiers, badges held, streaks, profiles); the ledger rows of ``ledger_ids``
        (members a quest may award points to, or every member when an expression reads
        lifetime points) are locked first. Returns ``member_ids`` sorted, all now held."""
        ids = sorted(set(member_ids))
        # Lock order of every unit: ledger balances, tiers, then the statistics rows.
        if ledger_ids:
            ledger.lock(self.uow, sorted(set(ledger_ids)))
        fresh = [m for m in ids if m not in self.stats]
        if fresh:
            if tiers_read:
                tiers.prepare(self.uow, fresh, zone)
            session = self.uow.session
            self.stats.update(repository.lock_stats(session, fresh))
            if badges_held:
                self.badges.update(repository.badges_of(session, fresh))
            if streaks:
                self.streaks.update(repository.streaks_of(session, fresh))
            if profiles:
                self.facts.update(members.member_facts(self.uow, fresh))
        return ids

    def flush(self) -> None:
        """Nothing left to write: every run writes its changes when it finishes."""
