"""The campaigns' due work: each pass writes the audiences of launched campaigns and
queues their due sends, a chunk per short unit of work (the SQLite writer serves everyone
else between two), then settles deadlines and finished campaigns (``broadcast``); and
judges the winners of campaigns whose measurement is complete (``report``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from loyalist.campaigns import audience, broadcast, report
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeys_kit as kit
from loyalist.settings import ProgramPolicy, Settings

log = logging.getLogger(__name__)


def broadcaster(settings: Settings) -> Callable[[Database, ProgramPolicy, int], int]:
    """The due job of the broadcasts (the shop's links in messages from ``settings``)."""
    setup = kit.Setup.of(settings)

    def run(db: Database, program: ProgramPolicy, limit: int) -> int:
        return run_due(db, program, limit, setup=setup)

    return run


def run_due(
    db: Database,
    program: ProgramPolicy,
    limit: int,
    *,
    setup: kit.Setup,
    chunk: int = audience.CHUNK,
    queue_chunk: int = broadcast.QUEUE_CHUNK,
) -> int:
    """Do the broadcast work due now of up to ``limit`` campaigns; returns the sends
    written and settled and the campaigns finished (0: nothing was due). A campaign whose
    work fails is logged and the others still go on (it is first in line again at the
    next pass); the first failure is raised once every campaign had its turn."""
    done = 0
    failed: Exception | None = None
    for key in db.read(lambda uow: broadcast.due_campaigns(uow, limit)):
        try:
            done += _run_one(db, program, key, setup=setup, chunk=chunk, queue_chunk=queue_chunk)
        except Exception as exc:
            log.exception("campaign %s: its broadcast failed; the other campaigns go on", key)
            failed = failed or exc
    if failed is not None:
        raise failed
    return done


def _run_one(
    db: Database,
    program: ProgramPolicy,
    key: str,
    *,
    setup: kit.Setup,
    chunk: int,
    queue_chunk: int,
) -> int:
    """One campaign's broadcast work due now, each step in its own short units."""

    def write(uow: UnitOfWork) -> int:
        return broadcast.write_audience(uow, key, program, chunk=chunk)

    def queue(uow: UnitOfWork) -> int:
        return broadcast.queue_due(uow, key, program, setup, chunk=queue_chunk)

    def settle(uow: UnitOfWork) -> int:
        return broadcast.settle(uow, key)

    done = 0
    while written := db.write(write):
        done += written
    while queued := db.write(queue):
        done += queued
    done += db.write(settle)
    return done


def judge_winners(db: Database, program: ProgramPolicy, limit: int) -> int:
    """Judge up to ``limit`` campaigns whose measurement is complete, each in its own unit:
    a campaign still measuring takes no place, and one whose judging fails is logged while
    the others are still judged (the first failure is raised once all had their turn)."""
    judged = 0
    failed: Exception | None = None
    for key in db.read(report.unjudged):
        if judged >= limit:
            break
        try:
            judged += db.write(functools.partial(report.judge, key=key, program=program))
        except Exception as exc:
            log.exception("campaign %s: judging its winner failed; the others go on", key)
            failed = failed or exc
    if failed is not None:
        raise failed
    return judged
