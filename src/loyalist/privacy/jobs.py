"""Privacy's due work: the retention job (wired in ``bootstrap``)."""

from __future__ import annotations

from loyalist.db.database import Database
from loyalist.privacy import retention
from loyalist.settings import ProgramPolicy


def run_retention(db: Database, program: ProgramPolicy, limit: int) -> int:
    """One chunk of each retention scan, each in a unit of its own, as the system (the
    audit rows' actor); after a unit that erased members, SQLite's write-ahead log is
    checkpointed so the page images that held their data leave the ``-wal`` file. Returns
    the members and orders visited (0: nothing was due)."""
    visited, erased = db.write(lambda uow: retention.erase_inactive(uow, program, limit=limit))
    if erased:
        db.checkpoint()
    return visited + db.write(lambda uow: retention.retire_orders(uow, program, limit=limit))
