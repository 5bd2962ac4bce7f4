"""A job's results kept in generations: staged in short units, published in one.

A table of generations (``id``, ``published_at``) and result tables whose rows name their
generation. Readers see the *current* generation only — the published one with the
greatest id — through a subquery of their own statement (:meth:`Generations.current`), so
each statement sees one whole generation while a newer one is published and an older one
deleted. Rows of a generation not yet (or never) published are invisible. Once a newer
generation is published, the older ones (replaced ones, stagings that failed or crashed)
are deleted a chunk per unit of work. See docs/decisions.md, "Issue 14: jobs write in short
units".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, ScalarSelect, Table, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from loyalist.db.bulk import delete_some
from loyalist.db.chunked import CHUNK_ROWS, repeat_until_done, write_in_chunks
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork

if TYPE_CHECKING:
    import polars as pl

log = logging.getLogger(__name__)

#: Stages a chunk of a frame under a generation: ``stage(uow, generation, chunk)``.
Stage = Callable[[UnitOfWork, int, "pl.DataFrame"], object]


class Generations:
    """The generations table and the result tables (``(table, generation column)``)."""

    def __init__(self, generations: Table, *results: tuple[Table, str]) -> None:
        self.table = generations
        self.results = results

    def current(self) -> ScalarSelect[Any]:
        """The current generation's id (null before the first publish), as a subquery."""
        t = self.table
        return select(func.max(t.c.id)).where(t.c.published_at.is_not(None)).scalar_subquery()

    def is_current(
        self, column: ColumnElement[Any] | InstrumentedAttribute[Any]
    ) -> ColumnElement[bool]:
        """``column`` (a result table's generation column) names the current generation."""
        return column == self.current()

    def publish(self, session: Session, generation: int, at: datetime) -> bool:
        """Make ``generation`` the current one; False (and nothing changes) when a newer
        one is published already (a concurrent run that read later data)."""
        if self.is_superseded(session, generation):
            return False
        t = self.table
        session.execute(update(t).where(t.c.id == generation).values(published_at=at))
        return True

    def is_superseded(self, session: Session, generation: int) -> bool:
        """Whether a generation newer than ``generation`` is published."""
        t = self.table
        newer = session.scalar(
            select(t.c.id).where(t.c.id > generation, t.c.published_at.is_not(None)).limit(1)
        )
        return newer is not None

    def has_superseded(self, session: Session) -> bool:
        """Whether generations older than the current one are left to delete."""
        t = self.table
        found = session.scalar(select(t.c.id).where(t.c.id < self.current()).limit(1))
        return found is not None

    def delete_superseded(self, session: Session, limit: int) -> int:
        """Delete up to ``limit`` result rows of generations older than the current one;
        when none are left, those generations. Returns the rows deleted."""
        for table, column in self.results:
            deleted = delete_some(session, table, table.c[column] < self.current(), limit)
            if deleted:
                return deleted
        self._delete_empty(session, self.table.c.id < self.current())
        return 0

    def discard(self, session: Session, generation: int, limit: int) -> int:
        """Delete up to ``limit`` result rows of ``generation`` (one never published);
        when none are left, the generation. Returns the rows deleted."""
        for table, column in self.results:
            deleted = delete_some(session, table, table.c[column] == generation, limit)
            if deleted:
                return deleted
        self._delete_empty(session, self.table.c.id == generation)
        return 0

    def _delete_empty(self, session: Session, which: ColumnElement[bool]) -> None:
        """Delete the generations ``which`` selects that have no result rows left (a run
        may still be staging into one), never the current one."""
        t = self.table
        empty = [
            ~select(table.c[column]).where(table.c[column] == t.c.id).exists()
            for table, column in self.results
        ]
        current = func.coalesce(self.current(), 0)
        session.execute(delete(t).where(which, t.c.id != current, *empty))


def publish_staged(
    db: Database,
    generations: Generations,
    frames: Sequence[tuple[pl.DataFrame, Stage]],
    *,
    begin: Callable[[UnitOfWork], int],
    publish: Callable[[UnitOfWork, int], bool],
    rows: int = CHUNK_ROWS,
) -> bool:
    """A job's results as a new generation: ``begin(uow)`` makes it and returns its id,
    each frame is staged ``rows`` rows per unit of work (``stage(uow, generation, chunk)``),
    ``publish(uow, generation)`` makes it current in one short unit (``generations.publish``)
    or declines (False). Returns whether it was published.

    What was staged is deleted (``rows`` rows per unit) when publishing declines, and when
    staging or publishing fails; if that fails too, the next generation published deletes
    it. A run that fails because a newer generation was published meanwhile (whose clean-up
    deleted its staged rows under it) only declines.

    Raises:
        Exception: what staging or publishing raised (after the staged rows are deleted).
    """
    generation = db.write(begin)
    try:
        for frame, stage in frames:
            write_in_chunks(db, frame, _staging(stage, generation), rows=rows)
        published = db.write(lambda uow: publish(uow, generation))
    except Exception:
        lost = _read_or_false(db, lambda uow: generations.is_superseded(uow.session, generation))
        _discard(db, generations, generation, rows)
        if lost:
            return False
        raise
    if not published:
        _discard(db, generations, generation, rows)
    return published


def drop_superseded(db: Database, generations: Generations, *, rows: int = CHUNK_ROWS) -> int:
    """Delete the generations older than the current one, ``rows`` result rows per unit of
    work; returns the rows deleted (0 at once when there are none: one read)."""
    if not db.read(lambda uow: generations.has_superseded(uow.session)):
        return 0
    return repeat_until_done(db, lambda uow: generations.delete_superseded(uow.session, rows))


def _staging(stage: Stage, generation: int) -> Callable[[UnitOfWork, pl.DataFrame], object]:
    return lambda uow, chunk: stage(uow, generation, chunk)


def _read_or_false(db: Database, check: Callable[[UnitOfWork], bool]) -> bool:
    try:
        return db.read(check)
    except Exception:
        return False


def _discard(db: Database, generations: Generations, generation: int, rows: int) -> None:
    try:
        repeat_until_done(db, lambda uow: generations.discard(uow.session, generation, rows))
    except Exception:
        log.exception("staged rows of generation %d not deleted; the next publish will", generation)
