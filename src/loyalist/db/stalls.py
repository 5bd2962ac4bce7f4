"""PostgreSQL connections that give up on a server that stopped answering.

A stopped server closes its connections and a refused connect fails at once, but a frozen
one (a stalled disk or host, a paused VM) keeps its sockets open and answers nothing: its
own ``statement_timeout`` never fires, and a client would wait as long as it is frozen.
Every wait on such a connection is therefore bounded on the client side too, a little past
the statement timeout (the server's own limit answers first when it is alive); past it,
the connection is closed (the pool discards it) and the wait fails with an
``OperationalError`` that ``db.errors`` reads as the database being unavailable.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import Engine, event


class _BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait on the server ends after ``wait_limit`` s."""

    wait_limit: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        limit = timeout if timeout is not None else self.wait_limit
        try:
            return super().wait(gen, interval, limit)
        except pg_errors._WaitTimeout:  # psycopg's only signal for it
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {limit:g} s"
            ) from None


def wait_limit(statement_seconds: float) -> float | None:
    """How long one wait on the server may last: the statement timeout and a margin (10 %,
    at least a second) for its answer to arrive; None (no limit) without one."""
    if statement_seconds <= 0:
        return None
    return statement_seconds + max(1.0, statement_seconds / 10)


def bound_waits(engine: Engine, statement_seconds: float) -> None:
    """Open ``engine``'s psycopg connections with every wait bounded (see the module)."""
    limit = wait_limit(statement_seconds)
    if limit is None:
        return

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        connection = _BoundedConnection.connect(*cargs, **cparams)
        connection.wait_limit = limit
        return connection
