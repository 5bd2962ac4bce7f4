"""Template versions: a template edited through the API or the program file is stored as a
new version per (key, locale) after it compiles in the sandbox and renders the key's
shipped sample data; the newest version is live (version 0: the shipped default, never
stored). A version is written only when its content differs from the live one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.i18n import SUPPORTED
from loyalist.messages import repository
from loyalist.messages.contexts import CAMPAIGN_PREFIX, SPECS, Part, TemplateKey, template_key
from loyalist.messages.errors import TemplateNotFoundError, TemplatePartsInvalidError
from loyalist.messages.models import MessageTemplate
from loyalist.messages.rendering import (
    TemplateSource,
    check_sample,
    shipped_template,
    stored_source,
)
from loyalist.messages.schemas import (
    TemplateIn,
    TemplateListItem,
    TemplateLocaleRead,
    TemplateVersionRead,
)

_PARTS = tuple(Part)


def locale_of(key: TemplateKey, locale: str) -> str:
    """``locale`` when ``key`` has templates in it.

    Raises:
        TemplateNotFoundError: it has none.
    """
    if locale not in SUPPORTED:
        raise TemplateNotFoundError(
            f"no template {key.value!r} in locale {locale!r}; the locales are: "
            + ", ".join(SUPPORTED)
        )
    return locale


def _parts_problems(key: TemplateKey, given: TemplateIn, pointer: str) -> list[FieldError]:
    has = SPECS[key].parts
    errors = [
        FieldError(f"{pointer}/{part.value}", f"template {key.value} needs its {part.value} part")
        for part in has
        if getattr(given, part.value) is None
    ]
    errors += [
        FieldError(f"{pointer}/{part.value}", f"template {key.value} has no {part.value} part")
        for part in _PARTS
        if part not in has and getattr(given, part.value) is not None
    ]
    return errors


def check_source(
    key: TemplateKey, locale: str, given: TemplateIn, pointer: str = ""
) -> TemplateSource:
    """``given`` as a template source, once it has the parts ``key`` has, compiles and
    renders ``key``'s sample data in ``locale``; problems point at the part
    (``{pointer}/html``).

    Raises:
        TemplatePartsInvalidError: a part is missing or the template has no such part.
        TemplateSyntaxInvalidError, TemplateVariableUndefinedError, TemplateUnsafeError,
        TemplateOutputTooLargeError, TemplateRenderTooLongError, TemplateRenderFailedError:
            the part does not compile or does not render the sample data.
    """
    errors = _parts_problems(key, given, pointer)
    if errors:
        names = ", ".join(p.value for p in SPECS[key].parts)
        raise TemplatePartsInvalidError(
            f"template {key.value} ({locale}) has the parts {names}",
            errors=errors,
        )
    source = TemplateSource(**{p.value: getattr(given, p.value) or "" for p in _PARTS})
    try:
        check_sample(key, source, locale)
    except InvalidRequestError as exc:
        part = str(exc.extra.get("part", "")).removeprefix("layout ")
        raise type(exc)(
            exc.detail, errors=[FieldError(f"{pointer}/{part}", exc.detail)], extra=exc.extra
        ) from None
    return source


def _live(uow: UnitOfWork, key: TemplateKey, locale: str) -> tuple[int, TemplateSource]:
    rows = repository.versions_of(uow.session, key.value, locale)
    if rows:
        return rows[0].version, stored_source(rows[0])
    return 0, shipped_template(key, locale)


def live_source(uow: UnitOfWork, key: TemplateKey, locale: str) -> TemplateSource:
    """The live source of a template in a locale: its newest version, else the shipped one
    (what is rendered outside a message: the packing note)."""
    return _live(uow, key, locale)[1]


def save_versions(
    uow: UnitOfWork, sources: Mapping[tuple[TemplateKey, str], TemplateSource], *, who: str
) -> list[tuple[str, str, int]]:
    """Store a new version of each (checked) source whose content differs from the live
    one; returns the (key, locale, version) created."""
    created = []
    for (key, locale), source in sources.items():
        repository.lock_template(uow.session, key.value, locale)
        version, live = _live(uow, key, locale)
        if source == live:
            continue
        has = SPECS[key].parts
        repository.add_template_version(
            uow.session,
            {
                "key": key.value,
                "locale": locale,
                "version": version + 1,
                "subject": source.subject,
                "body_text": source.text,
                "body_html": source.html if Part.HTML in has else None,
                "body_short": source.short if Part.SHORT in has else None,
                "created_at": uow.now,
                "created_by": who,
            },
        )
        created.append((key.value, locale, version + 1))
    return created


def put_template(
    uow: UnitOfWork, key: str, locale: str, given: TemplateIn, *, who: str
) -> tuple[TemplateVersionRead, bool]:
    """Store ``given`` as the live version of ``key`` in ``locale`` (unchanged content: the
    live version, nothing stored); returns it and whether a version was created.

    Raises:
        TemplateNotFoundError: no template has this key or locale.
        the problems of ``check_source`` (pointers from the body's root: ``/html``).
    """
    template = template_key(key)
    locale_of(template, locale)
    source = check_source(template, locale, given)
    created = save_versions(uow, {(template, locale): source}, who=who)
    return template_view(uow, key, locale), bool(created)


def save_template(
    uow: UnitOfWork, key: str, locale: str, given: TemplateIn, actor: Actor, *, who: str
) -> tuple[TemplateVersionRead, bool]:
    """:func:`put_template` by ``who``, a new version audited as ``template.changed`` (its
    source stays in its own table; the trail names the version).

    Raises:
        the problems of :func:`put_template`.
    """
    found, created = put_template(uow, key, locale, given, who=who)
    if created:
        audit.record(
            uow,
            actor,
            "template.changed",
            target_type="template",
            target_id=f"{key}/{locale}",
            after={"version": found.version},
        )
    return found, created


def _read(
    key: TemplateKey, locale: str, version: int, source: TemplateSource, row: MessageTemplate | None
) -> TemplateVersionRead:
    has = SPECS[key].parts
    parts: dict[str, Any] = {p.value: source.part(p) if p in has else None for p in _PARTS}
    return TemplateVersionRead(
        key=key.value,
        locale=locale,
        version=version,
        created_at=row.created_at if row is not None else None,
        created_by=row.created_by if row is not None else None,
        **parts,
    )


def template_view(uow: UnitOfWork, key: str, locale: str) -> TemplateVersionRead:
    """The live source of ``key`` in ``locale`` (the shipped default: version 0).

    Raises:
        TemplateNotFoundError: no template has this key or locale.
    """
    return template_versions(uow, key, locale)[0]


def template_versions(uow: UnitOfWork, key: str, locale: str) -> list[TemplateVersionRead]:
    """Every version of ``key`` in ``locale``, newest (live) first, ending with the shipped
    default (version 0).

    Raises:
        TemplateNotFoundError: no template has this key or locale.
    """
    template = template_key(key)
    locale_of(template, locale)
    rows = repository.versions_of(uow.session, template.value, locale)
    stored = [_read(template, locale, row.version, stored_source(row), row) for row in rows]
    return [*stored, _read(template, locale, 0, shipped_template(template, locale), None)]


def list_templates(uow: UnitOfWork) -> list[TemplateListItem]:
    """Every template key with its parts and the live version in each locale."""
    live = {(row.key, row.locale): row for row in repository.live_templates(uow.session)}
    items = []
    for key in TemplateKey:
        locales = {}
        for locale in SUPPORTED:
            row = live.get((key.value, locale))
            locales[locale] = TemplateLocaleRead(
                version=row.version if row is not None else 0,
                created_at=row.created_at if row is not None else None,
            )
        items.append(
            TemplateListItem(
                key=key.value, parts=[p.value for p in SPECS[key].parts], locales=locales
            )
        )
    return items


def export_templates(uow: UnitOfWork) -> dict[str, dict[str, dict[str, str]]]:
    """The live stored versions as a program file's ``templates:`` section (shipped
    defaults are left out)."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for row in repository.live_templates(uow.session):
        if row.key.startswith(CAMPAIGN_PREFIX):
            continue  # a campaign's own content: exported with its campaign
        key = TemplateKey(row.key)
        source = stored_source(row)
        found.setdefault(row.key, {})[row.locale] = {
            p.value: source.part(p) for p in SPECS[key].parts
        }
    return found


def check_section(
    section: Mapping[str, Mapping[str, TemplateIn]], pointer: str = "/templates"
) -> tuple[dict[tuple[TemplateKey, str], TemplateSource], list[FieldError]]:
    """A program file's ``templates:`` section checked whole: the sources to save, and
    every problem (pointers ``/templates/<key>/<locale>/<part>``)."""
    sources: dict[tuple[TemplateKey, str], TemplateSource] = {}
    errors: list[FieldError] = []
    for key, locales in section.items():
        try:
            template = template_key(key)
        except TemplateNotFoundError as exc:
            errors.append(FieldError(f"{pointer}/{key}", str(exc)))
            continue
        for locale, given in locales.items():
            where = f"{pointer}/{key}/{locale}"
            try:
                locale_of(template, locale)
                sources[(template, locale)] = check_source(template, locale, given, where)
            except TemplateNotFoundError as exc:
                errors.append(FieldError(where, str(exc)))
            except InvalidRequestError as exc:
                errors.extend(exc.errors)
    return sources, errors
