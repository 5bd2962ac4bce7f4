"""Campaigns: the list with states and figures, the builder (audience with a live size
estimate, offer, A/B variants with weights, control group, schedule and deadline), a
campaign's details, history and actions (launch, pause, resume, cancel), and its report
with uplift and confidence intervals as a chart and as tables.

Guarded as ``api.campaigns``, ``api.campaign_sends`` and ``api.campaign_reports`` are. The
builder's fields are named by their JSON pointer into the API's ``CampaignSpec``
(``/audience/condition``, ``/variants/0/weight``), so the spec is validated as the API
validates it and every problem is shown at the field its pointer names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, read, require, write
from loyalist.campaigns import broadcast, report
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.errors import CampaignExistsError, CampaignNotEditableError
from loyalist.campaigns.models import CampaignState
from loyalist.campaigns.schemas import (
    CAMPAIGN_KEY,
    GOAL_EVENTS,
    CampaignReport,
    CampaignSpec,
)
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, FieldError
from loyalist.insights.rfm import SEGMENTS
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.web.console.kit import page, viewer
from loyalist.web.templating import choose_locale, render

#: Included by ``console.messaging``'s router (prefix ``/console``).
router = APIRouter(route_class=GuardedRoute, include_in_schema=False)

Key = Annotated[str, Path(pattern=CAMPAIGN_KEY)]
#: Variant rows the builder offers.
VARIANT_ROWS = 3
#: Fields holding several values (a multiple select, or a comma-separated text).
_LISTS = frozenset({"/audience/tiers", "/audience/rfm", "/audience/segments"})
_COMMA_SEPARATED = frozenset({"/audience/tiers", "/audience/segments"})
#: The builder's fields before anything is chosen (the spec's defaults).
DEFAULTS = {
    "/channel": "email",
    "/control_percent": "10",
    "/goal/event": "order.paid",
    "/goal/days": "7",
    "/quiet_hours": "true",
    "/late": "next_day",
}
#: Actions on a campaign, by the state they need (the service says why another is refused).
ACTIONS = ("launch", "pause", "resume", "cancel")


@router.get("/campaigns", dependencies=[Depends(require(P.CAMPAIGNS_READ))])
async def campaign_list(request: Request) -> Response:
    """Every campaign with its state, audience and sends by status."""
    found = await read(request, campaigns.list_campaigns)
    return await page(request, "console/campaigns/index.html.j2", {"campaigns": found})


def _builder(
    form: dict[str, Any], errors: dict[str, list[str]], *, key: str | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "errors": errors,
        "editing": key is not None,
        "action": "/console/campaigns/new" if key is None else f"/console/campaigns/{key}/edit",
        "variant_rows": range(VARIANT_ROWS),
        "segments": SEGMENTS,
        "goal_events": GOAL_EVENTS,
    }


@router.get("/campaigns/new", dependencies=[Depends(require(P.CAMPAIGNS_WRITE))])
async def builder(request: Request) -> Response:
    """The campaign builder (a new draft)."""
    return await page(request, "console/campaigns/new.html.j2", _builder(dict(DEFAULTS), {}))


def _form(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """The builder's fields as sent (a list for a multiple select)."""
    form: dict[str, Any] = {}
    for name, value in items:
        text = str(value).replace("\r\n", "\n")
        if name in _LISTS and name not in _COMMA_SEPARATED:
            form.setdefault(name, []).append(text)
        else:
            form[name] = text
    return form


def _body(form: dict[str, Any], zone: Any) -> dict[str, Any]:
    """The spec as the API takes it, from the fields named by pointer (empty ones left
    out; a variant row without a key is not a variant; the deadline is read in the
    program's time zone).

    Raises:
        _Refused: a date that is not one, or fields that do not nest (a value where
            others are fields of it: not the builder's form).
    """
    body: dict[str, Any] = {}
    for name, value in form.items():
        if not name.startswith("/") or name == "/key":
            continue
        if name in _COMMA_SEPARATED:
            value = [v.strip() for v in str(value).split(",") if v.strip()]
        if name == "/ends_at" and value:
            try:
                value = datetime.fromisoformat(str(value)).replace(tzinfo=zone).isoformat()
            except ValueError:
                raise _Refused([FieldError(name, "a date and time")]) from None
        if value in ("", []):
            continue
        node = body
        *path, last = name.strip("/").split("/")
        for step in path:
            node = node.setdefault(step, {})
            if not isinstance(node, dict):
                raise _Refused([FieldError(name, "not a field of the campaign")])
        if isinstance(node.get(last), dict):
            raise _Refused([FieldError(name, "not a field of the campaign")])
        node[last] = value
    variants = body.pop("variants", {})
    if not isinstance(variants, dict) or not all(isinstance(v, dict) for v in variants.values()):
        raise _Refused([FieldError("/variants", "variants are rows of fields")])
    body["variants"] = [v for _, v in sorted(variants.items()) if v.get("key")]
    return body


def _pointer(location: tuple[Any, ...]) -> str:
    return "".join(f"/{part}" for part in location)


def _errors(found: list[FieldError]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in found:
        errors.setdefault(error.pointer or "/", []).append(error.detail)
    return errors


def _validated(body: dict[str, Any]) -> CampaignSpec:
    """Raises:
    _Refused: the spec is not one (each problem at its pointer)."""
    try:
        return CampaignSpec.model_validate(body)
    except ValidationError as exc:
        raise _Refused(
            [
                FieldError(_pointer(e["loc"]), e["msg"].removeprefix("Value error, "))
                for e in exc.errors()
            ]
        ) from None


class _Refused(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("the campaign is not valid")
        self.errors = errors


@router.post("/campaigns/estimate", dependencies=[Depends(require(P.CAMPAIGNS_READ))])
async def estimate(request: Request) -> Response:
    """How many members the builder's audience reaches now, per channel, and the expected
    control group (the audience estimate of ``POST …/audience/estimate``: on a large shop
    from a sample, shown as "≈" with its interval), in the browser's language."""
    program = app_of(request).program
    locale = choose_locale(request)
    form = _form(list((await request.form()).multi_items()))
    try:
        body = _body(form, program.zone)
        spec = _validated(
            {
                "name": {"en": "estimate", "ru": "estimate"},
                "template": "campaign",
                **{k: body[k] for k in ("audience", "channel", "control_percent") if k in body},
            }
        )
        found = await read(request, lambda uow: broadcast.estimate_draft(uow, spec, program))
    except _Refused as exc:
        return render(
            "console/campaigns/estimate.html.j2", {"errors": _errors(exc.errors)}, locale=locale
        )
    except DomainError as exc:
        found_errors = exc.errors or [FieldError("/", exc.detail)]
        return render(
            "console/campaigns/estimate.html.j2", {"errors": _errors(found_errors)}, locale=locale
        )
    return render(
        "console/campaigns/estimate.html.j2",
        {"estimate": found, "channel": spec.channel, "errors": {}},
        locale=locale,
    )


@router.post("/campaigns/new")
async def create(
    request: Request, who: Annotated[Principal, Depends(require(P.CAMPAIGNS_WRITE))]
) -> Response:
    """Save the builder's campaign as a draft, validated as ``PUT /campaigns/{key}`` is;
    then its page (where it is launched). Problems go back to the builder at their field."""
    return await _save(request, who, None)


async def _save(request: Request, who: Principal, editing: str | None) -> Response:
    program = app_of(request).program
    form = _form(list((await request.form()).multi_items()))
    key = editing or str(form.get("/key", "")).strip()
    try:
        spec = _validated(_body(form, program.zone))

        def op(uow: UnitOfWork) -> None:
            if editing is None and campaigns.find(uow, key) is not None:
                raise CampaignExistsError(
                    f"a campaign already has the key {key!r}: choose another",
                    errors=[FieldError("/key", "taken")],
                )
            campaigns.put_campaign(uow, key, spec, who.actor)

        await write(request, op)
    except _Refused as exc:
        errors = _errors(exc.errors)
    except DomainError as exc:
        errors = _errors(exc.errors or [FieldError("/", exc.detail)])
    else:
        return Response(status_code=204, headers={"HX-Redirect": f"/console/campaigns/{key}"})
    shown = {**_builder(form, errors, key=editing), "viewer": await viewer(request)}
    return render("console/campaigns/builder_form.html.j2", shown, status=422)


def _fields(value: Any, zone: Any, name: str = "") -> dict[str, Any]:
    """A stored spec as the builder's fields (the inverse of :func:`_body`)."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for part, inner in value.items():
            found.update(_fields(inner, zone, f"{name}/{part}"))
        return found
    if isinstance(value, list):
        if name in _COMMA_SEPARATED:
            return {name: ", ".join(value)}
        if name in _LISTS:
            return {name: list(value)}
        found = {}
        for index, inner in enumerate(value):
            found.update(_fields(inner, zone, f"{name}/{index}"))
        return found
    if value is None:
        return {}
    if isinstance(value, bool):
        return {name: "true" if value else "false"}
    if name == "/ends_at":
        return {name: datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%dT%H:%M")}
    if name == "/send_at":
        return {name: str(value)[:16]}
    return {name: str(value)}


def _editable_form(key: str, spec: CampaignSpec, zone: Any) -> dict[str, Any]:
    """The draft's fields; refused when the builder cannot show all of its spec (a
    follow-up, an offer or content the builder has no field for), so saving it would not
    drop what it cannot show.

    Raises:
        CampaignNotEditableError: the builder cannot show the whole spec.
    """
    stored = _fields(spec.model_dump(mode="json", exclude_defaults=True), zone)
    form = {"/key": key, **DEFAULTS, **stored}
    try:
        again = _validated(_body(form, zone))
    except _Refused:
        again = None
    if again != spec:
        raise CampaignNotEditableError(
            f"campaign {key!r} has settings the builder has no field for: change it with "
            "PUT /api/v1/campaigns/{key} or the program file",
            extra={"state": "draft"},
        )
    return form


@router.get("/campaigns/{key}/edit", dependencies=[Depends(require(P.CAMPAIGNS_WRITE))])
async def edit(key: Key, request: Request) -> Response:
    """The builder with a campaign whose spec may still change (a draft, or scheduled
    before its first send)."""
    zone = app_of(request).program.zone
    found = await read(request, lambda uow: campaigns.read(uow, campaigns.get(uow, key)))
    if found.state not in campaigns.EDITABLE:
        raise CampaignNotEditableError(
            f"campaign {key!r} is {found.state}: its spec cannot change",
            extra={"state": str(found.state)},
        )
    form = _editable_form(key, found.spec, zone)
    return await page(request, "console/campaigns/new.html.j2", _builder(form, {}, key=key))


@router.post("/campaigns/{key}/edit")
async def change(
    key: Key, request: Request, who: Annotated[Principal, Depends(require(P.CAMPAIGNS_WRITE))]
) -> Response:
    """Save the changed spec (``PUT /campaigns/{key}``'s checks; a campaign that has
    started sending is refused at the top of the form)."""
    return await _save(request, who, key)


@router.get("/campaigns/{key}", dependencies=[Depends(require(P.CAMPAIGNS_READ))])
async def campaign_page(key: Key, request: Request) -> Response:
    """The campaign: its spec, state and progress, its history, and its report."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        found = campaigns.read(uow, campaigns.get(uow, key))
        measured = CampaignReport.model_validate(report.report(uow, key, program))
        return {"campaign": found, "history": campaigns.history(uow, key), "report": measured}

    shown = await read(request, op)
    shown["chart"] = _uplift_chart(shown["report"])
    shown["actions"] = _actions(shown["campaign"].state)
    shown["editable"] = shown["campaign"].state in campaigns.EDITABLE
    return await page(request, "console/campaigns/campaign.html.j2", shown)


def _actions(state: CampaignState) -> list[str]:
    allowed = {
        "launch": state == CampaignState.DRAFT,
        "pause": state in campaigns.PAUSABLE,
        "resume": state == CampaignState.PAUSED,
        "cancel": state in campaigns.CANCELLABLE,
    }
    return [action for action in ACTIONS if allowed[action]]


def _uplift_chart(found: CampaignReport) -> dict[str, Any] | None:
    """The variants' conversion-rate uplift against the control group (percentage points)
    as a point inside a floating bar spanning its 95% interval."""
    shown = [u for u in found.uplift if u.absolute is not None]
    if not shown:
        return None
    return {
        "type": "bar",
        "data": {
            "labels": [u.key for u in shown],
            "datasets": [
                {
                    "type": "line",
                    "label": "Uplift (percentage points)",
                    "data": [round(100 * (u.absolute or 0), 2) for u in shown],
                    "showLine": False,
                    "pointRadius": 6,
                    "borderColor": "#1f2328",
                    "backgroundColor": "#1f2328",
                },
                {
                    "label": "95% interval",
                    "data": [
                        [round(100 * (u.low or 0), 2), round(100 * (u.high or 0), 2)] for u in shown
                    ],
                    "backgroundColor": "rgba(10, 88, 202, 0.35)",
                    "borderColor": "#0a58ca",
                    "borderWidth": 1,
                },
            ],
        },
        "options": {
            "scales": {
                "y": {
                    "title": {
                        "display": True,
                        "text": "Conversion rate against the control group (points)",
                    }
                }
            }
        },
    }


@router.post("/campaigns/{key}/{action}")
async def act(
    key: Key,
    action: Annotated[str, Path(pattern=r"^(launch|pause|resume|cancel)$")],
    request: Request,
    who: Annotated[Principal, Depends(require(P.CAMPAIGNS_WRITE))],
) -> Response:
    """Launch, pause, resume or cancel the campaign (as the API's routes do); then its
    page again."""

    def op(uow: UnitOfWork) -> None:
        if action == "launch":
            broadcast.launch(uow, key, who.actor)
        elif action == "pause":
            campaigns.pause(uow, key, who.actor)
        elif action == "resume":
            campaigns.resume(uow, key, who.actor)
        else:
            campaigns.cancel(uow, key, who.actor)

    await write(request, op)
    return Response(status_code=204, headers={"HX-Redirect": f"/console/campaigns/{key}"})
