"""Rule and program routes: rule versions, the whole program file (rules, tiers, journeys,
templates), dry runs, order points."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from starlette.responses import Response

from loyalist import programfile
from loyalist.activities.errors import (
    EventInvalidError,
    EventNotEvaluableError,
    EventTypeUnknownError,
    OrderNotFoundError,
)
from loyalist.activities.schemas import parse_event
from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.audit import service as audit
from loyalist.campaigns.errors import CampaignInvalidError, CampaignNotEditableError
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.messages.errors import JourneySettingsInvalidError, TemplatesInvalidError
from loyalist.programfile import WholeProgram
from loyalist.rules import programs
from loyalist.rules.errors import RuleInvalidError, RuleNotFoundError
from loyalist.rules.schemas import (
    EvaluateRequest,
    Evaluation,
    OrderPoints,
    ProgramApplied,
    RuleList,
    RuleRead,
    RuleSpec,
    RuleVersions,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["rules"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


_AT = "2026-01-15T12:00:00Z"
_NAME = {"en": "Base points", "ru": "Базовые баллы"}
_RULE = {
    "key": "base",
    "version": 2,
    "version_id": 2,
    "spec": {
        "key": "base",
        "name": _NAME,
        "on": ["order.paid"],
        "condition": "true",
        "effects": [{"type": "per_unit", "rates": {"EUR": "1"}, "of": "order", "base": True}],
        "limits": {"per_member": {}},
        "validity": {"days_of_week": [], "hours": []},
        "targeting": {"tiers": [], "segments": [], "offers": []},
        "priority": 0,
        "qualifying": True,
        "is_active": True,
    },
    "created_at": _AT,
    "created_by": "shop admin",
    "retired_at": None,
}


@router.get(
    "/rules",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses={200: success(RuleList, {"items": [_RULE]}, "The live rules")},
)
async def list_rules(request: Request) -> Response:
    """The live version of every rule."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [r.model_dump(mode="json", by_alias=True) for r in programs.list_rules(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.get(
    "/rules/{key}",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses=problem_responses(
        RuleNotFoundError,
        success={200: success(RuleVersions, {"key": "base", "versions": [_RULE]}, "Versions")},
    ),
)
async def get_rule(key: str, request: Request) -> Response:
    """Every version of a rule, newest first (retired ones carry ``retired_at``)."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [r.model_dump(mode="json", by_alias=True) for r in programs.get_rule(uow, key)]

    return JsonResponse({"key": key, "versions": await read(request, op)})


@router.put(
    "/rules/{key}",
    responses=problem_responses(
        RuleInvalidError,
        success={
            200: success(RuleRead, _RULE, "Unchanged: the live version"),
            201: success(RuleRead, _RULE, "A new version"),
        },
    ),
)
async def put_rule(
    key: str,
    spec: RuleSpec,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create a rule or a new version of it; versions are immutable and the ledger keeps
    pointing at the version that produced each entry. Same body again: 200, no version."""
    if spec.key != key:
        raise RequestInvalidError(
            "the rule's key differs from the path",
            errors=[FieldError("/key", f"must be {key!r}")],
        )

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
        rule, created = programs.publish_rule(uow, spec, actor=who.name, by=who.actor)
        return rule.model_dump(mode="json", by_alias=True), created

    content, created = await write(request, op)
    return JsonResponse(content, status_code=201 if created else 200)


@router.delete(
    "/rules/{key}",
    responses=problem_responses(
        RuleNotFoundError,
        success={200: success(RuleRead, _RULE | {"retired_at": _AT}, "Retired")},
    ),
)
async def retire_rule(
    key: str, request: Request, who: Principal = Depends(require(Permission.RULES_WRITE))
) -> Response:
    """Stop a rule; its versions stay for the ledger's explanations."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        view = programs.retire_rule(uow, key).model_dump(mode="json", by_alias=True)
        audit.record(uow, who.actor, "rule.retired", target_type="rule", target_id=key)
        return view

    return JsonResponse(await write(request, op))


@router.get(
    "/program",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses={
        200: success(
            WholeProgram,
            {
                "version": 1,
                "rules": [_RULE["spec"]],
                "journeys": {"welcome": {"enabled": True, "channels": ["email"]}},
            },
            "The program file",
        )
    },
)
async def get_program(request: Request) -> Response:
    """The live program as a program file (what `loyalist program export` writes): rules,
    tiers, every journey's settings and the stored template versions."""
    return JsonResponse(await read(request, programfile.export))


_PROGRAM_EXAMPLES: dict[str, Any] = {
    "journeys": {
        "summary": "only journey settings (rules, tiers and templates stay as they are)",
        "value": {
            "version": 1,
            "journeys": {
                "welcome": {"enabled": True, "channels": ["email"]},
                "points": {"enabled": True, "expiring_days": [30, 7]},
            },
        },
    },
    "rules": {
        "summary": "the whole rule set (rules not listed are retired)",
        "value": {
            "version": 1,
            "rules": [
                {
                    "key": "base",
                    "name": {"en": "Points for every order", "ru": "Баллы за каждый заказ"},
                    "on": "order.paid",
                    "effects": [{"type": "per_unit", "rates": {"EUR": "1"}, "base": True}],
                }
            ],
        },
    },
}


@router.put(
    "/program",
    responses=problem_responses(
        RuleInvalidError,
        JourneySettingsInvalidError,
        TemplatesInvalidError,
        CampaignInvalidError,
        CampaignNotEditableError,
        success={
            200: success(
                ProgramApplied,
                {
                    "created": ["base", "weekend"],
                    "unchanged": [],
                    "retired": ["old"],
                    "tiers_changed": False,
                    "orders_backfilled": 0,
                    "journeys_changed": ["welcome"],
                    "templates_created": [{"key": "welcome", "locale": "en", "version": 2}],
                    "campaigns_changed": [],
                },
                "Applied",
            )
        },
    ),
)
async def put_program(
    program: Annotated[WholeProgram, Body(openapi_examples=_PROGRAM_EXAMPLES)],
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Apply a program file in one transaction; a section left out is left as it is. Rules:
    changed ones get a new version, rules not listed are retired (`rules: []` retires them
    all). Tiers are replaced when given. Journeys given are configured (others keep their
    settings). Templates get a new version where their content differs. Campaigns given are
    created or changed (409 ``campaign_not_editable`` for one that has started sending).
    Nothing changes on error."""
    policy = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        applied = programfile.apply(uow, program, actor=who.name, by=who.actor, policy=policy)
        return applied.as_dict()

    return JsonResponse(await write(request, op))


@router.post(
    "/rules/evaluate",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses=problem_responses(
        EventInvalidError,
        EventTypeUnknownError,
        EventNotEvaluableError,
        RuleInvalidError,
        success={
            200: success(
                Evaluation,
                {
                    "trigger": "order.paid",
                    "member_known": True,
                    "tier": None,
                    "points": 99,
                    "tier_bonus": 0,
                    "rules": [
                        {
                            "rule": "base",
                            "version_id": 1,
                            "name": _NAME,
                            "fired": True,
                            "points": 99,
                            "points_before_limits": 99,
                            "limited_by": None,
                            "effects": [{"type": "base", "points": 99, "amount": 9900}],
                            "coupons": [],
                            "badges": [],
                            "rewards": [],
                        }
                    ],
                    "not_fired": [{"rule": "weekend", "reason": "not on this day of the week"}],
                    "awards": [
                        {
                            "points": 99,
                            "reason": "earn_rule",
                            "rule_version_id": 1,
                            "available_at": "2026-04-15T12:00:00Z",
                        }
                    ],
                },
                "The dry run",
            )
        },
    ),
)
async def evaluate(wanted: EvaluateRequest, request: Request) -> Response:
    """Dry run: the points, coupons and badges an event would get, rule by rule, with the
    reason each other rule did not fire. Nothing is written; counters are read as now."""
    event = parse_event(wanted.event, pointer="/event")
    policy = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return programs.evaluate_event(uow, event, policy, wanted.rules)

    return JsonResponse(await read(request, op))


@router.get(
    "/orders/{order_id}/points",
    dependencies=[Depends(require(Permission.POINTS_READ))],
    responses=problem_responses(
        OrderNotFoundError,
        success={
            200: success(
                OrderPoints,
                {
                    "order_id": "o1",
                    "currency": "EUR",
                    "net_amount": 10000,
                    "earned": 100,
                    "reversed": 0,
                    "entries": [
                        {
                            "kind": "earn",
                            "points": 100,
                            "text": "+100 points: Base points",
                            "rule": "base",
                            "rule_version": 1,
                            "rule_version_id": 1,
                            "at": _AT,
                        }
                    ],
                },
                "The order's points",
            )
        },
    ),
)
async def order_points(
    order_id: str,
    request: Request,
    locale: Annotated[str | None, Query(description="en or ru")] = None,
) -> Response:
    """Every point an order moved, each with the rule version that produced it."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return programs.order_points(uow, order_id, locale)

    return JsonResponse(await read(request, op))
