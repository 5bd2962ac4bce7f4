"""What the event journeys share: fresh facts only (the others counted), the members'
contacts, language and zone in one read, the ``member`` block every context starts with,
one draft per channel the journey sends on and the member can be reached by, and the one
place drafts are queued.

Each journey does its reads once per batch of facts (the handlers run inside ingest
units, on the SQLite writer): nothing here queries per fact.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.messages import policy, service
from loyalist.messages.contexts import SPECS, Member, Part, Product, TemplateKey, TierProgress
from loyalist.messages.formatting import Formatting
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.messages.rendering import message_locale
from loyalist.recommendations import service as recommendations
from loyalist.settings import ProgramPolicy, Settings
from loyalist.tiers import service as tiers
from loyalist.tiers.schemas import Perks

Fact = TypeVar("Fact")
#: The unit's recipients by member (contacts are decrypted once per unit).
_RECIPIENTS = "messages.recipients"


@dataclass(frozen=True, slots=True)
class Setup:
    """What the process settings give the journeys: the shop's address for "shop now"
    and portal links (the brand's website, else this server's public URL) and its product
    page (``{sku}`` in it; no products in messages without one)."""

    shop_url: str
    product_url: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Setup:
        found = settings.messages
        return cls(found.brand.website_url or found.base_url, found.product_url)


def products(
    uow: UnitOfWork, setup: Setup, baskets: Mapping[str, Sequence[str]], limit: int
) -> dict[str, list[Product]]:
    """Per order, up to ``limit`` products bought with its own (one read for all orders),
    linked to the shop's product page; none without ``LOYALIST_MESSAGES__PRODUCT_URL``.
    Loyalist knows products by SKU only, so the SKU is their name."""
    if setup.product_url is None or limit <= 0:
        return {key: [] for key in baskets}
    url = setup.product_url
    picks = recommendations.bought_with(uow, baskets, limit=limit)
    return {
        key: [
            {
                "name": sku,
                "url": url.replace("{sku}", quote(sku, safe="")),
                "image_url": None,
                "price": None,
            }
            for sku in skus
        ]
        for key, skus in picks.items()
    }


def fresh(
    uow: UnitOfWork,
    journey: str,
    facts: Sequence[Fact],
    at: Callable[[Fact], datetime],
    program: ProgramPolicy,
) -> list[Fact]:
    """The facts recent enough to start ``journey``; the others are history being loaded
    (an import, the demo, a backfill) and are counted as skipped."""
    window = program.messages.freshness_hours
    kept = [f for f in facts if policy.is_fresh(at(f), uow.now, window)]
    service.count_skipped(uow, journey, len(facts) - len(kept))
    return kept


@dataclass(frozen=True, slots=True)
class Recipient:
    """A member as a message sees them: where to reach them, their language and zone."""

    contact: members.Contact
    locale: str
    zone: ZoneInfo
    #: a registered push device (looked up only while a journey sends push)
    has_device: bool = False


def recipients(
    uow: UnitOfWork, member_ids: Iterable[int], program: ProgramPolicy
) -> dict[int, Recipient]:
    """The members' contacts, with the language their messages are written in and their
    time zone (the program's when they have none): one read for those the unit's journeys
    have not asked for yet (a unit often runs several journeys for the same members)."""
    known: dict[int, Recipient] = uow.state.setdefault(_RECIPIENTS, {})
    wanted = set(member_ids)
    missing = wanted - known.keys()
    if missing:
        pushing = any(
            MessageChannel.PUSH in journey.channels
            for journey in dict(journeys(uow)).values()
            if journey.enabled
        )
        devices = members.push_tokens(uow, missing) if pushing else {}
        for member_id, contact in members.contacts(uow, missing).items():
            known[member_id] = Recipient(
                contact,
                message_locale(contact.locale, program.default_locale),
                policy.member_zone(contact.timezone, program.zone),
                has_device=member_id in devices,
            )
    return {m: known[m] for m in wanted if m in known}


def prepare_members(uow: UnitOfWork, member_ids: Collection[int], program: ProgramPolicy) -> None:
    """Load the balances and tier states ``member`` reads, for every member at once (in
    ingest they are mostly loaded already by the domains that reacted before)."""
    ordered = sorted(set(member_ids))
    ledger.lock(uow, ordered)
    tiers.prepare(uow, ordered, program.zone)


def member(uow: UnitOfWork, recipient: Recipient, program: ProgramPolicy) -> Member:
    """The member block of every context, from this unit's books (``prepare_members``
    first): first name, available points and tier name in their language."""
    contact = recipient.contact
    found = tiers.progress(uow, contact.id, program.zone, recipient.locale)
    return {
        "first_name": contact.first_name or "",
        "points_balance": ledger.available_now(uow, contact.id),
        "tier": found.tier if found else None,
    }


def tier_progress(
    uow: UnitOfWork, member_id: int, program: ProgramPolicy, locale: str
) -> TierProgress | None:
    """Where the member stands towards the next tier, as this unit has recorded it (None
    without tiers)."""
    found = tiers.progress(uow, member_id, program.zone, locale)
    if found is None:
        return None
    needs = found.needs
    spend = needs.get("spend")
    return {
        "tier": found.tier,
        "next_tier": found.next_tier,
        "needs": None
        if found.next_tier is None
        else {
            "points": needs.get("points"),
            "spend": None if spend is None else {"amount_minor": spend, "currency": found.currency},
            "orders": needs.get("orders"),
        },
        "by": found.by,
        "percent": found.percent,
    }


def tier_perks(perks: Perks, locale: str) -> list[str]:
    """What a tier gives, as members read it (the shop's own flags are not for them)."""
    ru = locale == "ru"
    found = []
    if perks.earning_multiplier > Decimal(1):
        factor = Formatting(locale, UTC).number(perks.earning_multiplier.normalize())
        found.append(f"×{factor} баллов за покупки" if ru else f"×{factor} points on orders")
    if perks.free_shipping:
        found.append("Бесплатная доставка" if ru else "Free shipping")
    return found


def _reachable(recipient: Recipient, channel: MessageChannel, key: TemplateKey) -> bool:
    """Email needs an address; SMS a phone and a template with a short part; push a short
    part and a registered device (the delivery sends to the newest)."""
    if channel == MessageChannel.EMAIL:
        return bool(recipient.contact.email)
    if channel == MessageChannel.SMS:
        return bool(recipient.contact.phone) and Part.SHORT in SPECS[key].parts
    if channel == MessageChannel.PUSH:
        return recipient.has_device and Part.SHORT in SPECS[key].parts
    return False


def drafts(
    recipient: Recipient,
    channels: Iterable[str],
    *,
    journey: str,
    kind: MessageKind,
    key: TemplateKey,
    natural_key: str,
    context: Mapping[str, Any],
    due_at: datetime | None = None,
) -> list[service.MessageDraft]:
    """One draft per channel of ``channels`` the member can be reached on (the inbox gets
    each, so a member without any address still finds the email's in it)."""
    wanted = [MessageChannel(c) for c in channels]
    reachable = [c for c in wanted if _reachable(recipient, c, key)]
    if not reachable and MessageChannel.EMAIL in wanted:
        reachable = [MessageChannel.EMAIL]  # recorded (and failed: no address) and in the inbox
    return [
        service.MessageDraft(
            member_id=recipient.contact.id,
            kind=kind,
            channel=channel,
            journey=journey,
            natural_key=natural_key,
            template_key=key.value,
            locale=recipient.locale,
            time_zone=recipient.zone.key,
            context=context,
            due_at=due_at,
            is_in_inbox=channel == MessageChannel.EMAIL,
        )
        for channel in reachable
    ]


def queue(uow: UnitOfWork, drafts: Sequence[service.MessageDraft]) -> int:
    """Queue the drafts (each once per its key; the delivery job renders them); returns
    how many were queued now."""
    return len(service.queue_messages(uow, drafts))
