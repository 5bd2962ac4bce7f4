"""What an operator sees of the requests: one JSON log line per request and the request
metrics, taken in front of the whole application (the hot routes of ``api.lean`` too), and
``/metrics`` in the Prometheus text format.

The log line (logger ``loyalist.requests``) carries the request id, the method, the route's
template (``/api/v1/members/{member_id}/points``, never the path with its ids or the query;
``unmatched`` when no route took the request), the status, the duration in milliseconds and
who called: ``api_key_id`` (the key's public id) or ``staff_user_id``. Never a secret or
personal data. The metrics are those of ``loyalist.metrics`` and, read when scraped, the
database's (``Database.stats``), the outbox backlog and the workers' heartbeat.

Per request this costs a clock read, a dict lookup of the route's label children and two
metric updates, and the log line when it is on: no regular expression, no database.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from typing import Any, Final

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loyalist import metrics
from loyalist.api.errors import MetricsTokenInvalidError
from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.logs import REQUEST_FIELDS, REQUEST_LOGGER
from loyalist.messages import service as messages
from loyalist.operations import service as operations

log = logging.getLogger(REQUEST_LOGGER)
#: Where the authentication leaves the caller of the request (``note_caller``).
CALLER: Final = "loyalist.caller"
UNMATCHED: Final = "unmatched"
#: Methods counted by name; any other is ``other`` (a client chooses the method: a label
#: per made-up method would grow the metrics without bound).
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_CLASSES = ("1xx", "1xx", "2xx", "3xx", "4xx", "5xx")
#: The database reads of a scrape give up after this long (the scrape still answers).
SCRAPE_DB_SECONDS: Final = 2.0


def note_caller(scope: Scope, actor: Actor) -> None:
    """Tell the request log who the request acts as (called by the authentication)."""
    scope[CALLER] = actor


class Observe:
    """The ASGI layer that logs and measures every HTTP request (see the module)."""

    def __init__(self, app: ASGIApp, api: FastAPI, *, log_requests: bool, measure: bool) -> None:
        self.app = app
        self._log = log_requests
        self._measure = measure
        # A route's template as the application serves it (its routers' prefixes included),
        # by the route object routing leaves in the scope.
        self._templates: dict[int, str] = {}
        for context in iter_route_contexts(api.routes):
            if context.path_format:
                self._templates.setdefault(id(context.original_route), context.path_format)
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the server answers when the application fails before answering

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template: str = (
            self._templates.get(id(route)) or getattr(route, "path_format", None) or UNMATCHED
        )
        method: str = scope["method"]
        if method not in _METHODS:
            method = "other"
        if self._measure:
            key = (method, template, _CLASSES[min(status // 100, 5)])
            children = self._children.get(key)
            if children is None:
                children = self._children[key] = (
                    metrics.REQUESTS.labels(*key),
                    metrics.REQUEST_SECONDS.labels(*key),
                )
            children[0].inc()
            children[1].observe(seconds)
        if self._log and log.isEnabledFor(logging.INFO):
            fields: dict[str, Any] = {
                "method": method,
                "route": template,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
            }
            caller: Actor | None = scope.get(CALLER)
            if caller is not None:
                if caller.kind is ActorKind.API_KEY:
                    fields["api_key_id"] = caller.id
                elif caller.kind is ActorKind.STAFF:
                    fields["staff_user_id"] = caller.id
            # Made and handled directly: ``log.info`` would first walk the stack for the
            # caller's file and line, which the line does not show.
            record = log.makeRecord(
                REQUEST_LOGGER,
                logging.INFO,
                "",
                0,
                "request",
                (),
                None,
                extra={REQUEST_FIELDS: fields},
            )
            log.handle(record)


class Exposition:
    """``/metrics`` of one application: the process's metrics (or, in multiprocess mode,
    every process's) and what is read at scrape time."""

    def __init__(self, loyalist: Loyalist, token: str) -> None:
        self._token = token.encode()
        self._scraped = CollectorRegistry(auto_describe=False)
        self._scraped.register(_ScrapeTime(loyalist))

    def authorize(self, authorization: str) -> None:
        """Raises MetricsTokenInvalidError unless no token is set or the header carries it
        (compared in constant time)."""
        if not self._token:
            return
        scheme, _, given = authorization.partition(" ")
        matches = hmac.compare_digest(given.strip().encode(), self._token)
        if scheme.lower() != "bearer" or not matches:
            raise MetricsTokenInvalidError(
                "send the metrics token (LOYALIST_METRICS__TOKEN) as 'Authorization: Bearer "
                "<token>'"
            )

    def render(self) -> bytes:
        """The text format (blocking: the scrape-time part reads the database)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            counted = CollectorRegistry()
            MultiProcessCollector(counted)  # type: ignore[no-untyped-call]
        else:
            counted = REGISTRY
        return generate_latest(counted) + generate_latest(self._scraped)


class _ScrapeTime:
    """The figures read when scraped: this process's writer and pools, and from the
    database the outbox backlog and the workers' last heartbeat (skipped, with a warning,
    when the database does not answer)."""

    def __init__(self, loyalist: Loyalist) -> None:
        self._loyalist = loyalist

    def collect(self) -> Iterator[Metric]:
        db = self._loyalist.db
        stats = db.stats()
        yield GaugeMetricFamily(
            "loyalist_writer_queue_depth",
            "Units of work waiting for this process's SQLite writer (PostgreSQL: merged "
            "writes waiting for a lane)",
            value=stats.queue_depth,
        )
        yield GaugeMetricFamily(
            "loyalist_writer_last_batch_size",
            "Units of work in the writer's last committed batch",
            value=stats.last_batch_size,
        )
        yield CounterMetricFamily(
            "loyalist_writer_batches", "Batches the writer committed", value=stats.batches
        )
        yield CounterMetricFamily(
            "loyalist_writer_batched_units",
            "Units of work in the writer's batches (divided by batches: the mean batch size)",
            value=stats.batched_units,
        )
        checked_out = GaugeMetricFamily(
            "loyalist_db_pool_checked_out",
            "Connections of this process's pool in use (up to twice the size with overflow)",
            labels=("pool",),
        )
        size = GaugeMetricFamily(
            "loyalist_db_pool_size", "Connections this process's pool keeps", labels=("pool",)
        )
        for name, (used, kept) in stats.pools.items():
            checked_out.add_metric((name,), used)
            size.add_metric((name,), kept)
        yield checked_out
        yield size
        try:
            backlog, overdue, beat = db.read(_database_figures)
        except Exception as exc:  # the scrape still answers what it knows
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            return
        yield GaugeMetricFamily(
            "loyalist_outbox_pending_messages",
            "Messages due and not yet delivered (queued, held past their time, retries due)",
            value=backlog,
        )
        yield GaugeMetricFamily(
            "loyalist_outbox_oldest_pending_age_seconds",
            "How long the longest-waiting due message is overdue (0: none is)",
            value=overdue,
        )
        if beat is not None:
            yield GaugeMetricFamily(
                "loyalist_worker_heartbeat_age_seconds",
                "Seconds since any worker last started a pass of due work",
                value=beat,
            )


def _database_figures(uow: UnitOfWork) -> tuple[int, float, float | None]:
    """``(due messages, oldest overdue seconds, seconds since the last heartbeat or None)``."""
    beat = operations.last_heartbeat(uow, SCRAPE_DB_SECONDS)  # bounds the reads after it
    backlog, overdue = messages.outbox_backlog(uow)
    return backlog, overdue, (uow.now - beat).total_seconds() if beat is not None else None


def observed(api: FastAPI, app: ASGIApp) -> ASGIApp:
    """``app`` behind the request log and metrics, or as it is when the settings switch
    both off (``LOYALIST_LOG_REQUESTS``, ``LOYALIST_METRICS__ENABLED``): then nothing is
    done per request."""
    settings = api.state.loyalist.settings
    if not (settings.log_requests or settings.metrics.enabled):
        return app
    return Observe(app, api, log_requests=settings.log_requests, measure=settings.metrics.enabled)
