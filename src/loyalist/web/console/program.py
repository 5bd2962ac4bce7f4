"""The program: rules with versions, the rule editor with dry run and backtest, tiers, rewards,
gamification.

The editor shows one rule twice, as a form and as the YAML of the program file; the YAML is
the truth. Editing the form posts both panes: the form's fields are laid over the YAML's
document and the YAML is written anew; editing the YAML re-renders the form from it. Every
problem the rules domain finds (its pointers from the rule's root, its lines in the YAML) is
shown at the form's input and at the YAML's line. Dry run, backtest and publish all read
the YAML pane.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from loyalist.activities.schemas import parse_event
from loyalist.api.deps import app_of, read, require, write
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError, RequestInvalidError
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind
from loyalist.ledger import policy as ledger_policy
from loyalist.rewards import catalogue
from loyalist.rules import backtest as backtests
from loyalist.rules import programs
from loyalist.rules.errors import FileProblem
from loyalist.rules.programfile import check_rule, dump_program, parse_file
from loyalist.rules.schemas import CAMPAIGN_RULE_PREFIX, TRIGGERS, WEEKDAYS, RuleRead, RuleSpec
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.tiers import service as tiers
from loyalist.web.console import kit

router = kit.console_router()
_READ = [Depends(require(P.PROGRAM_READ))]
_WRITE = [Depends(require(P.RULES_WRITE))]
_EDITOR = "console/program/editor.html.j2"
_EFFECT_TYPES = ("fixed", "per_unit", "multiplier", "per_item", "coupon", "badge", "reward")
#: The longest period a backtest from the console replays (the CLI has no limit).
_BACKTEST_DAYS = 366
_NEW_RULE: dict[str, Any] = {
    "key": "",
    "name": {"en": "", "ru": ""},
    "on": ["order.paid"],
    "effects": [{"type": "fixed", "points": 10}],
}


# -- overview -----------------------------------------------------------------------------
@router.get("/program", dependencies=_READ)
async def overview(request: Request) -> HTMLResponse:
    """Rules with their live versions, tiers with members, rewards with stock, games."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "rules": programs.list_rules(uow),
            "tiers": tiers.member_counts(uow),
            "rewards": catalogue.reward_views(uow),
            "games": {
                kind.value: [
                    gamification.definition_view(row)
                    for row in gamification.list_definitions(uow, kind)
                ]
                for kind in DefinitionKind
            },
        }

    found = await read(request, op)
    found["on_plans"] = sum(tier.by_plan for tier in found["tiers"])
    return await kit.page(
        request,
        "console/program/overview.html.j2",
        {
            **found,
            "published": _published(request, found["rules"]),
            "campaign_prefix": CAMPAIGN_RULE_PREFIX,
        },
    )


def _published(request: Request, rules: list[RuleRead]) -> str | None:
    """The notice after publishing: the link names only the rule's key (``?published=`` or
    ``?unchanged=``), and the notice shows that rule's live version from the database, so a
    crafted link cannot make the console say anything but a stored rule's real version."""
    live = {rule.key: rule.version for rule in rules}
    for param, shown in (
        ("published", "{key} v{version}"),
        ("unchanged", "{key} unchanged (v{version})"),
    ):
        key = request.query_params.get(param)
        if key in live:
            return shown.format(key=key, version=live[key])
    return None


@router.get("/program/rules/{key}/versions", dependencies=_READ)
async def versions(key: str, request: Request) -> HTMLResponse:
    """Every version of a rule, newest first, each with its YAML."""

    def op(uow: UnitOfWork) -> list[Any]:
        return programs.get_rule(uow, key)

    found = await read(request, op)
    shown = [(v, _yaml(v.spec)) for v in found]
    return await kit.page(
        request, "console/program/versions.html.j2", {"key": key, "versions": shown}
    )


# -- the editor ---------------------------------------------------------------------------
@dataclass
class Editor:
    """What the editor shows: the document (as the form reads it), the YAML text, and
    the problems at the form's fields and at the YAML's lines."""

    doc: dict[str, Any]
    text: str
    is_new: bool
    problems: list[FileProblem] = field(default_factory=list)
    at_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def errors(self, pointer: str) -> list[str]:
        return self.at_field.get(pointer, [])

    def value(self, pointer: str) -> str:
        """The field's value as its input shows it (lists with commas, rates as
        ``EUR 1``)."""
        found: Any = self.doc
        for part in pointer.strip("/").split("/"):
            if isinstance(found, dict):
                found = found.get(part)
            elif isinstance(found, list) and part.isdigit() and int(part) < len(found):
                found = found[int(part)]
            else:
                return ""
        if found is None:
            return ""
        if isinstance(found, list):
            return ", ".join(str(v) for v in found)
        if isinstance(found, dict):
            return ", ".join(f"{k} {v}" for k, v in found.items())
        return str(found)

    def flag(self, pointer: str, default: bool) -> bool:
        shown = self.value(pointer)
        return default if shown == "" else shown == "True"

    @property
    def effects(self) -> list[tuple[int, str]]:
        found = self.doc.get("effects")
        if not isinstance(found, list):
            return []
        return [
            (i, str(e.get("type", "")) if isinstance(e, dict) else "") for i, e in enumerate(found)
        ]


@router.get("/program/rules/new", dependencies=_WRITE)
async def new_rule(request: Request) -> HTMLResponse:
    """The editor with a rule to start from."""
    return await _editor_page(request, _checked(dict(_NEW_RULE), None, is_new=True))


@router.get("/program/rules/{key}", dependencies=_WRITE)
async def edit_rule(key: str, request: Request) -> HTMLResponse:
    """The editor of a rule's live version (a retired rule's newest one)."""

    def op(uow: UnitOfWork) -> RuleSpec:
        return programs.get_rule(uow, key)[0].spec

    spec = await read(request, op)
    if key.startswith(CAMPAIGN_RULE_PREFIX):
        raise RequestInvalidError(f"rule {key!r} belongs to its campaign: change the campaign")
    return await _editor_page(request, _checked(_document(spec), None, is_new=False))


async def _editor_page(request: Request, editor: Editor) -> HTMLResponse:
    zone = app_of(request).program.zone
    today = app_of(request).clock.now().astimezone(zone).date()
    return await kit.page(
        request,
        "console/program/rule.html.j2",
        {
            "editor": editor,
            **_choices(),
            "currency": app_of(request).program.currency,
            "today": today,
            "month_ago": today - timedelta(days=30),
            "now_local": app_of(request).clock.now().astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        },
    )


def _choices() -> dict[str, Any]:
    return {"triggers": TRIGGERS, "weekdays": WEEKDAYS, "effect_types": _EFFECT_TYPES}


@router.post("/program/rules/sync", dependencies=_WRITE)
async def sync(request: Request) -> HTMLResponse:
    """Both panes again after one changed (``source`` = ``form`` or ``yaml``), with the
    problems of the rule as it now stands."""
    form = await request.form()
    return await kit.page(request, _EDITOR, {"editor": from_form(form), **_choices()})


def from_form(form: FormData) -> Editor:
    """The editor after a change of the pane ``source`` names (the YAML by default)."""
    text = str(form.get("yaml", ""))
    is_new = form.get("is_new") == "1"
    base = _yaml_document(text)
    if form.get("source") == "form":
        doc = _overlay(form, base or {})
        return _checked(doc, None, is_new=is_new)
    if base is None:  # the YAML does not read as a mapping: the form keeps what it had
        return _checked(_overlay(form, {}), text, is_new=is_new)
    return _checked(base, text, is_new=is_new)


def _yaml_document(text: str) -> dict[str, Any] | None:
    try:
        return parse_file(text, "rule.yaml").data
    except InvalidRequestError:
        return None


def _checked(doc: dict[str, Any], text: str | None, *, is_new: bool) -> Editor:
    """The editor of ``doc`` (written as YAML unless ``text``, the YAML as typed, is given)
    with the domain's problems placed at the form's fields."""
    if text is None:
        text = dump_program(doc)
    problems = check_rule(text)[1]
    editor = Editor(doc, text, is_new, problems)
    known = _field_pointers(doc)
    for problem in problems:
        pointer = _nearest(problem.pointer, known)
        if pointer is None:
            editor.general.append(f"{problem.pointer or 'rule'}: {problem.message}")
        else:
            editor.at_field.setdefault(pointer, []).append(problem.message)
    return editor


def _nearest(pointer: str, known: set[str]) -> str | None:
    """The form field showing ``pointer`` (itself or its nearest parent the form has)."""
    parts = pointer.split("/")
    for end in range(len(parts), 1, -1):
        candidate = "/".join(parts[:end])
        if candidate in known:
            return candidate
    return None


_INTS = (
    "/priority",
    "/available_after_days",
    "/limits/per_event",
    "/limits/uses_per_member",
    "/limits/budget",
    "/limits/uses",
    *(f"/limits/per_member/{period}" for period in ("day", "week", "month", "year")),
)
_LISTS = ("/on", "/targeting/tiers", "/targeting/segments")
_TEXTS = (
    "/key",
    "/name/en",
    "/name/ru",
    "/condition",
    "/group",
    "/available",
    "/validity/starts_at",
    "/validity/ends_at",
)
_FLAGS = ("/qualifying", "/is_active")
#: Every field of the rule the form shows (effects apart).
_SCALARS = (*_TEXTS, *_INTS, *_LISTS, *_FLAGS, "/validity/days_of_week")
_EFFECT_FIELDS = (
    "type",
    "points",
    "rates",
    "of",
    "base",
    "factor",
    "lines",
    "lines/skus",
    "lines/categories",
    "lines/condition",
    "campaign",
    "badge",
    "reward",
)


def _field_pointers(doc: dict[str, Any]) -> set[str]:
    effects = doc.get("effects")
    count = len(effects) if isinstance(effects, list) else 0
    return {
        *_SCALARS,
        "/effects",
        *(f"/effects/{i}" for i in range(count)),
        *(f"/effects/{i}/{name}" for i in range(count) for name in _EFFECT_FIELDS),
    }


def _overlay(form: FormData, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with every field the form shows set from the form (an empty field takes
    the default); what the form does not show (hours, offers) stays as the YAML has it.
    Values the schema will refuse are kept as typed, so the problem shows at the field."""
    doc: dict[str, Any] = _copy(base)
    for pointer in (*_TEXTS, *_INTS, *_LISTS):
        raw = str(form.get(_name(pointer), "")).strip()
        if pointer in _INTS:
            value: Any = _number(raw)
        elif pointer in _LISTS:
            value = _words(raw) or ([] if pointer == "/on" else None)
        else:
            value = raw or None
        _put(doc, pointer, value)
    for flag in _FLAGS:
        _put(doc, flag, None if form.get(_name(flag)) == "on" else False)
    days = [d for d in form.getlist(_name("/validity/days_of_week")) if isinstance(d, str)]
    _put(doc, "/validity/days_of_week", days or None)
    found = doc.get("effects")
    old: list[Any] = found if isinstance(found, list) else []
    given = str(form.get("effect_count", ""))
    count = int(given) if given.isdigit() else 0
    effects = [
        _effect(form, i, old[i] if i < len(old) and isinstance(old[i], dict) else {})
        for i in range(min(count, 20))
    ]
    effects = [e for i, e in enumerate(effects) if form.get(f"effects-{i}-remove") != "on"]
    added = str(form.get("add_effect", ""))
    if added in _EFFECT_TYPES:
        effects.append({"type": added})
    doc["effects"] = effects
    for section in ("limits", "validity", "targeting"):
        _prune(doc, section)
    # The YAML keeps the schema's order (a field the form sets does not move to the end).
    order = {name: i for i, name in enumerate(RuleSpec.model_fields)}
    return dict(sorted(doc.items(), key=lambda item: order.get(item[0], len(order))))


def _effect(form: FormData, i: int, old: dict[str, Any]) -> dict[str, Any]:
    kind = str(form.get(f"effects-{i}-type", old.get("type", "fixed")))
    effect: dict[str, Any] = {"type": kind}
    keep = {
        "fixed": ("points",),
        "per_unit": ("rates", "of", "lines", "base"),
        "multiplier": ("factor", "lines"),
        "per_item": ("points", "lines"),
        "coupon": ("campaign",),
        "badge": ("badge",),
        "reward": ("reward",),
    }.get(kind, ())

    def given(name: str) -> str:
        return str(form.get(f"effects-{i}-{name}", "")).strip()

    for name in keep:
        if name == "points":
            effect["points"] = _number(given("points"))
        elif name == "rates":
            effect["rates"] = _rates(given("rates"))
        elif name == "of":
            effect["of"] = given("of") or None
        elif name == "base":
            effect["base"] = True if form.get(f"effects-{i}-base") == "on" else None
        elif name == "lines":
            lines = dict(old.get("lines") or {}) if isinstance(old.get("lines"), dict) else {}
            lines["skus"] = _words(given("skus")) or None
            lines["categories"] = _words(given("categories")) or None
            lines["condition"] = given("line_condition") or None
            lines = {k: v for k, v in lines.items() if v is not None}
            effect["lines"] = lines or None
        else:
            effect[name] = given(name) or None
    return {k: v for k, v in effect.items() if v is not None}


def _name(pointer: str) -> str:
    """The form input's name of a pointer: ``/limits/per_event`` → ``limits-per_event``."""
    return pointer.strip("/").replace("/", "-")


def _number(raw: str) -> Any:
    if not raw:
        return None
    return int(raw) if re.fullmatch(r"-?\d{1,18}", raw) else raw


def _words(raw: str) -> list[str]:
    return [w.strip() for w in raw.split(",") if w.strip()]


def _rates(raw: str) -> Any:
    """``EUR 1, USD 1.5`` (or ``EUR=1``) as a mapping; anything else as typed."""
    found: dict[str, str] = {}
    for part in _words(raw):
        match = re.fullmatch(r"([A-Za-z]{3})\s*[=: ]\s*([0-9.]+)", part)
        if match is None:
            return raw
        found[match.group(1).upper()] = match.group(2)
    return found or None


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _put(doc: dict[str, Any], pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")
    target = doc
    for part in parts[:-1]:
        inner = target.get(part)
        if not isinstance(inner, dict):
            if value is None:
                return
            inner = {}
            target[part] = inner
        target = inner
    if value is None:
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = value


def _prune(doc: dict[str, Any], section: str) -> None:
    inner = doc.get(section)
    if isinstance(inner, dict):
        for key in [k for k, v in inner.items() if v == {}]:
            del inner[key]
        if not inner:
            del doc[section]


def _document(spec: RuleSpec) -> dict[str, Any]:
    document: dict[str, Any] = spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return document


def _yaml(spec: RuleSpec) -> str:
    return dump_program(_document(spec))


def _spec_or_problems(form: FormData) -> tuple[RuleSpec | None, Editor]:
    """The rule of the YAML pane, or the editor showing why there is none."""
    editor = from_form(form)
    spec = check_rule(editor.text)[0]
    return spec, editor


# -- dry run, backtest, publish -----------------------------------------------------------
@router.post("/program/rules/dry-run", dependencies=_READ)
async def dry_run(request: Request) -> HTMLResponse:
    """What the edited rule (in the live program) would grant for a sample order, a stored
    order or another event of a member; nothing is written."""
    form = await request.form()
    spec, editor = _spec_or_problems(form)
    if spec is None:
        return await _invalid(request, editor)
    loyalist = app_of(request)
    now = loyalist.clock.now().astimezone(loyalist.program.zone)
    event = parse_event(_sample_event(form, spec, now, loyalist.program.currency))

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return programs.evaluate_event(uow, event, loyalist.program, edited=spec)

    found = await read(request, op)
    return await kit.page(
        request, "console/program/dry_run.html.j2", {"result": found, "edited": spec.key}
    )


def _sample_event(form: FormData, spec: RuleSpec, now: datetime, currency: str) -> dict[str, Any]:
    """The event a dry run evaluates, as the shop would send it (at ``now`` unless the form
    says when, in the program's time zone)."""
    member = str(form.get("dry-member", "")).strip() or "sample-member"
    when = str(form.get("dry-at", "")).strip()
    try:
        at = datetime.fromisoformat(when).replace(tzinfo=now.tzinfo) if when else now
    except ValueError:
        raise RequestInvalidError(
            "the dry run's time is not a date and time",
            errors=[FieldError("/dry-at", "use YYYY-MM-DDTHH:MM")],
        ) from None
    trigger = str(form.get("dry-trigger", "")).strip() or spec.on[0]
    event: dict[str, Any] = {
        "id": "console-dry-run",
        "type": trigger,
        "member_id": member,
        "occurred_at": at.isoformat(),
    }
    if trigger != "order.paid":
        return event
    order_id = str(form.get("dry-order", "")).strip()
    if order_id:
        event["data"] = {"order_id": order_id}
        return event
    money = str(form.get("dry-currency", "")).strip().upper() or currency
    amount = _minor(str(form.get("dry-amount", "")).strip() or "50", money)
    category = str(form.get("dry-category", "")).strip() or None
    line: dict[str, Any] = {"sku": "sample", "quantity": 1, "unit_price": amount}
    if category:
        line["category"] = category
    event["data"] = {"order_id": "sample", "currency": money, "lines": [line], "total": amount}
    return event


def _minor(amount: str, currency: str) -> int:
    """An amount typed in whole units (``42.50``) in the currency's minor units."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0 or value > 10_000_000:
        raise RequestInvalidError(
            "the sample order's amount is not a positive number",
            errors=[FieldError("/dry-amount", "a positive amount, like 42.50")],
        )
    return int(value.scaleb(ledger_policy.minor_unit_exponent(currency)))


@router.post("/program/rules/backtest", dependencies=_WRITE)
async def backtest(request: Request) -> HTMLResponse:
    """The period's orders and events replayed through the live program and through the
    program with the edited rule: cost and liability change before publishing."""
    form = await request.form()
    spec, editor = _spec_or_problems(form)
    if spec is None:
        return await _invalid(request, editor)
    loyalist = app_of(request)
    first = _day(form, "bt-from")
    last = _day(form, "bt-to")
    if last < first or (last - first).days >= _BACKTEST_DAYS:
        raise RequestInvalidError(
            "the backtest's period does not fit",
            errors=[
                FieldError("/bt-to", f"on or after the first day, at most {_BACKTEST_DAYS} days")
            ],
        )
    zone = loyalist.program.zone
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)

    def op(uow: UnitOfWork) -> backtests.BacktestReport:
        return backtests.backtest_rule(uow, spec, loyalist.program, start, end)

    report = await read(request, op)
    summary = report.as_dict(top=10)
    return await kit.page(
        request,
        "console/program/backtest.html.j2",
        {"report": summary, "first": first, "last": last, "edited": spec.key},
    )


def _day(form: FormData, name: str) -> date:
    try:
        return date.fromisoformat(str(form.get(name, "")))
    except ValueError:
        raise RequestInvalidError(
            "the backtest's period needs two days",
            errors=[FieldError(f"/{name}", "a day, YYYY-MM-DD")],
        ) from None


@router.post("/program/rules/publish")
async def publish(
    request: Request, who: Annotated[Principal, Depends(require(P.RULES_WRITE))]
) -> Response:
    """Store the edited rule as a new version (audited) and go to the rules list."""
    form = await request.form()
    spec, editor = _spec_or_problems(form)
    if spec is None:
        return await _invalid(request, editor)
    if spec.key.startswith(CAMPAIGN_RULE_PREFIX):
        raise RequestInvalidError(
            "rules of campaigns change with their campaign",
            errors=[FieldError("/key", f"must not start with {CAMPAIGN_RULE_PREFIX!r}")],
        )

    def op(uow: UnitOfWork) -> bool:
        return programs.publish_rule(uow, spec, actor=who.name, by=who.actor)[1]

    created = await write(request, op)
    target = f"/console/program?{urlencode({'published' if created else 'unchanged': spec.key})}"
    return Response(status_code=204, headers={"HX-Redirect": target})


async def _invalid(request: Request, editor: Editor) -> HTMLResponse:
    """The rule has problems: the editor again, with them at their fields (HTMX swaps the
    editor in; the action's own result area says so)."""
    return await kit.page(
        request,
        _EDITOR,
        {"editor": editor, **_choices()},
        status=422,
        headers={"HX-Retarget": "#editor", "HX-Reswap": "innerHTML"},
    )
