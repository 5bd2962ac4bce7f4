"""The whole program file: rules and tiers (the rules domain's ``ProgramFile``), journey
settings and message templates (the messages domain's), campaigns (the campaigns domain's
``CampaignSpec`` by key), read, applied and exported as one.

The domains stay apart (``messages`` sits above ``rules``; neither knows the file's other
sections): this module composes them. Every section is optional and a section left out is
left as it is; ``version: 1`` and ``journeys:`` alone is a whole file. Applying validates
everything first and writes in the caller's one transaction, so a problem anywhere
leaves nothing half-written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from pydantic import Field, TypeAdapter, ValidationError

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.errors import CampaignInvalidError, CampaignNotEditableError
from loyalist.campaigns.schemas import CampaignKey, CampaignSpec
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.messages import editing
from loyalist.messages.errors import TemplatesInvalidError
from loyalist.messages.journeyconf import JourneysConfig, journeys, put_journeys
from loyalist.messages.schemas import TemplateIn
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
_RULES_SECTIONS: Final = ("version", "rules", "tiers")
SECTIONS: Final = (*_RULES_SECTIONS, "journeys", "templates", "campaigns")


class WholeProgram(ProgramFile):
    """``program.yaml``: rules, tiers, journeys, templates and campaigns; each section
    optional (left out: left as it is)."""

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

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["templates_created"] = [
            {"key": key, "locale": locale, "version": version}
            for key, locale, version in self.templates_created
        ]
        return found


def _loc(pointer: str) -> tuple[Any, ...]:
    return tuple(
        int(part) if part.isdigit() else part.replace("~1", "/").replace("~0", "~")
        for part in pointer.split("/")[1:]
    )


def load(text: str, path: str = "program.yaml") -> WholeProgram:
    """Parse and validate a whole program file: every problem of every section at once,
    each with its line (rules' CEL compiled, templates compiled and rendered with their
    sample data, journey settings checked).

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
    """Apply the sections the file has, in the caller's transaction: rules and tiers, then
    journey settings (which may name the rules just applied), then template versions, then
    campaigns (each put as ``PUT /api/v1/campaigns/{key}`` does, audited by ``by``).
    ``actor`` is recorded as the author of new versions; the audit trail records the
    application by ``by`` (``program.applied``, with what changed).

    Raises:
        InvalidRequestError: a rule does not compile (``rule_invalid``), a journey names a
            rule or campaign that does not exist (``journey_settings_invalid``), a template
            does not compile or render (``templates_invalid``), a campaign's audience
            condition is not CEL (``campaign_invalid``); pointers from the file's root. The
            caller's transaction is rolled back: nothing is written.
        CampaignNotEditableError: a campaign given has started sending and its spec
            differs (pointer ``/campaigns/<key>``).
    """
    sources, errors = editing.check_section(program.templates or {})
    if errors:
        raise TemplatesInvalidError("templates are not valid; nothing was applied", errors=errors)
    errors = _campaign_errors(program.campaigns or {})
    if errors:
        raise CampaignInvalidError("campaigns are not valid; nothing was applied", errors=errors)
    rules = programs.apply_program(uow, program, actor=actor, policy=policy)
    changed: list[str] = []
    if program.journeys is not None:
        given = {
            name: getattr(program.journeys, name) for name in program.journeys.model_fields_set
        }
        changed = put_journeys(uow, given, who=actor, root="/journeys")
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


def export(uow: UnitOfWork) -> dict[str, Any]:
    """The live program as a program file document: rules, tiers, every journey's
    settings, the stored template versions (shipped defaults left out) and every campaign
    (its spec, fields at their defaults left out)."""
    document = programs.export_program(uow)
    document["journeys"] = journeys(uow).model_dump(mode="json")
    templates = editing.export_templates(uow)
    if templates:
        document["templates"] = templates
    found = campaigns.list_campaigns(uow)
    if found:
        document["campaigns"] = {
            c.key: c.spec.model_dump(mode="json", exclude_defaults=True) for c in found
        }
    return document
