"""Members' working sets carried from one unit of work to the next on SQLite's writer.

A batch import runs one unit of work per batch, and the same members come back batch after
batch; reloading their state each time is a large part of a batch's cost. On SQLite one
thread owns the only write connection, so what a book held when its unit committed is
still what is stored as long as nothing else wrote since. ``Carry`` keeps it on those
terms, and only those:

- **Where.** A unit that may use carried state says so first thing (``start``: the batch
  ingest does): it notes the write connection's ``total_changes`` and ``PRAGMA
  data_version`` before it writes anything. Units that do not (the API's other writes,
  jobs) never take carried state.
- **Ownership.** ``take`` hands a member's state to the asking unit and forgets it; the
  unit's book owns it until its unit commits. ``keep`` offers the book's members back; they
  are carried only once the outermost transaction has committed, and only if the unit was
  the last one that wrote in it (``total_changes`` at the commit is what it was when the
  unit's savepoint was released). A unit that rolled back never released its savepoint,
  and a transaction that rolled back never commits: their offers are never carried.
- **Invalidation.** Everything carried is dropped when, at a unit's ``start``, the write
  connection's ``total_changes`` moved since the carry was made (a unit of this process
  wrote in between: the API, a job, an erasure, a unit that wrote and rolled back), when
  ``data_version`` moved (another connection, in this process or another, committed), when
  the connection is not the one it was made on, or when the caller's ``key`` (the program
  the state was judged under: the same objects) differs. A unit's offer joins what is
  carried only if the unit found it valid at its start; otherwise it replaces it.
- **PostgreSQL** carries nothing: other processes write the same members between two
  units, and a unit's row locks end with it (``take`` finds nothing, ``keep`` drops).

At most ``size`` members are carried (the least recently kept go first), so a long import
keeps a flat memory.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from loyalist.db.uow import UnitOfWork

T = TypeVar("T")

_UNIT_KEY = "db.carry.start"


#: The write connection as a unit found it before writing: the connection, its
#: ``total_changes`` and ``PRAGMA data_version`` (equal marks: nothing written in between).
_Mark = tuple[sqlite3.Connection, int, int]


@dataclass
class _Entry(Generic[T]):
    mark: _Mark
    key: object
    members: OrderedDict[int, T] = field(default_factory=OrderedDict)


def start(uow: UnitOfWork) -> None:
    """The unit may use carried state: note the write connection before the unit writes
    (call it before the unit's first write; a later call changes nothing)."""
    if _UNIT_KEY in uow.state:
        return
    connection = _sqlite_connection(uow.session)
    uow.state[_UNIT_KEY] = (
        None
        if connection is None
        else (connection, connection.total_changes, _data_version(connection))
    )


class Carry(Generic[T]):
    """One domain's members carried between the units of SQLite's writer (one per process
    and domain, module level beside the book)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entry: _Entry[T] | None = None
        self._lock = Lock()

    def take(self, uow: UnitOfWork, key: object, member_ids: Iterable[int]) -> dict[int, T]:
        """The carried state of those of ``member_ids`` still valid for ``uow``, now owned by
        its book (forgotten here); the rest must be loaded. Nothing without ``start``."""
        mark: _Mark | None = uow.state.get(_UNIT_KEY)
        if mark is None:
            return {}
        with self._lock:
            entry = self._entry
            if entry is None:
                return {}
            if entry.mark != mark or not _same(entry.key, key):
                self._entry = None
                return {}
            return {m: entry.members.pop(m) for m in member_ids if m in entry.members}

    def keep(self, uow: UnitOfWork, key: object, members: dict[int, T]) -> None:
        """Offer the book's ``members`` (written out, nothing pending) to the next unit:
        carried once the unit's transaction commits, if nothing wrote after the unit."""
        mark: _Mark | None = uow.state.get(_UNIT_KEY)
        if mark is None or not members:
            return
        session = uow.session
        unit = session.get_nested_transaction()  # the unit's savepoint on the writer
        offer = _Offer(self, mark, key, members, unit)
        event.listen(session, "after_commit", offer.committed)

    def _publish(self, started: _Mark, key: object, members: dict[int, T]) -> None:
        connection = started[0]
        now = (connection, connection.total_changes, _data_version(connection))
        with self._lock:
            entry = self._entry
            if entry is None or entry.mark != started or not _same(entry.key, key):
                entry = _Entry(now, key)  # what was carried was not valid for this unit
            entry.mark = now
            for member_id, state in members.items():
                entry.members[member_id] = state
                entry.members.move_to_end(member_id)
            while len(entry.members) > self._size:
                entry.members.popitem(last=False)
            self._entry = entry


class _Offer(Generic[T]):
    """A unit's members waiting for its transaction's commit. The listener stays on the
    session (removing one while the session dispatches is not allowed) and does nothing once
    the offer is settled; the writer's sessions last one group commit."""

    def __init__(
        self,
        carry: Carry[T],
        started: _Mark,
        key: object,
        members: dict[int, T],
        unit: SessionTransaction | None,
    ) -> None:
        self.carry = carry
        self.started = started
        self.key = key
        self.members: dict[int, T] | None = members
        self.unit = unit
        #: ``total_changes`` when the unit's savepoint was released.
        self.released_at: int | None = None

    def committed(self, session: Session) -> None:
        if self.members is None:
            return
        connection = self.started[0]
        nested = session.get_nested_transaction()
        if nested is not None:  # a savepoint released; the outermost transaction is open
            if nested is self.unit:
                self.released_at = connection.total_changes
            return
        if self.unit is None or self.released_at == connection.total_changes:
            self.carry._publish(self.started, self.key, self.members)
        self.members = None


def _same(a: object, b: object) -> bool:
    """Keys are the objects state was judged under (cached programs): the same object, or
    tuples of the same objects."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
    return a is b


def _sqlite_connection(session: Session) -> sqlite3.Connection | None:
    """The DBAPI connection of the session's unit on SQLite; None on other databases."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    raw: Any = session.connection().connection.dbapi_connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def _data_version(connection: sqlite3.Connection) -> int:
    """Changes when another connection commits to the database file (``PRAGMA
    data_version``), never for this connection's own commits."""
    row = connection.execute("PRAGMA data_version").fetchone()
    return int(row[0])
