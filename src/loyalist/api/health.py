"""Readiness (``/readyz``): whether this process should be sent traffic.

Three checks, each named in the answer with ``ok`` and a ``detail``: ``database`` (a
``SELECT 1`` answered within ``READY_TIMEOUT_SECONDS``), ``migrations`` (the database's
schema revision is this code's ``SCHEMA_HEAD``) and ``worker`` (some worker process, a
``loyalist worker`` or a server's embedded one, started a pass of due work within
``LOYALIST_WORKER_STALE_SECONDS``). Liveness (``/healthz``) asks nothing of the database.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any, Final

from loyalist.api.errors import NotReadyError
from loyalist.bootstrap import Loyalist, schema_revisions
from loyalist.operations import service as operations

#: How long each database statement of the checks may take.
READY_TIMEOUT_SECONDS: Final = 2.0
#: How long all the checks may take together (a frozen database, a connect that hangs).
READY_DEADLINE_SECONDS: Final = 3.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def _checks(loyalist: Loyalist, *, embedded_worker: bool) -> list[Check]:
    """The checks, in order (blocking: each reads the database)."""
    db = loyalist.db
    try:
        db.read(lambda uow: operations.probe(uow, READY_TIMEOUT_SECONDS))
    except Exception as exc:
        unreachable = "the database cannot be reached"
        return [
            Check("database", False, f"{unreachable} ({type(exc).__name__})"),
            Check("migrations", False, unreachable),
            Check("worker", False, unreachable),
        ]
    checks = [Check("database", True, "reachable")]
    current, head = schema_revisions(loyalist)
    checks.append(
        Check(
            "migrations",
            current == head,
            f"the database is at {current or 'no revision'}, this code at {head}"
            + ("" if current == head else ": run `loyalist init` to migrate"),
        )
    )
    try:
        beat = db.read(lambda uow: operations.last_heartbeat(uow, READY_TIMEOUT_SECONDS))
    except Exception as exc:
        checks.append(Check("worker", False, f"heartbeats unreadable ({type(exc).__name__})"))
        return checks
    stale = loyalist.settings.worker_stale_seconds
    if beat is None:
        where = (
            "the embedded worker has not run yet"
            if embedded_worker
            else "start `loyalist worker` (this server runs no embedded worker)"
        )
        checks.append(Check("worker", False, f"no worker ever started a pass: {where}"))
        return checks
    age = (loyalist.clock.now() - beat).total_seconds()
    checks.append(
        Check(
            "worker",
            age <= stale,
            f"the last pass of a worker started {age:.0f} s ago (stale after {stale:g} s)",
        )
    )
    return checks


async def readiness(loyalist: Loyalist, *, embedded_worker: bool) -> dict[str, Any]:
    """``{"status": "ready", "checks": [...]}`` when every check passes.

    Raises:
        NotReadyError: a check failed, or the checks took longer than
            ``READY_DEADLINE_SECONDS``; the problem lists every check.
    """
    try:
        checks = await asyncio.wait_for(
            asyncio.to_thread(_checks, loyalist, embedded_worker=embedded_worker),
            READY_DEADLINE_SECONDS,
        )
    except TimeoutError:
        late = f"no answer within {READY_DEADLINE_SECONDS:g} s"
        checks = [Check(name, False, late) for name in ("database", "migrations", "worker")]
    listed = [asdict(check) for check in checks]
    failed = [check.name for check in checks if not check.ok]
    if failed:
        raise NotReadyError(f"not ready: {', '.join(failed)}", extra={"checks": listed})
    return {"status": "ready", "checks": listed}
