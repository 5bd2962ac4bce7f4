"""The whole program file: rules and tiers (the rules domain's ``ProgramFile``), coupon
campaigns, rewards, the referral program, badges, quests, streaks and levels (each as its
domain's PUT takes it), journey settings and message templates (the messages domain's),
campaigns (the campaigns domain's ``CampaignSpec`` by key), read, applied, compared
(``diff``) and exported as one.

The domains stay apart (``messages`` sits above ``rules``; neither knows the file's other
sections): this module composes them. Every section is optional and a section left out is
left as it is; a keyed section given lists the whole of it (rules, coupon campaigns,
rewards, badges, quests, streaks, levels: one live but missing from the file is retired —
a rule retired, a campaign or reward paused, a definition deactivated — while journeys,
templates and campaigns given are put and the others left as they are). ``version: 1``
and ``journeys:`` alone is a whole file. Applying validates everything first and writes
in the caller's one transaction, so a problem anywhere leaves nothing half-written;
``preview`` applies in a transaction it rolls back, to show what would change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, Final

from pydantic import BaseModel, Field, StringConstraints, TypeAdapter, ValidationError

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.errors import CampaignInvalidError, CampaignNotEditableError
from loyalist.campaigns.schemas import CampaignKey, CampaignSpec
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CampaignStatus
from loyalist.coupons.schemas import CampaignIn
from loyalist.coupons.schemas import Key as CouponKey
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError, FieldError, InvalidRequestError
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind
from loyalist.gamification.schemas import BadgeSpec, LevelSpec, QuestSpec, StreakSpec
from loyalist.messages import editing
from loyalist.messages.errors import TemplatesInvalidError
from loyalist.messages.journeyconf import JourneysConfig, journeys, put_journeys
from loyalist.messages.schemas import TemplateIn
from loyalist.referrals import service as referrals
from loyalist.referrals.schemas import ReferralProgramIn
from loyalist.rewards import catalogue
from loyalist.rewards.models import RewardStatus
from loyalist.rewards.schemas import RewardIn, RewardKey
from loyalist.rules import programs
from loyalist.rules.errors import FileProblem, ProgramFileError
from loyalist.rules.programfile import ParsedFile, parse_file, program_problems, unique
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import ProgramPolicy

#: ``{key: {locale: {subject, text, html, short}}}``
Templates = dict[str, dict[str, TemplateIn]]
_TEMPLATES: Final = TypeAdapter(Templates)
#: ``{key: spec}``, as ``PUT /api/v1/campaigns/{key}`` takes them.
Campaigns = dict[CampaignKey, CampaignSpec]
_CAMPAIGNS: Final = TypeAdapter(Campaigns)
GameKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
CouponCampaigns = dict[CouponKey, CampaignIn]
Rewards = dict[RewardKey, RewardIn]
_RULES_SECTIONS: Final = ("version", "rules", "tiers")
#: The gamification sections: each a ``{key: spec}`` of one kind of definition.
GameSpec = BadgeSpec | QuestSpec | StreakSpec | LevelSpec
GAME_SECTIONS: Final[dict[str, tuple[DefinitionKind, type[GameSpec]]]] = {
    "badges": (DefinitionKind.BADGE, BadgeSpec),
    "quests": (DefinitionKind.QUEST, QuestSpec),
    "streaks": (DefinitionKind.STREAK, StreakSpec),
    "levels": (DefinitionKind.LEVEL, LevelSpec),
}
#: The sections in the order they are applied (what a later one names exists by then).
SECTIONS: Final = (
    "version",
    "coupon_campaigns",
    "rewards",
    "rules",
    "tiers",
    "referral_program",
    *GAME_SECTIONS,
    "journeys",
    "templates",
    "campaigns",
)
#: Sections of one object rather than of items by key.
SINGLE: Final = ("tiers", "referral_program")


class WholeProgram(ProgramFile):
    """``program.yaml``: rules, tiers, coupon campaigns, rewards, the referral program,
    badges, quests, streaks, levels, journeys, templates and campaigns; each section
    optional (left out: left as it is)."""

    coupon_campaigns: CouponCampaigns | None = Field(
        default=None,
        description="coupon campaigns by key, each as PUT /api/v1/coupon-campaigns/{key} "
        "takes it (codes are generated or issued, not kept here); one missing is paused",
    )
    rewards: Rewards | None = Field(
        default=None,
        description="catalogue rewards by key, each as PUT /api/v1/rewards/{key} takes it; "
        "one missing is paused",
    )
    referral_program: ReferralProgramIn | None = Field(
        default=None,
        description="the referral program as PUT /api/v1/referral-program takes it "
        "(replaced whole; `is_active: false` switches it off)",
    )
    badges: dict[GameKey, BadgeSpec] | None = Field(
        default=None, description="badges by key; one missing is deactivated"
    )
    quests: dict[GameKey, QuestSpec] | None = Field(
        default=None, description="quests by key; one missing is deactivated"
    )
    streaks: dict[GameKey, StreakSpec] | None = Field(
        default=None, description="streaks by key; one missing is deactivated"
    )
    levels: dict[GameKey, LevelSpec] | None = Field(
        default=None, description="gamified levels by key; one missing is deactivated"
    )

    journeys: JourneysConfig | None = Field(
        default=None,
        description="journey settings by name; a journey left out keeps its settings, one "
        "given is replaced whole (its fields left out take their defaults)",
    )
    templates: Templates | None = Field(
        default=None,
        description="template sources by key and locale ({key: {en: {subject, text, html}}}); "
        "a new version of each whose content differs from the live one",
    )
    campaigns: Campaigns | None = Field(
        default=None,
        description="campaigns by key, each as PUT /api/v1/campaigns/{key} takes it; a "
        "campaign left out is left as it is, one given is created or changed (a campaign "
        "that has started sending cannot change: campaign_not_editable)",
    )


@dataclass(frozen=True, slots=True)
class Changes:
    """What applying a section changes, by key (a section of one object: its name)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.retired)


@dataclass(frozen=True, slots=True)
class ApplyReport:
    #: rule keys: a new version, unchanged, retired
    created: list[str]
    unchanged: list[str]
    retired: list[str]
    tiers_changed: bool
    orders_backfilled: int
    journeys_changed: list[str]
    #: (key, locale, version) of each template version created
    templates_created: list[tuple[str, str, int]]
    #: campaign keys created or changed (a new revision)
    campaigns_changed: list[str]
    #: coupon campaigns, rewards, the referral program, badges, quests, streaks, levels:
    #: what changed in each section the file has
    changes: dict[str, Changes] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["templates_created"] = [
            {"key": key, "locale": locale, "version": version}
            for key, locale, version in self.templates_created
        ]
        return found


#: The new-style sections' validators (each section at once: every problem of it).
_VALIDATORS: Final[dict[str, TypeAdapter[Any]]] = {
    "coupon_campaigns": TypeAdapter(CouponCampaigns),
    "rewards": TypeAdapter(Rewards),
    "referral_program": TypeAdapter(ReferralProgramIn),
    "badges": TypeAdapter(dict[GameKey, BadgeSpec]),
    "quests": TypeAdapter(dict[GameKey, QuestSpec]),
    "streaks": TypeAdapter(dict[GameKey, StreakSpec]),
    "levels": TypeAdapter(dict[GameKey, LevelSpec]),
}


def _loc(pointer: str) -> tuple[Any, ...]:
    return tuple(
        int(part) if part.isdigit() else part.replace("~1", "/").replace("~0", "~")
        for part in pointer.split("/")[1:]
    )


def load(text: str, path: str = "program.yaml") -> WholeProgram:
    """Parse and validate a whole program file: every problem of every section at once,
    each with its line (rules' and gamification's CEL compiled, templates compiled and
    rendered with their sample data, journey settings, coupon campaigns, rewards and the
    referral program checked).

    Raises:
        ProgramFileError: YAML, schema, CEL and template problems, with lines.
    """
    parsed = parse_file(text, path)
    data = parsed.data
    problems = [
        parsed.problem((name,), f"unknown section; the sections are {', '.join(SECTIONS)}")
        for name in data
        if name not in SECTIONS
    ]
    core = {name: value for name, value in data.items() if name in _RULES_SECTIONS}
    problems += program_problems(parsed, core)[1]
    for name, validator in _VALIDATORS.items():
        if name not in data:
            continue
        try:
            section = validator.validate_python(data[name])
        except ValidationError as exc:
            problems += parsed.problems(exc, (name,))
            continue
        if name in GAME_SECTIONS:
            problems += _game_problems(parsed, name, section)
    if "journeys" in data:
        try:
            JourneysConfig.model_validate(data["journeys"])
        except ValidationError as exc:
            problems += parsed.problems(exc, ("journeys",))
    if "templates" in data:
        problems += _template_problems(parsed, data["templates"])
    if "campaigns" in data:
        problems += _campaign_problems(parsed, data["campaigns"])
    if problems:
        raise ProgramFileError(path, unique(problems))
    return WholeProgram.model_validate(data)


def _game_problems(parsed: ParsedFile, name: str, section: dict[str, Any]) -> list[FileProblem]:
    """Every CEL expression of a gamification section compiled (``criteria``, a quest
    step's or a streak's ``condition``)."""
    kind = GAME_SECTIONS[name][0]
    return [
        parsed.problem((name, key, *_loc(error.pointer)), error.detail)
        for key, spec in section.items()
        for error in gamification.spec_errors(kind, spec)
    ]


def _template_problems(parsed: ParsedFile, raw: Any) -> list[FileProblem]:
    try:
        section = _TEMPLATES.validate_python(raw)
    except ValidationError as exc:
        return parsed.problems(exc, ("templates",))
    errors = editing.check_section(section)[1]
    return [parsed.problem(_loc(error.pointer), error.detail) for error in errors]


def _campaign_problems(parsed: ParsedFile, raw: Any) -> list[FileProblem]:
    """Each campaign on its own, so one bad campaign does not hide another's CEL error."""
    if not isinstance(raw, dict):
        return [parsed.problem(("campaigns",), "campaigns by key: {key: campaign, …}")]
    problems: list[FileProblem] = []
    for key, value in raw.items():
        try:
            section = _CAMPAIGNS.validate_python({key: value})
        except ValidationError as exc:
            problems += parsed.problems(exc, ("campaigns",))
            continue
        problems += file_problems(parsed, _campaign_errors(section))
    return problems


def _campaign_errors(section: Campaigns) -> list[FieldError]:
    """What each campaign's schema cannot check alone: a reserved key, its audience
    condition, its inline content (``campaigns.check_spec``)."""
    errors: list[FieldError] = []
    for key, spec in section.items():
        if key in campaigns.RESERVED_KEYS:
            errors.append(FieldError(f"/campaigns/{key}", f"{key!r} cannot be a campaign's key"))
        try:
            campaigns.check_spec(key, spec, f"/campaigns/{key}")
        except InvalidRequestError as exc:
            errors += exc.errors
    return errors


def file_problems(parsed: ParsedFile, errors: list[FieldError]) -> list[FileProblem]:
    """Problems found when applying (their pointers into the file) with their lines."""
    return [parsed.problem(_loc(error.pointer), error.detail) for error in errors]


def apply(
    uow: UnitOfWork,
    program: WholeProgram,
    *,
    actor: str,
    by: Actor,
    policy: ProgramPolicy | None = None,
) -> ApplyReport:
    """Apply the sections the file has, in the caller's transaction and in the order of
    ``SECTIONS`` (coupon campaigns before the rewards, quests and referral program that
    name them; rules before the journeys that name them): each keyed section's items put
    as their PUT route does and the live items missing from it retired, the referral
    program replaced, journey settings configured, template versions saved, campaigns
    put (audited by ``by``). ``actor`` is recorded as the author of new versions; the
    audit trail records the application by ``by`` (``program.applied``, with what
    changed).

    Raises:
        DomainError: a rule does not compile (``rule_invalid``), a journey names a rule
            or campaign that does not exist (``journey_settings_invalid``), a template
            does not compile or render (``templates_invalid``), a campaign's audience
            condition is not CEL (``campaign_invalid``), a quest or the referral program
            names a coupon campaign that does not exist, a reward's stock is below what it
            issued, a coupon campaign's code mode changed…: pointers from the file's root
            (``/rewards/<key>/stock``). The caller's transaction is rolled back: nothing
            is written.
        CampaignNotEditableError: a campaign given has started sending and its spec
            differs (pointer ``/campaigns/<key>``).
    """
    sources, errors = editing.check_section(program.templates or {})
    if errors:
        raise TemplatesInvalidError("templates are not valid; nothing was applied", errors=errors)
    errors = _campaign_errors(program.campaigns or {})
    if errors:
        raise CampaignInvalidError("campaigns are not valid; nothing was applied", errors=errors)
    given = [name for name in _VALIDATORS if getattr(program, name) is not None]
    before = export(uow, given)
    if program.coupon_campaigns is not None:
        _put_coupon_campaigns(uow, program.coupon_campaigns)
    if program.rewards is not None:
        _put_rewards(uow, program.rewards)
    rules = programs.apply_program(uow, program, actor=actor, policy=policy)
    if program.referral_program is not None:
        with _at("/referral_program"):
            referrals.put_program(uow, program.referral_program, who=actor)
    for name, (kind, _) in GAME_SECTIONS.items():
        section = getattr(program, name)
        if section is not None:
            _put_definitions(uow, name, kind, section)
    changed: list[str] = []
    if program.journeys is not None:
        settings = {
            name: getattr(program.journeys, name) for name in program.journeys.model_fields_set
        }
        changed = put_journeys(uow, settings, who=actor, root="/journeys")
    created = editing.save_versions(uow, sources, who=actor)
    campaigns_changed = _put_campaigns(uow, program.campaigns or {}, by)
    report = ApplyReport(
        created=rules.created,
        unchanged=rules.unchanged,
        retired=rules.retired,
        tiers_changed=rules.tiers_changed,
        orders_backfilled=rules.orders_backfilled,
        journeys_changed=changed,
        templates_created=created,
        campaigns_changed=campaigns_changed,
        changes=diff(before, export(uow, given)),
    )
    sections = sorted(program.model_fields_set - {"version"})
    audit.record(
        uow,
        by,
        "program.applied",
        target_type="program",
        after={"sections": sections, **report.as_dict()},
    )
    return report


@contextmanager
def _at(root: str) -> Iterator[None]:
    """A domain's refusal of one item, its pointers made the file's (``root`` + its own)."""
    try:
        yield
    except (InvalidRequestError, ConflictError) as exc:
        errors = [FieldError(root + e.pointer, e.detail) for e in exc.errors]
        raise type(exc)(
            f"{root.lstrip('/')}: {exc.detail}",
            errors=errors or [FieldError(root, exc.detail)],
            extra=exc.extra,
        ) from None


def _retire(live: list[str], kept: dict[str, Any], stop: Callable[[str], object]) -> None:
    for key in live:
        if key not in kept:
            stop(key)


def _put_coupon_campaigns(uow: UnitOfWork, section: CouponCampaigns) -> None:
    for key, spec in section.items():
        with _at(f"/coupon_campaigns/{key}"):
            coupons.put_campaign(uow, key, spec)
    live = {
        c.key: c
        for c in coupons.list_campaigns(uow)
        if c.origin == "campaign" and c.status == CampaignStatus.ACTIVE
    }

    def pause(key: str) -> None:
        spec = coupons.campaign_spec(uow, live[key])
        coupons.put_campaign(uow, key, spec.model_copy(update={"status": CampaignStatus.PAUSED}))

    _retire(list(live), section, pause)


def _put_rewards(uow: UnitOfWork, section: Rewards) -> None:
    for key, spec in section.items():
        with _at(f"/rewards/{key}"):
            catalogue.put_reward(uow, key, spec)
    live = [r.key for r in catalogue.active_rewards(uow)]
    _retire(live, section, lambda key: catalogue.pause_reward(uow, key))


def _put_definitions(
    uow: UnitOfWork, name: str, kind: DefinitionKind, section: dict[str, Any]
) -> None:
    for key, spec in section.items():
        with _at(f"/{name}/{key}"):
            gamification.put_definition(uow, kind, key, spec)
    live = [r.key for r in gamification.list_definitions(uow, kind) if r.is_active]
    _retire(live, section, lambda key: gamification.deactivate(uow, kind, key))


def _put_campaigns(uow: UnitOfWork, section: Campaigns, by: Actor) -> list[str]:
    changed = []
    for key, spec in section.items():
        try:
            written = campaigns.put_campaign(uow, key, spec, by)[1]
        except CampaignNotEditableError as exc:
            raise CampaignNotEditableError(
                f"campaign {key!r} cannot change; nothing was applied",
                errors=[FieldError(f"/campaigns/{key}", exc.detail)],
                extra=exc.extra,
            ) from None
        if written:
            changed.append(key)
    return changed


def _spec(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def export(uow: UnitOfWork, sections: list[str] | None = None) -> dict[str, Any]:
    """The live program as a program file document: rules, tiers, coupon campaigns (the
    rewards' own are their rewards'), rewards, the referral program (once configured),
    badges, quests, streaks and levels (retired ones too, paused or inactive), every
    journey's settings, the stored template versions (shipped defaults left out) and
    every campaign (its spec, fields at their defaults left out). ``sections``: only
    these (``version`` always)."""
    wanted = set(SECTIONS if sections is None else sections)
    document: dict[str, Any] = {"version": 1}
    if wanted & {"rules", "tiers"}:
        core = programs.export_program(uow)
        document |= {name: core[name] for name in ("rules", "tiers") if name in core}
    if "coupon_campaigns" in wanted:
        found = [c for c in coupons.list_campaigns(uow) if c.origin == "campaign"]
        document["coupon_campaigns"] = {c.key: _spec(coupons.campaign_spec(uow, c)) for c in found}
    if "rewards" in wanted:
        document["rewards"] = {
            view["key"]: _spec(RewardIn.model_validate({n: view[n] for n in RewardIn.model_fields}))
            for view in catalogue.reward_views(uow)
        }
    if "referral_program" in wanted:
        config = referrals.current_config(uow)
        if config is not None:
            document["referral_program"] = _spec(config)
    for name, (kind, model) in GAME_SECTIONS.items():
        if name in wanted:
            document[name] = {
                row.key: _spec(model.model_validate(row.spec))
                for row in gamification.list_definitions(uow, kind)
            }
    if "journeys" in wanted:
        document["journeys"] = journeys(uow).model_dump(mode="json")
    if "templates" in wanted:
        document["templates"] = editing.export_templates(uow)
    if "campaigns" in wanted:
        document["campaigns"] = {
            c.key: c.spec.model_dump(mode="json", exclude_defaults=True)
            for c in campaigns.list_campaigns(uow)
        }
    # An empty section is left out: applied, it would retire nothing anyway.
    return {name: value for name, value in document.items() if value not in ({}, [])}


def _items(name: str, section: Any) -> dict[str, Any]:
    if section is None:
        return {}
    if name in SINGLE:
        return {name: section}
    if name == "rules":
        return {rule["key"]: rule for rule in section}
    return dict(section)


def _retired(item: Any) -> bool:
    return isinstance(item, dict) and (
        item.get("is_active") is False
        or item.get("status") in (RewardStatus.PAUSED, CampaignStatus.PAUSED)
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Changes]:
    """Section by section, what differs between two exported documents: keys added,
    changed, retired (gone, paused or deactivated); sections without a change left out."""
    found = {}
    for name in SECTIONS[1:]:
        old, new = _items(name, before.get(name)), _items(name, after.get(name))
        changes = Changes()
        for key, item in new.items():
            if key not in old:
                changes.added.append(key)
            elif item != old[key]:
                retiring = _retired(item) and not _retired(old[key])
                (changes.retired if retiring else changes.changed).append(key)
        changes.retired.extend(key for key in old if key not in new)
        if changes:
            found[name] = changes
    return found


class _DryRun(Exception):
    def __init__(self, changes: dict[str, Changes]) -> None:
        super().__init__("dry run")
        self.changes = changes


def dry_run(
    uow: UnitOfWork, program: WholeProgram, *, actor: str, by: Actor, policy: ProgramPolicy
) -> dict[str, Changes]:
    """What applying ``program`` would change, section by section: it is applied and its
    effect compared, then the transaction is rolled back (by raising; the caller's write
    returns the changes through :func:`preview`).

    Raises:
        DomainError: as :func:`apply`.
    """
    given = [name for name in SECTIONS[1:] if getattr(program, name) is not None]
    before = export(uow, given)
    apply(uow, program, actor=actor, by=by, policy=policy)
    raise _DryRun(diff(before, export(uow, given)))


def preview(
    write: Callable[[Callable[[UnitOfWork], Any]], Any],
    program: WholeProgram,
    *,
    actor: str,
    by: Actor,
    policy: ProgramPolicy,
) -> dict[str, Changes]:
    """:func:`dry_run` through ``write`` (``Database.write``): nothing is written."""
    try:
        write(lambda uow: dry_run(uow, program, actor=actor, by=by, policy=policy))
    except _DryRun as done:
        return done.changes
    raise AssertionError("a dry run always rolls back")
