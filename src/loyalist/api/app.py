"""The FastAPI application: routes, problem+json, and the embedded worker on SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
from collections.abc import AsyncIterator, Callable
from typing import IO

import anyio
from fastapi import FastAPI, Request
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.engine import make_url
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from loyalist import __version__
from loyalist.api import (
    adjustments,
    api_keys,
    audit,
    auth,
    campaign_reports,
    campaign_sends,
    campaigns,
    checkout,
    connectors,
    consents,
    coupon_codes,
    coupons,
    events,
    gamification,
    insights,
    journeys,
    members,
    messages,
    packing,
    points,
    preferences,
    privacy,
    problems,
    providers,
    recommendations,
    referrals,
    reveals,
    rewards,
    roles,
    rules,
    segments,
    staff,
    surveys,
    templates,
    tiers,
    unsubscribe,
    webhooks,
)
from loyalist.api.deps import DenialLog, KeyCache, session_cookie
from loyalist.api.docs import install_docs
from loyalist.api.edge import Edge
from loyalist.api.faults import Faults
from loyalist.api.guard import Guard
from loyalist.api.health import readiness
from loyalist.api.lean import LeanRoutes
from loyalist.api.observe import Exposition, observed
from loyalist.api.responses import JsonResponse, restore_example_nulls
from loyalist.api.reveals import RevealLimit
from loyalist.api.throttle import SignInGuard
from loyalist.bootstrap import Loyalist
from loyalist.db.errors import database_fault
from loyalist.staff.passwords import Hasher

log = logging.getLogger("loyalist.api")
#: A full batch of 1,000 large orders fits with room to spare.
MAX_BODY_BYTES = 16 * 1024 * 1024


class WorkerTurn:
    """Whether this server process runs the embedded worker. With several processes on one
    SQLite file (``loyalist serve --workers N``), only the one holding an exclusive lock on
    ``<database file>.worker-lock`` does; the others ask again every pass, so one of them
    takes over when the holder exits (the system drops its lock)."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        database = url.database if url.get_backend_name() == "sqlite" else None
        self._path = f"{database}.worker-lock" if database and database != ":memory:" else None
        self._held: IO[bytes] | None = None

    def mine(self) -> bool:
        if self._path is None or self._held is not None:
            return True
        handle = open(self._path, "ab")  # noqa: SIM115 (held open while the lock is)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._held = handle
        return True

    def release(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None


async def _embedded_worker(app: Loyalist, stop: asyncio.Event) -> None:
    """Due work every ``worker_interval_seconds`` until ``stop`` is set; then it returns
    after the job it is in (the job runs in a thread, which cannot be cancelled)."""
    interval = app.settings.worker_interval_seconds
    turn = WorkerTurn(app.settings.effective_database_url)
    try:
        while not stop.is_set():
            if turn.mine():
                await _drain(app, stop)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
    finally:
        turn.release()


async def _drain(app: Loyalist, stop: asyncio.Event) -> None:
    try:
        # Drain the due work, one unit per pass, before waiting for the next interval.
        busy = True
        while busy and not stop.is_set():
            done = await asyncio.to_thread(app.run_due_work, stopping=stop.is_set)
            busy = done.did_work
    except Exception as exc:
        fault = database_fault(exc)
        if fault is None:
            log.exception("embedded worker pass failed; retrying")
        else:  # counted in the incident the requests log, not a traceback every pass
            app.db.outage.noticed(fault, answered=False)


class _Api(FastAPI):
    """FastAPI with the hot routes answered in front of its stack (``api.lean``), and every
    answer stamped with its request id and security headers (``api.edge``)."""

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        # Starlette's outermost layer answers an unexpected error and raises it again, and
        # the server then closes the connection: ``api.faults`` answers it instead.
        if isinstance(stack, ServerErrorMiddleware):
            stack = stack.app
        lean = LeanRoutes(self, stack, MAX_BODY_BYTES)
        settings: Loyalist = self.state.loyalist
        guarded = Faults(
            lean,
            outage=settings.db.outage,
            retry_after_seconds=settings.settings.db.retry_after_seconds,
            max_body_size=MAX_BODY_BYTES,
            problem_base=settings.settings.api.problem_base,
        )
        return Edge(
            observed(self, guarded),
            session_cookie=session_cookie(settings.settings.staff),
            widget_origins=settings.settings.portal.widget_origins,
        )


def create_app(
    loyalist: Loyalist, *, embedded_worker: bool | None = None, owns_loyalist: bool = False
) -> FastAPI:
    """The API on ``loyalist``. Its shutdown (after the server's requests in flight have
    finished) lets the embedded worker finish its job, and with ``owns_loyalist`` closes
    ``loyalist``: the units of work still queued are committed first."""
    run_worker = (
        loyalist.db.is_sqlite and loyalist.settings.embedded_worker
        if embedded_worker is None
        else embedded_worker
    )

    stops: list[Callable[[], None]] = []

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(_embedded_worker(loyalist, stop)) if run_worker else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task
            for halt in stops:
                halt()
            if owns_loyalist:
                await asyncio.to_thread(loyalist.close)

    docs = loyalist.settings.api.docs
    api = _Api(
        title="Loyalist",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        max_body_size=MAX_BODY_BYTES,
        description="Loyalty, referral and retention platform. Errors are RFC 9457 "
        "problem+json with a stable `code` and JSON-pointer `errors`.",
    )
    api.state.loyalist = loyalist
    api.state.key_cache = KeyCache()
    # The database reads of requests run in threads, at most as many at once as the pool
    # keeps connections: more would open (and close) a connection each and only add
    # threads contending for the interpreter lock.
    api.state.read_limiter = anyio.CapacityLimiter(loyalist.db.pool_size)
    api.state.denials = DenialLog()
    api.state.coupon_guard = Guard(loyalist.settings.coupon_guard)
    api.state.reveal_limit = RevealLimit(loyalist.settings.reveal)
    staff_settings = loyalist.settings.staff
    api.state.sign_in_guard = SignInGuard(staff_settings)
    api.state.password_hasher = Hasher(
        time_cost=staff_settings.password_time_cost,
        memory_kib=staff_settings.password_memory_kib,
        parallelism=staff_settings.password_parallelism,
    )
    problems.install(api, loyalist.settings.api.problem_base)
    install_docs(api, reference=docs)
    # Routes are matched in order, one by one: the busiest routers come first.
    api.include_router(checkout.router)
    api.include_router(coupons.router)
    api.include_router(points.router)
    api.include_router(adjustments.router)
    api.include_router(events.router)
    api.include_router(connectors.router)
    api.include_router(members.router)
    api.include_router(reveals.router)
    api.include_router(consents.router)
    api.include_router(privacy.router)
    api.include_router(rules.router)
    api.include_router(tiers.router)
    api.include_router(coupon_codes.router)
    api.include_router(rewards.router)
    api.include_router(referrals.router)
    api.include_router(insights.router)
    api.include_router(segments.router)
    api.include_router(recommendations.router)
    api.include_router(gamification.router)
    api.include_router(messages.router)
    api.include_router(templates.router)
    api.include_router(packing.router)
    api.include_router(journeys.router)
    api.include_router(campaigns.router)
    api.include_router(campaign_sends.router)
    api.include_router(campaign_reports.router)
    api.include_router(webhooks.router)
    api.include_router(unsubscribe.router)
    api.include_router(preferences.router)
    api.include_router(providers.router)
    api.include_router(surveys.router)
    api.include_router(roles.router)
    api.include_router(api_keys.router)
    api.include_router(audit.router)
    api.include_router(auth.router)
    api.include_router(staff.router)

    @api.get("/healthz", tags=["health"])
    async def healthz() -> Response:
        return JsonResponse({"status": "ok", "version": __version__})

    # Operators' routes, outside the API's document: readiness (api.health) and metrics
    # (api.observe, docs/observability.md).
    @api.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        return JsonResponse(await readiness(loyalist, embedded_worker=run_worker))

    metrics = loyalist.settings.metrics
    if metrics.enabled:
        exposition = Exposition(loyalist, metrics.token.get_secret_value())

        @api.get("/metrics", include_in_schema=False)
        async def metrics_page(request: Request) -> Response:
            exposition.authorize(request.headers.get("authorization", ""))
            text = await asyncio.to_thread(exposition.render)
            return Response(text, media_type=CONTENT_TYPE_LATEST)

    if loyalist.settings.tracing.enabled:
        from loyalist.api import tracing  # OpenTelemetry only when asked for

        stops.append(tracing.install(api, loyalist))

    original = api.openapi

    def openapi() -> dict[str, object]:
        if api.openapi_schema:
            return api.openapi_schema
        schema = original()
        events.document(schema)
        restore_example_nulls(schema)
        problems.document(schema)
        api.openapi_schema = schema
        return schema

    api.openapi = openapi  # type: ignore[method-assign]
    return api
