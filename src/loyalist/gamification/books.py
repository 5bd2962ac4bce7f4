"""Gamification's working set for one unit of work: the statistics (locked), badges held,
streaks, quest progress and profile facts of the members it touched, loaded once per unit
however many runs (waves) reach them, and written once, before the unit commits (one bulk
statement per table). Badges are the exception: each run inserts its awards as it finishes,
so that only the awards the insert really added are announced."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from loyalist.db.uow import UnitOfWork
from loyalist.gamification import repository
from loyalist.gamification.repository import ProgressRow, StatsRow, StreakRow
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
        self.progress: dict[tuple[int, str, str], ProgressRow] = {}
        #: ``(member, quest, period)`` whose progress row was looked for (found or not).
        self.progress_known: set[tuple[int, str, str]] = set()
        #: The dispatch rounds' fact lists whose members are loaded (``uow.upcoming``).
        self.rounds: list[Sequence[object]] = []

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

    def load_progress(self, wanted: Iterable[tuple[int, str, str]]) -> None:
        """Make sure the progress rows of these ``(member, quest, period)`` are here (those
        stored): the ones not looked for yet are read in one query."""
        missing = {key for key in wanted if key not in self.progress_known}
        if not missing:
            return
        member_ids = sorted({m for m, _, _ in missing})
        quests = sorted({q for _, q, _ in missing})
        periods = sorted({p for _, _, p in missing})
        found = repository.progress_of(self.uow.session, member_ids, quests, periods)
        for key, row in found.items():
            self.progress.setdefault(key, row)
        # The query read every combination of these members, quests and periods.
        self.progress_known.update((m, q, p) for m in member_ids for q in quests for p in periods)

    def write(self, now: datetime) -> None:
        """Write what changed: statistics, progress and streaks, one bulk statement each."""
        session = self.uow.session
        repository.write_stats(session, self.stats.values())
        repository.write_progress(session, self.progress.values(), now)
        repository.write_streaks(session, self.streaks.values(), now)

    def flush(self) -> None:
        self.write(self.uow.now)
