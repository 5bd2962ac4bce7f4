"""Messages: the templates with a live preview in both languages (a new version saved and
audited), the journeys with their figures and their switch, and the delivery log with its
failures and resend. The campaigns' pages are ``console.campaigns`` (included here).

Every route is guarded by the permission of the API route it mirrors (``api.templates``,
``api.journeys``, ``api.messages``).

A preview's HTML is the email as it is sent, inline styles and all, so it cannot be shown
inside a console page (whose CSP forbids inline style). It is a document of its own,
``…/templates/<key>/<locale>/frame``, loaded in a sandboxed ``<iframe>``; the edge gives
that path alone a policy allowing the console to frame it, and makes the document
sandboxed itself (docs/decisions.md, issue 18, messages). A draft not saved yet reaches
the frame in its URL, signed with the session's CSRF token, so a link made elsewhere
cannot show content in the console's origin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import zlib
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import orjson
from fastapi import Depends, Path, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import MemberId, app_of, read, require, write
from loyalist.db.uow import UnitOfWork
from loyalist.errors import (
    DomainError,
    FieldError,
    InvalidRequestError,
    NotFoundError,
    RequestInvalidError,
)
from loyalist.i18n import SUPPORTED
from loyalist.messages import editing, previews
from loyalist.messages import service as messages
from loyalist.messages.contexts import SPECS, template_key
from loyalist.messages.journeyconf import NAMES, change_journey, journey_model, journeys
from loyalist.messages.models import MessageChannel, MessageStatus
from loyalist.messages.policy import RESENDABLE
from loyalist.messages.schemas import MessageRead, RenderedRead, TemplateIn
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.web.console import campaigns
from loyalist.web.console.kit import console_router, is_htmx, page, viewer
from loyalist.web.templating import render

router = console_router()
router.include_router(campaigns.router)

TemplateKeyPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
LocalePath = Annotated[str, Path(pattern=r"^[a-z]{2}$")]
#: Messages of the journeys' figures: those queued in the last days.
FIGURES_DAYS = 30
#: Lines of the delivery log per page.
LOG_PAGE = 50
#: A signed draft longer than this is not put in a frame's URL (servers refuse long lines).
DRAFT_URL_LIMIT = 12_000
_PARTS = ("subject", "text", "html", "short")


# -- templates ------------------------------------------------------------------------------
@router.get("/messages", dependencies=[Depends(require(P.MESSAGES_READ))])
async def messages_home(request: Request) -> Response:
    """The templates with their live version per language, and the journeys."""
    since = app_of(request).clock.now() - timedelta(days=FIGURES_DAYS)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "templates": editing.list_templates(uow),
            "journeys": _journey_rows(uow, since),
        }

    shown = await read(request, op)
    return await page(request, "console/messaging/index.html.j2", {**shown, "days": FIGURES_DAYS})


def _journey_rows(uow: UnitOfWork, since: datetime) -> list[dict[str, Any]]:
    live = journeys(uow)
    figures = messages.journey_figures(uow, since)
    skipped = {row["journey"]: row["skipped_count"] for row in messages.skipped_counts(uow)}
    empty = dict.fromkeys(("queued", "sent", "delivered", "opened", "clicked", "failed"), 0)
    return [
        {
            "name": name,
            "settings": getattr(live, name),
            "figures": figures.get(name, {**empty, "not_sent": 0}),
            "skipped": skipped.get(name, 0),
        }
        for name in NAMES
    ]


@router.get("/messages/templates/{key}", dependencies=[Depends(require(P.MESSAGES_READ))])
async def template_page(key: TemplateKeyPath, request: Request) -> Response:
    """A template's live source in both languages beside its preview; editing re-renders
    the previews, saving stores a new version."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return {locale: editing.template_view(uow, key, locale) for locale in SUPPORTED}

    live = await read(request, op)
    drafts = {
        locale: TemplateIn(**{p: getattr(view, p) for p in _PARTS}) for locale, view in live.items()
    }
    shown = {
        "key": key,
        "parts": [p.value for p in SPECS[template_key(key)].parts],
        "live": live,
        "drafts": drafts,
        "previews": await _previews(request, key, drafts),
        "errors": {},
    }
    return await page(request, "console/messaging/template.html.j2", shown)


def _drafts(form: Any, key: str) -> dict[str, TemplateIn]:
    parts = SPECS[template_key(key)].parts
    return {
        locale: TemplateIn(
            **{
                p.value: str(form.get(f"{locale}.{p.value}", "")).replace("\r\n", "\n")
                for p in parts
            }
        )
        for locale in SUPPORTED
    }


async def _previews(request: Request, key: str, drafts: dict[str, TemplateIn]) -> dict[str, Any]:
    """Per locale: the draft rendered (or the problem that stops it) and its frame's URL."""
    brand = messages.brand_kit(app_of(request).settings)
    secret = (await viewer(request)).csrf_token
    shown: dict[str, Any] = {}
    for locale, draft in drafts.items():
        try:
            rendered: RenderedRead | None = previews.preview_draft(key, locale, draft, brand=brand)
            problem = None
        except InvalidRequestError as exc:
            rendered, problem = None, exc
        token = _sign(secret, key, locale, draft)
        frame = f"/console/messages/templates/{key}/{locale}/frame"
        shown[locale] = {
            "rendered": rendered,
            "problem": problem,
            "frame": f"{frame}?draft={token}" if len(token) <= DRAFT_URL_LIMIT else None,
        }
    return shown


@router.post("/messages/templates/{key}/preview", dependencies=[Depends(require(P.MESSAGES_READ))])
async def template_preview(key: TemplateKeyPath, request: Request) -> Response:
    """Both previews of the draft in the form (nothing stored)."""
    template_key(key)
    drafts = _drafts(await request.form(), key)
    shown = {"key": key, "previews": await _previews(request, key, drafts)}
    return render("console/messaging/previews.html.j2", shown)


@router.get(
    "/messages/templates/{key}/{locale}/frame", dependencies=[Depends(require(P.MESSAGES_READ))]
)
async def template_frame(
    key: TemplateKeyPath,
    locale: LocalePath,
    request: Request,
    draft: Annotated[str | None, Query(max_length=DRAFT_URL_LIMIT)] = None,
) -> Response:
    """The email's HTML of a draft (signed by the template page) or of the live version,
    as a document of its own for the page's sandboxed frame."""
    brand = messages.brand_kit(app_of(request).settings)
    try:
        if draft is None:
            view = await read(request, lambda uow: editing.template_view(uow, key, locale))
            given = TemplateIn(**{p: getattr(view, p) for p in _PARTS})
        else:
            given = _opened(draft, (await viewer(request)).csrf_token, key, locale)
        rendered = previews.preview_draft(key, locale, given, brand=brand)
    except DomainError as exc:
        # Shown inside the frame, under the frame's policy: a page of its own, unstyled.
        shown = {"problem": exc}
        return render("console/messaging/frame_problem.html.j2", shown, status=_status(exc))
    return HTMLResponse(rendered.html or "")


def _status(exc: DomainError) -> int:
    """The status a problem shown in a preview's frame is answered with."""
    return 404 if isinstance(exc, NotFoundError) else 422


def _sign(secret: str, key: str, locale: str, draft: TemplateIn) -> str:
    packed = zlib.compress(orjson.dumps(draft.model_dump(exclude_none=True)), 9)
    body = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    mac = hmac.new(secret.encode(), f"{key}/{locale}/{body}".encode(), hashlib.sha256)
    return f"{body}.{base64.urlsafe_b64encode(mac.digest()[:18]).decode()}"


def _opened(token: str, secret: str, key: str, locale: str) -> TemplateIn:
    body, _, signature = token.partition(".")
    mac = hmac.new(secret.encode(), f"{key}/{locale}/{body}".encode(), hashlib.sha256)
    expected = base64.urlsafe_b64encode(mac.digest()[:18]).decode()
    refused = RequestInvalidError(
        "this preview's link was not made by your session's template page",
        errors=[FieldError("#query/draft", "not signed by this session")],
    )
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        raise refused
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return TemplateIn.model_validate(orjson.loads(raw))
    except (ValueError, zlib.error):
        raise refused from None


@router.post("/messages/templates/{key}/save")
async def template_save(
    key: TemplateKeyPath,
    request: Request,
    who: Annotated[Principal, Depends(require(P.MESSAGES_WRITE))],
) -> Response:
    """Store each language's draft as a new version (unchanged ones store nothing), each
    audited as ``template.changed``; problems are shown at their field."""
    drafts = _drafts(await request.form(), key)
    errors: dict[str, str] = {}
    saved: dict[str, int] = {}
    for locale, draft in drafts.items():

        def op(uow: UnitOfWork, locale: str = locale, draft: TemplateIn = draft) -> Any:
            return editing.save_template(uow, key, locale, draft, who.actor, who=who.name)

        try:
            found, created = await write(request, op)
        except InvalidRequestError as exc:
            errors.update({f"{locale}.{e.pointer.strip('/')}": e.detail for e in exc.errors})
            errors.setdefault(f"{locale}.", exc.detail)
            continue
        if created:
            saved[locale] = found.version
    shown = {"key": key, "saved": saved, "errors": errors}
    return render("console/messaging/saved.html.j2", shown, status=422 if errors else 200)


# -- journeys -------------------------------------------------------------------------------
@router.post("/messages/journeys/{name}")
async def journey_switch(
    name: Annotated[str, Path(max_length=40)],
    request: Request,
    who: Annotated[Principal, Depends(require(P.MESSAGES_WRITE))],
) -> Response:
    """Switch a journey on or off (its other settings kept), audited as ``journey.changed``;
    answers the journeys' table."""
    journey_model(name)
    enabled = (await request.form()).get("enabled") == "true"
    since = app_of(request).clock.now() - timedelta(days=FIGURES_DAYS)

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        settings = getattr(journeys(uow), name).model_copy(update={"enabled": enabled})
        change_journey(uow, name, settings, who.actor, who=who.name)
        return _journey_rows(uow, since)

    rows = await write(request, op)
    shown = {"journeys": rows, "days": FIGURES_DAYS, "viewer": await viewer(request)}
    return render("console/messaging/journeys.html.j2", shown)


# -- the delivery log -----------------------------------------------------------------------
@router.get("/messages/log", dependencies=[Depends(require(P.MESSAGES_READ))])
async def delivery_log(
    request: Request,
    status: Annotated[str, Query(max_length=20)] = "",
    channel: Annotated[str, Query(max_length=20)] = "",
    before: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    """Messages newest first, filtered by status and channel (empty: any), each failure
    with its reason; a failed one may be sent again."""
    after = _cursor(before)
    try:
        wanted = MessageStatus(status) if status else None
        on = MessageChannel(channel) if channel else None
    except ValueError:
        raise RequestInvalidError(
            "no such status or channel",
            errors=[
                FieldError("#query/status", "a message status"),
                FieldError("#query/channel", "a channel"),
            ],
        ) from None

    def op(uow: UnitOfWork) -> list[MessageRead]:
        return messages.find_messages(
            uow, status=wanted, channel=on, before=after, limit=LOG_PAGE + 1
        )

    found = await read(request, op)
    shown = {
        "rows": found[:LOG_PAGE],
        "next": _next(found),
        "status": status,
        "channel": channel,
        "statuses": [s.value for s in MessageStatus],
        "channels": [c.value for c in MessageChannel],
        "resendable": {s.value for s in RESENDABLE},
    }
    if is_htmx(request):
        return render(
            "console/messaging/log_rows.html.j2", {**shown, "viewer": await viewer(request)}
        )
    return await page(request, "console/messaging/log.html.j2", shown)


def _cursor(before: str | None) -> tuple[datetime, str] | None:
    if not before:
        return None
    at, _, message_id = before.partition("|")
    refused = RequestInvalidError(
        "not a page of the log", errors=[FieldError("#query/before", "not a log position")]
    )
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise refused from None
    if when.tzinfo is None:  # the log's own links carry an offset; a naive time is no position
        raise refused
    try:
        return when.astimezone(UTC), message_id
    except OverflowError:  # past year 9999 in UTC
        raise refused from None


def _next(found: list[MessageRead]) -> str | None:
    if len(found) <= LOG_PAGE:
        return None
    last = found[LOG_PAGE - 1]
    return f"{last.created_at.isoformat()}|{last.id}"


@router.post("/messages/log/{member_id:path}/{message_id}/resend")
async def resend(
    member_id: MemberId,
    message_id: Annotated[str, Path(max_length=40)],
    request: Request,
    who: Annotated[Principal, Depends(require(P.MESSAGES_SEND))],
) -> Response:
    """Send a failed (or not configured) message again, as the same message; answers its
    line of the log."""
    why = str((await request.form()).get("reason", ""))[:300] or None

    def op(uow: UnitOfWork) -> MessageRead:
        return messages.resend(uow, member_id, message_id, by=f"staff user {who.name}", why=why)

    row = await write(request, op)
    shown = {
        "row": row,
        "resendable": {s.value for s in RESENDABLE},
        "viewer": await viewer(request),
    }
    return render("console/messaging/log_row.html.j2", shown)
