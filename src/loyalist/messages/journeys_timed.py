"""What the time-driven journeys share (points expiring and statements, tier warnings and
renewals, birthdays, win-back): their due jobs in short units.

A due job of a time-driven journey finds its candidates on a reader (a cheap, indexed
query: a band of dates, a blind index, the current scores), then decides and queues a
chunk of members per unit of work, so the SQLite writer is never held for long. Each chunk
decides again from what the database holds inside its unit, and every message is queued
once per ``(member, journey, natural_key, channel)``: a second worker (PostgreSQL) or a
rerun over the same members adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeys_kit as kit
from loyalist.settings import ProgramPolicy

#: Members decided per unit of work: each reads a few rows per member and queues at most a
#: message per channel (well under the 50 ms a unit may hold the SQLite writer).
CHUNK_MEMBERS = 200

#: Finds a journey's candidates (on a reader).
Find = Callable[[UnitOfWork, ProgramPolicy], list[int]]
#: Decides and queues for a chunk of candidates (in a writer's unit); returns messages queued.
Step = Callable[[UnitOfWork, Sequence[int], ProgramPolicy, kit.Setup], int]


def run_in_chunks(
    db: Database,
    program: ProgramPolicy,
    setup: kit.Setup,
    find: Find,
    step: Step,
    *,
    chunk: int = CHUNK_MEMBERS,
) -> int:
    """One pass of a time-driven journey: ``find`` on a reader, then ``step`` for each
    ``chunk`` members in a unit of its own. Returns the messages queued."""
    found = db.read(lambda uow: find(uow, program))

    def unit(part: Sequence[int]) -> Callable[[UnitOfWork], int]:
        return lambda uow: step(uow, part, program, setup)

    return sum(db.write(unit(found[i : i + chunk])) for i in range(0, len(found), chunk))
