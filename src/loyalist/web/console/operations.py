"""Operations: staff and roles, API keys, webhook endpoints, imports, the audit log, privacy
requests.

Each page and action is guarded by the permission of the API route it mirrors and calls the
same use cases. A form posts with HTMX and is answered with itself: on success cleared, with
what it did (a key's secret, shown this once); on a refusal with each problem next to the
field its pointer names (a grant beyond the user's own permissions at the permissions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Path
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from loyalist.activities import service as activities
from loyalist.activities.models import ImportJob
from loyalist.api import api_keys as api_keys_api
from loyalist.api import audit as audit_api
from loyalist.api import roles as roles_api
from loyalist.api import webhooks as webhooks_api
from loyalist.api.api_keys import KeyId
from loyalist.api.deps import read, require, write
from loyalist.api.paging import parse_cursor
from loyalist.api.roles import RoleSlug
from loyalist.api.staff import UserId
from loyalist.api.webhooks import EndpointId
from loyalist.audit.models import ActorKind
from loyalist.audit.schemas import AuditFilter
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, FieldError, RequestInvalidError
from loyalist.messages import webhooks
from loyalist.messages.models import WebhookEvent
from loyalist.messages.schemas import EndpointIn, EndpointUpdate
from loyalist.privacy import service as privacy
from loyalist.privacy.models import LegalBasis
from loyalist.privacy.schemas import ErasureIn
from loyalist.staff import service as staff
from loyalist.staff import users
from loyalist.staff.errors import GrantBeyondOwnError
from loyalist.staff.models import Permission as P
from loyalist.staff.models import Scope
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import RoleIn, RoleUpdate, StaffUserCreate, StaffUserUpdate
from loyalist.staff.service import Principal
from loyalist.web.console.kit import console_router, page, viewer

router = console_router()
M = TypeVar("M", bound=BaseModel)
BASE = "/console/operations"

#: The pages of the section: label, path, what it is for, the permission of its API.
PAGES: tuple[tuple[str, str, str, P], ...] = (
    ("Staff", "/staff", "Staff users: create, roles, disable", P.STAFF_MANAGE),
    ("Roles", "/roles", "Custom roles and their permissions", P.STAFF_MANAGE),
    ("API keys", "/api-keys", "Keys of the shop's systems: create, rotate, revoke", P.KEYS_MANAGE),
    ("Webhooks", "/webhooks", "Endpoints and their delivery log", P.MESSAGES_READ),
    ("Imports", "/imports", "Upload a file of events", P.EVENTS_WRITE),
    ("Audit log", "/audit", "Who did what, when", P.AUDIT_READ),
    ("Privacy", "/privacy", "Export and erase a member's data", P.PRIVACY_REQUESTS),
)
AUDIT_PAGE = 50
_T = "console/operations/"

StaffManager = Annotated[Principal, Depends(require(P.STAFF_MANAGE))]
KeyManager = Annotated[Principal, Depends(require(P.KEYS_MANAGE))]
WebhookWriter = Annotated[Principal, Depends(require(P.MESSAGES_WRITE))]
Importer = Annotated[Principal, Depends(require(P.EVENTS_WRITE))]
PrivacyOfficer = Annotated[Principal, Depends(require(P.PRIVACY_REQUESTS))]
ImportId = Annotated[str, Path(min_length=1, max_length=40, description="the import's id")]


# -- forms ---------------------------------------------------------------------------------
def field_errors(exc: DomainError) -> dict[str, str]:
    """Each problem by the field its pointer names (``/roles/0`` → ``roles``); a problem
    without a field under ``""``."""
    shown: dict[str, str] = {}
    for error in exc.errors or [FieldError("", exc.detail)]:
        name = error.pointer.lstrip("#").removeprefix("query").strip("/").split("/")[0]
        shown.setdefault(name, error.detail)
    if "" not in shown and not any(shown.values()):
        shown[""] = exc.detail
    return shown


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """``data`` as ``model``, or a ``request_invalid`` pointing at each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError("/" + "/".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors(include_url=False, include_context=False)
        ]
        raise RequestInvalidError("some fields are not right", errors=errors) from None


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return _no_nul(name, value).strip() or None if isinstance(value, str) else None


def _values(form: FormData, name: str) -> list[str]:
    return [_no_nul(name, v) for v in form.getlist(name) if isinstance(v, str)]


def _no_nul(name: str, value: str) -> str:
    """``value``, refused when it holds U+0000 (PostgreSQL stores no NUL in text)."""
    if "\x00" in value:
        raise RequestInvalidError(
            "text must not contain the NUL character (U+0000)",
            errors=[FieldError(f"/{name}", "contains U+0000")],
        )
    return value


async def _answer(
    request: Request,
    template: str,
    action: Callable[[], Any],
    context: Mapping[str, Any] | None = None,
    *,
    values: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """The form ``template`` after ``action``: cleared with ``done`` (what the action
    answered) or, refused, with the ``values`` given and the ``errors`` by field."""
    shown = dict(context or {})
    try:
        shown["done"] = await action()
    except DomainError as exc:
        shown |= {"errors": field_errors(exc), "values": values or {}}
        return await page(request, _T + template, shown, status=exc.status)
    return await page(request, _T + template, shown)


def _options(roles: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(role["slug"], role["name"]) for role in roles]


def _beyond_at(field: str, exc: GrantBeyondOwnError) -> GrantBeyondOwnError:
    return GrantBeyondOwnError(exc.detail, errors=[FieldError(f"/{field}", exc.detail)])


# -- the section's index -------------------------------------------------------------------
@router.get("/operations")
async def operations_index(request: Request) -> Response:
    """The section's pages the user may open (403 when none)."""
    who = await viewer(request)
    shown = [(label, BASE + path, about) for label, path, about, p in PAGES if who.can(p)]
    if not shown:
        # The guard of any page refuses, audited, naming the first permission.
        await require(P.STAFF_MANAGE)(request)
    return await page(request, _T + "index.html.j2", {"pages": shown})


# -- staff ---------------------------------------------------------------------------------
async def _staff_context(request: Request) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        roles = [roles_api.role_view(role) for role in staff.list_roles(uow)]
        return {"users": users.list_users(uow), "roles": roles, "role_options": _options(roles)}

    return await read(request, op)


@router.get("/operations/staff", dependencies=[Depends(require(P.STAFF_MANAGE))])
async def staff_page(request: Request) -> Response:
    return await page(request, _T + "staff.html.j2", await _staff_context(request))


@router.post("/operations/staff")
async def create_staff(request: Request, who: StaffManager) -> Response:
    """Create a staff user with a first password (as ``POST /api/v1/staff``)."""
    form = await request.form()
    data = {
        "email": _text(form, "email"),
        "name": _text(form, "name"),
        "roles": _values(form, "roles"),
        "password": form.get("password") or None,
        "locale": _text(form, "locale") or "en",
    }

    async def act() -> Any:
        body = validated(StaffUserCreate, data)
        hasher: Hasher = request.app.state.password_hasher
        password_hash = await run_in_threadpool(
            users.new_password_hash, hasher, body.password, email=body.email, name=body.name
        )
        return await write(
            request, lambda uow: users.create_user(uow, body, password_hash, who.actor)
        )

    values = {k: v for k, v in data.items() if k != "password"}
    context = await _staff_context(request)
    answered = await _answer(request, "staff_form.html.j2", act, context, values=values)
    return await _with_table(request, answered, "staff_table.html.j2", _staff_context)


@router.post("/operations/staff/{user_id}")
async def update_staff(request: Request, user_id: UserId, who: StaffManager) -> Response:
    """Change a user's roles, or disable / enable them (as ``PATCH /api/v1/staff/{id}``);
    answers the refreshed table."""
    form = await request.form()
    changes: dict[str, Any] = {}
    if "is_active" in form:
        changes["is_active"] = form.get("is_active") == "true"
    if "roles" in form or form.get("set_roles"):
        changes["roles"] = _values(form, "roles")
    context = await _staff_context(request)
    try:
        body = validated(StaffUserUpdate, changes)
        await write(request, lambda uow: users.update_user(uow, user_id, body, who.actor))
    except DomainError as exc:
        context |= {"row_errors": {user_id: field_errors(exc)}}
        return await page(request, _T + "staff_table.html.j2", context, status=exc.status)
    return await page(request, _T + "staff_table.html.j2", await _staff_context(request))


async def _with_table(
    request: Request,
    answered: HTMLResponse,
    table: str,
    context: Callable[[Request], Any],
) -> HTMLResponse:
    """The form's answer with, after a success, the refreshed table swapped in out of band."""
    if answered.status_code >= 400:
        return answered
    refreshed = await page(request, _T + table, {**await context(request), "oob": True})
    return HTMLResponse(bytes(answered.body) + bytes(refreshed.body))


# -- roles ---------------------------------------------------------------------------------
async def _roles_context(request: Request) -> dict[str, Any]:
    roles = await read(request, lambda uow: [roles_api.role_view(r) for r in staff.list_roles(uow)])
    return {"roles": roles, "permissions": [(p.value, p.value) for p in P]}


@router.get("/operations/roles", dependencies=[Depends(require(P.STAFF_MANAGE))])
async def roles_page(request: Request) -> Response:
    return await page(request, _T + "roles.html.j2", await _roles_context(request))


@router.post("/operations/roles")
async def create_role(request: Request, who: StaffManager) -> Response:
    """A custom role (as ``POST /api/v1/roles``): a permission the user does not hold is
    refused at the permissions."""
    form = await request.form()
    data = {
        "slug": _text(form, "slug"),
        "name": _text(form, "name"),
        "permissions": _values(form, "permissions"),
    }

    async def act() -> Any:
        spec = validated(RoleIn, data)
        try:
            made = await write(request, lambda uow: staff.create_role(uow, spec, by=who))
        except GrantBeyondOwnError as exc:
            raise _beyond_at("permissions", exc) from None
        api_keys_api.forget_keys(request)
        return made.slug

    context = await _roles_context(request)
    answered = await _answer(request, "role_form.html.j2", act, context, values=data)
    return await _with_table(request, answered, "roles_table.html.j2", _roles_context)


@router.post("/operations/roles/{slug}")
async def update_role(request: Request, slug: RoleSlug, who: StaffManager) -> Response:
    """Replace a custom role's name and permissions, or delete it (``delete=1``)."""
    form = await request.form()
    context = await _roles_context(request)
    try:
        if form.get("delete"):
            await write(request, lambda uow: staff.delete_role(uow, slug, by=who))
        else:
            spec = validated(
                RoleUpdate,
                {"name": _text(form, "name"), "permissions": _values(form, "permissions")},
            )
            try:
                await write(request, lambda uow: staff.update_role(uow, slug, spec, by=who))
            except GrantBeyondOwnError as exc:
                raise _beyond_at("permissions", exc) from None
    except DomainError as exc:
        context |= {"row_errors": {slug: field_errors(exc)}}
        return await page(request, _T + "roles_table.html.j2", context, status=exc.status)
    api_keys_api.forget_keys(request)
    return await page(request, _T + "roles_table.html.j2", await _roles_context(request))


# -- API keys ------------------------------------------------------------------------------
async def _keys_context(request: Request) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        keys = [api_keys_api.key_view(key) for key in staff.list_api_keys(uow)]
        roles = _options(roles_api.role_view(r) for r in staff.list_roles(uow))
        return {"keys": keys, "roles": roles, "scopes": [(s.value, s.value) for s in Scope]}

    return await read(request, op)


@router.get("/operations/api-keys", dependencies=[Depends(require(P.KEYS_MANAGE))])
async def keys_page(request: Request) -> Response:
    return await page(request, _T + "api_keys.html.j2", await _keys_context(request))


@router.post("/operations/api-keys")
async def create_key(request: Request, who: KeyManager) -> Response:
    """A key with a role or scopes (as ``POST /api/v1/api-keys``); its secret is shown this
    once."""
    form = await request.form()
    name, role, scopes = _text(form, "name"), _text(form, "role"), _values(form, "scopes")
    data = {"name": name, "role": role, "scopes": scopes}

    async def act() -> Any:
        if not name:
            raise RequestInvalidError("name the key", errors=[FieldError("/name", "required")])

        def op(uow: UnitOfWork) -> dict[str, Any]:
            key, token = staff.create_api_key(uow, name, scopes, role=role, by=who)
            return api_keys_api.key_view(key, token)

        try:
            return await write(request, op)
        except GrantBeyondOwnError as exc:
            raise _beyond_at("role" if role else "scopes", exc) from None

    context = await _keys_context(request)
    answered = await _answer(request, "key_form.html.j2", act, context, values=data)
    return await _with_table(request, answered, "keys_table.html.j2", _keys_context)


@router.post("/operations/api-keys/{key_id}/{change}")
async def change_key(request: Request, key_id: KeyId, change: str, who: KeyManager) -> Response:
    """Rotate (a new secret, shown this once) or revoke a key."""

    def op(uow: UnitOfWork) -> dict[str, Any] | None:
        if change == "rotate":
            key, token = staff.rotate_api_key(uow, key_id, by=who)
            return api_keys_api.key_view(key, token)
        staff.revoke_api_key(uow, key_id, by=who)
        return None

    if change not in ("rotate", "revoke"):
        raise RequestInvalidError(
            "rotate or revoke", errors=[FieldError("#path/change", "rotate or revoke")]
        )
    context = await _keys_context(request)
    try:
        issued = await write(request, op)
    except DomainError as exc:
        context |= {"row_errors": {key_id: field_errors(exc)}}
        return await page(request, _T + "keys_table.html.j2", context, status=exc.status)
    api_keys_api.forget_keys(request)
    return await page(
        request, _T + "keys_table.html.j2", {**await _keys_context(request), "issued": issued}
    )


# -- webhooks ------------------------------------------------------------------------------
async def _webhooks_context(request: Request) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        endpoints = webhooks.list_endpoints(uow)
        log = webhooks.list_deliveries(uow, [e.id for e in endpoints])
        events = [(e.value, e.value) for e in WebhookEvent]
        return {"endpoints": endpoints, "deliveries": log, "events": events}

    return await read(request, op)


@router.get("/operations/webhooks", dependencies=[Depends(require(P.MESSAGES_READ))])
async def webhooks_page(request: Request) -> Response:
    return await page(request, _T + "webhooks.html.j2", await _webhooks_context(request))


@router.post("/operations/webhooks")
async def create_endpoint(request: Request, who: WebhookWriter) -> Response:
    """Register an endpoint (as ``POST /api/v1/webhook-endpoints``); its signing secret is
    shown this once."""
    form = await request.form()
    data = {
        "url": _text(form, "url"),
        "description": _text(form, "description") or "",
        "event_types": _values(form, "event_types"),
    }

    async def act() -> Any:
        body = validated(EndpointIn, data)
        await webhooks_api.check_url(request, body.url)

        def op(uow: UnitOfWork) -> Any:
            made = webhooks.register(uow, body)
            after = body.model_dump(mode="json")
            webhooks_api.audit_change(uow, who, "created", made.endpoint.id, after=after)
            return made

        return await write(request, op)

    context = await _webhooks_context(request)
    answered = await _answer(request, "endpoint_form.html.j2", act, context, values=data)
    return await _with_table(request, answered, "endpoints.html.j2", _webhooks_context)


@router.post("/operations/webhooks/{endpoint_id}/{change}")
async def change_endpoint(
    request: Request, endpoint_id: EndpointId, change: str, who: WebhookWriter
) -> Response:
    """Disable or enable an endpoint, or rotate its secret (shown this once; the old one
    signs next to it for a day)."""
    if change not in ("disable", "enable", "rotate"):
        raise RequestInvalidError(
            "disable, enable or rotate",
            errors=[FieldError("#path/change", "disable, enable or rotate")],
        )

    def op(uow: UnitOfWork) -> Any:
        if change == "rotate":
            rotated = webhooks.rotate(uow, endpoint_id, overlap=timedelta(hours=24))
            webhooks_api.audit_change(uow, who, "secret_rotated", endpoint_id)
            return rotated
        body = EndpointUpdate(is_enabled=change == "enable")
        webhooks.update(uow, endpoint_id, body)
        after = body.model_dump(mode="json", exclude_none=True)
        webhooks_api.audit_change(uow, who, "changed", endpoint_id, after=after)
        return None

    context = await _webhooks_context(request)
    try:
        rotated = await write(request, op)
    except DomainError as exc:
        context |= {"row_errors": {endpoint_id: field_errors(exc)}}
        return await page(request, _T + "endpoints.html.j2", context, status=exc.status)
    return await page(
        request, _T + "endpoints.html.j2", {**await _webhooks_context(request), "rotated": rotated}
    )


# -- imports -------------------------------------------------------------------------------
@router.get("/operations/imports", dependencies=[Depends(require(P.EVENTS_WRITE))])
async def imports_page(request: Request) -> Response:
    jobs = await read(request, lambda uow: [_job_view(j) for j in activities.list_imports(uow)])
    limit = activities.IMPORT_MAX_BYTES // (1024 * 1024)
    return await page(request, _T + "imports.html.j2", {"jobs": jobs, "max_mib": limit})


@router.post("/operations/imports")
async def upload_import(request: Request, who: Importer) -> Response:
    """Queue an uploaded file for the worker; answers its progress, which polls itself."""
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            content: bytes | None = await upload.read(activities.IMPORT_MAX_BYTES + 1)
        else:
            name, content = "", None

    async def act() -> Any:
        if content is None:
            raise RequestInvalidError("choose a file", errors=[FieldError("/file", "required")])

        def op(uow: UnitOfWork) -> dict[str, Any]:
            return _job_view(activities.start_import(uow, name, content, who.actor))

        return await write(request, op)

    limit = activities.IMPORT_MAX_BYTES // (1024 * 1024)
    return await _answer(request, "import_form.html.j2", act, {"max_mib": limit})


def _job_view(job: ImportJob) -> dict[str, Any]:
    """What the page shows of an import (read inside its unit of work)."""
    return {
        "id": job.id,
        "file_name": job.file_name,
        "status": job.status,
        "record_count": job.record_count,
        "records_done": job.records_done,
        "imported_count": job.imported_count,
        "replayed_count": job.replayed_count,
        "error_count": job.error_count,
        "errors": list(job.errors),
        "created_by": job.created_by,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get("/operations/imports/{job_id}", dependencies=[Depends(require(P.EVENTS_WRITE))])
async def import_progress(request: Request, job_id: ImportId) -> Response:
    """An import's progress and its bad lines (HTMX polls it until it is done)."""
    job = await read(request, lambda uow: _job_view(activities.get_import(uow, job_id)))
    return await page(request, _T + "import_status.html.j2", {"job": job})


# -- audit ---------------------------------------------------------------------------------
def _day(text: str | None, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(datetime.fromisoformat(text).date(), time(), UTC)
    except ValueError:
        raise RequestInvalidError(
            "a date is YYYY-MM-DD", errors=[FieldError(f"/{field}", "use YYYY-MM-DD")]
        ) from None


@router.get("/operations/audit", dependencies=[Depends(require(P.AUDIT_READ))])
async def audit_page(request: Request) -> Response:
    """The audit log, newest first, filtered by actor, action, target, member and days
    (``from`` and ``to`` inclusive), paged by ``before``."""
    query = request.query_params
    wanted = {
        k: _no_nul(k, query.get(k) or "").strip()[:128]
        for k in (
            "actor_kind",
            "actor_id",
            "action",
            "target_type",
            "target_id",
            "member_id",
            "from",
            "to",
        )
    }
    shown: dict[str, Any] = {"filters": wanted, "kinds": list(ActorKind), "items": []}
    try:
        since, until = _day(wanted["from"], "from"), _day(wanted["to"], "to")
        kind = wanted["actor_kind"]
        if kind and kind not in set(ActorKind):
            raise RequestInvalidError(
                "unknown actor kind", errors=[FieldError("/actor_kind", "not a kind of actor")]
            )
        cursor = parse_cursor(query.get("before") or None)
        spec = AuditFilter(
            actor_kind=ActorKind(kind) if kind else None,
            actor_id=wanted["actor_id"] or None,
            action=wanted["action"] or None,
            target_type=wanted["target_type"] or None,
            target_id=wanted["target_id"] or None,
            since=since,
            until=until + timedelta(days=1) if until else None,
        )
        member = wanted["member_id"] or None
        before = cursor[1] if cursor else None
        found = await read(
            request, lambda uow: audit_api.audit_page(uow, spec, member, AUDIT_PAGE, before)
        )
    except DomainError as exc:
        shown["errors"] = field_errors(exc)
        return await page(request, _T + "audit.html.j2", shown, status=exc.status)
    shown |= found
    if found["next_before"]:
        shown["older"] = {k: v for k, v in wanted.items() if v} | {"before": found["next_before"]}
    return await page(request, _T + "audit.html.j2", shown)


# -- privacy -------------------------------------------------------------------------------
async def _privacy_context(request: Request) -> dict[str, Any]:
    records, _ = await read(
        request, lambda uow: privacy.destruction_records(uow, limit=20, before=None)
    )
    bases = [b for b in LegalBasis if b != LegalBasis.RETENTION_EXPIRED]
    return {"records": records, "bases": bases}


@router.get("/operations/privacy", dependencies=[Depends(require(P.PRIVACY_REQUESTS))])
async def privacy_page(request: Request) -> Response:
    return await page(request, _T + "privacy.html.j2", await _privacy_context(request))


@router.post("/operations/privacy/export")
async def export_member(request: Request, who: PrivacyOfficer) -> Response:
    """Everything held about a member (as ``POST …/privacy/export``, audited)."""
    form = await request.form()
    member_id = _text(form, "member_id")

    async def act() -> Any:
        if not member_id or len(member_id) > 128:
            raise RequestInvalidError(
                "the shop's member id", errors=[FieldError("/member_id", "required")]
            )
        document = await write(
            request, lambda uow: privacy.export_member(uow, member_id, who.actor)
        )
        return orjson.dumps(
            document, option=orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
        ).decode()

    shown = {"member_id": member_id or ""}
    return await _answer(request, "export_form.html.j2", act, shown, values=shown)


@router.post("/operations/privacy/erasure")
async def erase_member(request: Request, who: PrivacyOfficer) -> Response:
    """Erase a member's personal data once the member id is typed again to confirm (as
    ``POST …/privacy/erasure``); answers the destruction record."""
    form = await request.form()
    data = {
        "member_id": _text(form, "member_id") or "",
        "confirm": _text(form, "confirm") or "",
        "legal_basis": _text(form, "legal_basis") or LegalBasis.SUBJECT_REQUEST.value,
        "reference": _text(form, "reference"),
        "note": _text(form, "note"),
    }

    async def act() -> Any:
        member_id = data["member_id"]
        if not member_id or len(member_id) > 128:
            raise RequestInvalidError(
                "the shop's member id", errors=[FieldError("/member_id", "required")]
            )
        if data["confirm"] != member_id:
            raise RequestInvalidError(
                "type the member id again to confirm the erasure",
                errors=[FieldError("/confirm", "type the member id exactly as above")],
            )
        body = validated(
            ErasureIn, {k: data[k] for k in ("legal_basis", "reference", "note") if data[k]}
        )
        record, created = await write(
            request, lambda uow: privacy.erase_member(uow, member_id, body, who.actor)
        )
        if created:
            await run_in_threadpool(request.app.state.loyalist.db.checkpoint)
        return record

    context = await _privacy_context(request)
    return await _answer(request, "erasure_form.html.j2", act, context, values=data)
