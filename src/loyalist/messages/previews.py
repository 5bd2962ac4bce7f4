"""Template previews: a template rendered in every locale without sending anything, for
the shipped sample data, a context the caller gives, or a member's own details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.i18n import SUPPORTED
from loyalist.ledger import balances
from loyalist.members import service as members
from loyalist.messages import editing, policy
from loyalist.messages.contexts import TemplateKey, template_key, validate_context
from loyalist.messages.errors import TemplateContextInvalidError
from loyalist.messages.rendering import BrandKit, preview
from loyalist.messages.samples import sample_context
from loyalist.messages.schemas import PreviewIn, PreviewRead, RenderedRead, TemplateIn
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def _context(key: TemplateKey, given: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    try:
        return validate_context(key, given)
    except TemplateContextInvalidError as exc:  # pointers from the body's root
        errors = [FieldError(f"/context{e.pointer}", e.detail) for e in exc.errors]
        raise TemplateContextInvalidError(str(exc), errors=errors) from None


def _member_block(
    uow: UnitOfWork,
    external_id: str,
    member_id: int,
    first_name: str | None,
    locale: str,
    program: ProgramPolicy,
) -> dict[str, Any]:
    tier = tiers.read_tier(uow, external_id, program.zone, locale).tier
    return {
        "first_name": first_name or "",
        "points_balance": balances.available_points(uow, member_id),
        "tier": tier.name if tier else None,
    }


def preview_template(
    uow: UnitOfWork, key: str, body: PreviewIn, *, brand: BrandKit, program: ProgramPolicy
) -> PreviewRead:
    """``key`` rendered in English and Russian with ``body.context`` (else each locale's
    sample data); with ``body.member_id``, the member's name, balance, tier (in each
    locale) and time zone replace the sample's. The footer's unsubscribe link is a
    placeholder: nothing is queued or sent.

    Raises:
        TemplateNotFoundError: no template has this key.
        MemberNotFoundError: no member has ``body.member_id``.
        TemplateContextInvalidError: the context does not fit the template (pointers from
            the body's root: ``/context/order/lines/0/quantity``).
        the rendering problems of ``rendering.render_message`` (template, locale, part, line).
    """
    template = template_key(key)
    given = _context(template, body.context)
    time_zone = program.timezone
    renderings: dict[str, RenderedRead] = {}
    contact = None
    if body.member_id is not None:
        member_id = members.get_member_id(uow, body.member_id)
        contact = members.contacts(uow, [member_id])[member_id]
        time_zone = policy.member_zone(contact.timezone, program.zone).key
    for locale in SUPPORTED:
        context = given if given is not None else sample_context(template, locale)
        if contact is not None:
            member = _member_block(
                uow, contact.external_id, contact.id, contact.first_name, locale, program
            )
            context = {**context, "member": member}
        rendered = preview(
            template, brand=brand, time_zone=time_zone, context=context, locales=(locale,)
        )[locale]
        renderings[locale] = RenderedRead(
            subject=rendered.subject, text=rendered.text, html=rendered.html, short=rendered.short
        )
    return PreviewRead(
        template=template.value,
        member_id=body.member_id,
        time_zone=time_zone,
        renderings=renderings,
    )


def preview_draft(key: str, locale: str, given: TemplateIn, *, brand: BrandKit) -> RenderedRead:
    """A version not stored yet (``given``, as ``PUT /templates/{key}/{locale}`` takes it)
    rendered with the shipped sample data of ``locale`` in the brand's layout: what the
    version would send. The footer's links are placeholders.

    Raises:
        TemplateNotFoundError: no template has this key or locale.
        the problems of ``editing.check_source`` (pointers ``/<part>``).
    """
    template = template_key(key)
    source = editing.check_source(template, editing.locale_of(template, locale), given)
    rendered = preview(template, brand=brand, sources={locale: source}, locales=(locale,))[locale]
    return RenderedRead(
        subject=rendered.subject, text=rendered.text, html=rendered.html, short=rendered.short
    )
