"""Coupons: campaigns with usage, bulk generation with progress, CSV export, redemption look-up
and rollback.

Each page and action is guarded by the permission of the API route it mirrors: campaigns
and their batches ``program.read`` (``GET /coupon-campaigns``), generating codes
``coupons.write``, the export ``coupons.export``, looking redemptions up ``checkout.read``
and rolling one back ``checkout.use``.

Generating codes runs in the background of this server process: the form starts the batch
(so a bad request is refused at once, at its field), a thread fills it chunk by chunk
(``coupons.generation.generate``, each chunk committed), and the page polls the batch row,
which holds how many codes are stored. The form carries a request key made when it was
shown, so a second click resumes the same batch instead of making another. When the
application shuts down its runs stop after the chunk they are writing (nothing half
written: a chunk is one transaction) and the shutdown waits for them; the batch page
offers to resume what was left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
from collections.abc import AsyncIterator
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from loyalist.api import coupon_codes
from loyalist.api.deps import app_of, read, require, write
from loyalist.api.masking import codes_for
from loyalist.audit import service as audit
from loyalist.coupons import generation
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CodeMode
from loyalist.coupons.schemas import GenerateIn, Key, RollbackIn
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.web.console import kit

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("loyalist.web")
#: A path segment no campaign key can take (keys start with a letter or digit).
REDEMPTIONS = "/coupons/_redemptions"
BatchId = Annotated[int, Path(ge=1, le=2**63 - 1)]
RedemptionId = Annotated[str, Path(min_length=1, max_length=40)]
#: Redemptions a look-up shows at most.
LOOKUP_LIMIT = 50


class Stopped(Exception):
    """The server is stopping: a run ends after its last committed chunk."""


class Runs:
    """The generation runs of this server process, by batch id: whether one is still
    running, and the problem that stopped it."""

    def __init__(self) -> None:
        self._runs: dict[int, asyncio.Future[generation.GenerationRun]] = {}
        self._stopping = threading.Event()

    def start(self, db: Database, key: str, spec: GenerateIn, batch_id: int) -> None:
        if self._stopping.is_set() or self.is_running(batch_id):
            return
        loop = asyncio.get_running_loop()
        run = partial(
            generation.generate,
            db,
            key,
            spec,
            progress=self._go_on,
            chunk_size=generation.progress_chunk(spec.count),
        )
        future = loop.run_in_executor(None, run)
        future.add_done_callback(partial(_logged, batch_id))
        self._runs[batch_id] = future

    def is_running(self, batch_id: int) -> bool:
        future = self._runs.get(batch_id)
        return future is not None and not future.done()

    def _go_on(self, _generated: int, _requested: int) -> None:
        """Called between chunks (in the run's thread): stop there once asked to."""
        if self._stopping.is_set():
            raise Stopped("the server stopped before the batch was complete; resume it")

    async def stop(self) -> None:
        """Ask every run to stop after the chunk it is writing, and wait until they have."""
        self._stopping.set()
        pending = [f for f in self._runs.values() if not f.done()]
        if pending:
            await asyncio.wait(pending)

    def failure(self, batch_id: int) -> str | None:
        future = self._runs.get(batch_id)
        if future is None or not future.done() or future.cancelled():
            return None
        error = future.exception()
        return None if error is None else str(error)


def _logged(batch_id: int, future: asyncio.Future[generation.GenerationRun]) -> None:
    error = None if future.cancelled() else future.exception()
    if isinstance(error, Stopped):
        log.info("generating coupon batch %s paused at shutdown", batch_id)
    elif error is not None:
        log.error("generating coupon batch %s stopped: %s", batch_id, error)


@contextlib.asynccontextmanager
async def _stop_runs_at_shutdown(app: Any) -> AsyncIterator[None]:
    """The application's lifespan part of this module: no run outlives the application
    (its database is closed after the lifespan ends)."""
    yield
    found = getattr(app.state, "coupon_runs", None)
    if isinstance(found, Runs):
        await found.stop()


router = kit.console_router(lifespan=_stop_runs_at_shutdown)


def runs_of(request: Request) -> Runs:
    """The process's runs, kept with the application."""
    state = request.app.state
    found = getattr(state, "coupon_runs", None)
    if found is None:
        found = state.coupon_runs = Runs()
    assert isinstance(found, Runs)
    return found


def major(amount: int, currency: str) -> Decimal:
    """An amount in minor units as the currency's units (for the ``money`` filter)."""
    return Decimal(amount).scaleb(-minor_unit_exponent(currency))


async def _page(request: Request, template: str, context: dict[str, Any]) -> Response:
    return await kit.page(request, template, {**context, "major": major})


def parsed(model: type[M], form: dict[str, Any]) -> M:
    """``form`` as ``model``; a field that does not fit is a 422 pointing at it."""
    try:
        return model.model_validate(form)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None


# -- campaigns ----------------------------------------------------------------------------
@router.get("/coupons", dependencies=[Depends(require(P.PROGRAM_READ))])
async def campaigns_page(request: Request) -> Response:
    """Every campaign with its usage: codes issued, redeemed, redemption rate, discount."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return coupons.campaign_figures(uow, coupons.list_campaigns(uow))

    shown = {"campaigns": await read(request, op)}
    return await _page(request, "console/coupons/list.html.j2", shown)


@router.get(REDEMPTIONS)
async def look_up(
    request: Request,
    who: Annotated[Principal, Depends(require(P.CHECKOUT_READ))],
    code: Annotated[str, Query(max_length=64)] = "",
    order: Annotated[str, Query(max_length=128)] = "",
) -> Response:
    """Redemptions of a code or of an order, newest first (codes masked for those without
    ``coupons.export``, as the API shows them)."""
    code, order = code.strip(), order.strip()

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return coupons.find_redemptions(
            uow, code=code or None, order_id=order or None, limit=LOOKUP_LIMIT
        )

    found = codes_for(who, await read(request, op)) if code or order else []
    shown = {"redemptions": found, "code": code, "order": order, "asked": bool(code or order)}
    template = "_redemptions" if kit.is_htmx(request) else "redemptions"
    return await _page(request, f"console/coupons/{template}.html.j2", shown)


@router.get(f"{REDEMPTIONS}/{{redemption_id}}")
async def redemption_row(
    redemption_id: RedemptionId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.CHECKOUT_READ))],
) -> Response:
    """One redemption as a row of the look-up (``GET /coupons/redemptions/{id}``)."""
    return await _redemption(request, who, redemption_id, "_redemption")


@router.get(f"{REDEMPTIONS}/{{redemption_id}}/rollback")
async def rollback_form(
    redemption_id: RedemptionId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.CHECKOUT))],
) -> Response:
    """The confirmation of a rollback: what it undoes, and its reason."""
    return await _redemption(request, who, redemption_id, "_rollback")


async def _redemption(
    request: Request, who: Principal, redemption_id: str, template: str
) -> Response:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        return coupons.redemption_view(uow, coupons.get_redemption(uow, redemption_id))

    shown = {"redemption": codes_for(who, await read(request, op))}
    return await _page(request, f"console/coupons/{template}.html.j2", shown)


@router.post(f"{REDEMPTIONS}/{{redemption_id}}/rollback")
async def roll_back(
    redemption_id: RedemptionId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.CHECKOUT))],
) -> Response:
    """Undo a redemption with a reason (the use goes back to the code), audited as
    ``coupon_redemption.rolled_back``."""
    form = await request.form()
    body = parsed(RollbackIn, {"reason": str(form.get("reason", "")).strip()})

    def op(uow: UnitOfWork) -> dict[str, Any]:
        before = coupons.redemption_view(uow, coupons.get_redemption(uow, redemption_id))
        after = coupons.redemption_view(uow, coupons.rollback(uow, redemption_id, body.reason))
        if before["status"] != after["status"]:
            audit.record(
                uow,
                who.actor,
                "coupon_redemption.rolled_back",
                target_type="coupon_redemption",
                target_id=redemption_id,
                before={"status": before["status"]},
                after={"status": after["status"]},
                reason=body.reason,
            )
        return after

    shown = {"redemption": codes_for(who, await write(request, op)), "done": True}
    return await _page(request, "console/coupons/_redemption.html.j2", shown)


@router.get("/coupons/{key}", dependencies=[Depends(require(P.PROGRAM_READ))])
async def campaign_page(key: Key, request: Request) -> Response:
    """A campaign: its rules, usage and batches; generation and export for those who may."""

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], dict[str, Any], list[generation.BatchView]]:
        campaign = coupons.get_campaign(uow, key)
        (figures,) = coupons.campaign_figures(uow, [campaign])
        view = coupons.campaign_view(uow, campaign)
        return view, figures, generation.campaign_batches(uow, key)

    view, figures, batches = await read(request, op)
    runs = runs_of(request)
    shown = {
        "campaign": view,
        "figures": figures,
        "batches": [_batch_shown(b, runs) for b in reversed(batches)],
        "is_unique": view["code_mode"] == CodeMode.UNIQUE,
        "request_key": _request_key(),
    }
    return await _page(request, "console/coupons/detail.html.j2", shown)


# -- generation ---------------------------------------------------------------------------
def _request_key() -> str:
    """A new batch's request key: the form sends it, so a repeated click resumes the batch."""
    return f"console-{secrets.token_hex(8)}"


def _batch_shown(batch: generation.BatchView, runs: Runs) -> dict[str, Any]:
    return {
        "batch": batch,
        "is_running": runs.is_running(batch.id),
        "failure": runs.failure(batch.id),
    }


def _spec_of(batch: generation.BatchView) -> GenerateIn:
    pattern = batch.pattern
    return GenerateIn(
        count=batch.requested,
        length=pattern.length,
        prefix=pattern.prefix,
        group=pattern.group,
        request_key=batch.request_key,
    )


@router.post("/coupons/{key}/batches", dependencies=[Depends(require(P.COUPONS_WRITE))])
async def generate(key: Key, request: Request) -> Response:
    """Start generating a batch (or resume the form's batch) and answer its progress."""
    form = await request.form()
    fields = ("count", "length", "prefix", "group", "request_key")
    spec = parsed(GenerateIn, {f: str(form.get(f, "")).strip() for f in fields})
    db = app_of(request).db

    def op(uow: UnitOfWork) -> generation.BatchView:
        return generation.view(generation.start_or_resume(uow, key, spec), key)

    batch = await write(request, op)
    runs = runs_of(request)
    if not batch.is_ready:
        runs.start(db, key, spec, batch.id)
    shown = {**_batch_shown(batch, runs), "next_key": _request_key()}
    return await _page(request, "console/coupons/_batch.html.j2", shown)


@router.get("/coupons/{key}/batches/{batch_id}", dependencies=[Depends(require(P.PROGRAM_READ))])
async def batch_progress(key: Key, batch_id: BatchId, request: Request) -> Response:
    """A batch's progress (the fragment the page polls while it is generated)."""
    batch = await read(request, lambda uow: generation.get_batch(uow, key, batch_id))
    shown = _batch_shown(batch, runs_of(request))
    return await _page(request, "console/coupons/_batch.html.j2", shown)


@router.post(
    "/coupons/{key}/batches/{batch_id}/resume", dependencies=[Depends(require(P.COUPONS_WRITE))]
)
async def resume(key: Key, batch_id: BatchId, request: Request) -> Response:
    """Go on with a batch whose run stopped (a restart, a failure): the codes stored stay."""
    batch = await read(request, lambda uow: generation.get_batch(uow, key, batch_id))
    runs = runs_of(request)
    if not batch.is_ready:
        runs.start(app_of(request).db, key, _spec_of(batch), batch.id)
    return await _page(request, "console/coupons/_batch.html.j2", _batch_shown(batch, runs))


@router.get("/coupons/{key}/codes.csv", dependencies=[Depends(require(P.COUPONS_EXPORT))])
async def export(key: Key, request: Request) -> Response:
    """The campaign's usable codes as CSV: the API's export (``coupons.export``)."""
    return await coupon_codes.export_codes(key, request)
