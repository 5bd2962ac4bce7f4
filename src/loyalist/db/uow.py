"""The unit of work: one database transaction, the time it runs at, and the events it raised."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy.orm import Session

from loyalist.db.base import sqlite_stamp
from loyalist.db.raw import RawReader


class WorkingSet(Protocol):
    def flush(self) -> None: ...


W = TypeVar("W", bound=WorkingSet)
E = TypeVar("E")


@dataclass
class UnitOfWork:
    """Passed first to every service function; services never commit.

    ``now`` is read once from the clock when the unit starts, so every row written by one
    operation carries the same instant. ``emit`` records a domain event that higher domains
    handle inside the same transaction (see ``bootstrap``). Domains may keep a working set
    for the unit (``state``) and register a ``before_commit`` hook to write it out.

    It is also a ``db.raw.Cursor``: repositories' fixed statements run on its connection,
    after its pending ORM changes are flushed (as a query would autoflush them), so they
    see its writes and hold its locks.
    """

    session: Session
    now: datetime
    events: list[Any] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    _hooks: list[Callable[[], None]] = field(default_factory=list)
    _rounds: list[dict[type, list[Any]]] = field(default_factory=list)
    _raw: RawReader | None = field(default=None, repr=False)

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _cursor(self) -> RawReader:
        self.session.flush()
        if self._raw is None:
            self._raw = RawReader.on_session(self.session)
        return self._raw

    def one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        return self._cursor().one(sql, params)

    def all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self._cursor().all(sql, params)

    def change(self, sql: str, params: tuple[Any, ...]) -> int:
        return self._cursor().change(sql, params)

    def stamp(self, value: datetime | None) -> Any:
        return value if self.dialect != "sqlite" else sqlite_stamp(value)

    def emit(self, event: Any) -> None:
        self.events.append(event)

    @contextmanager
    def dispatching(self, by_type: dict[type, list[Any]]) -> Iterator[None]:
        """The dispatcher hands out these events (in waves) within the block."""
        self._rounds.append(by_type)
        try:
            yield
        finally:
            self._rounds.pop()

    def upcoming(self, kind: type[E]) -> list[E]:
        """Every event of ``kind`` the current dispatch round hands to handlers, in all its
        waves (a handler gets one wave at a time; it may load the state of the later waves'
        members at once, in one query instead of one per wave)."""
        if not self._rounds:
            return []
        found: list[E] = self._rounds[-1].get(kind, [])
        return found

    def working_set(self, key: str, factory: Callable[[UnitOfWork], W]) -> W:
        """The unit's single instance of a domain's working set, created on first use; its
        ``flush`` runs before the unit commits."""
        found = self.state.get(key)
        if found is None:
            created = factory(self)
            self.state[key] = created
            self._hooks.append(created.flush)
            return created
        return cast(W, found)

    def finish(self) -> None:
        """Write out every working set (called by the runner before commit)."""
        for hook in self._hooks:
            hook()
