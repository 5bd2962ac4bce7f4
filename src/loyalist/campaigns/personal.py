"""The personalised context of a campaign's messages: for a chunk of members at once, what
each one's message may say — their name, balance and tier, their offer (their own code, the
bonus points, the gift, in their language), favourite categories and products,
recommendations, points expiring soon, tier progress, predicted lifetime value.

Every fact is read once for the whole chunk (a bounded number of queries, whatever its
size); the balances and tier states come from the unit's books, as the journeys read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

from loyalist.campaigns.models import Campaign
from loyalist.campaigns.offers import arm_offers, code_source
from loyalist.campaigns.schemas import CampaignSpec, LocaleText
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.insights import segments as insights
from loyalist.ledger import service as ledger
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import CampaignContext, Money, Product
from loyalist.recommendations import service as recommendations
from loyalist.rewards import catalogue
from loyalist.settings import ProgramPolicy

#: Favourite categories and products, and recommendations, a message may show.
SHOWN = 3


def contexts(
    uow: UnitOfWork,
    campaign: Campaign,
    spec: CampaignSpec,
    members: Sequence[tuple[int, str]],
    program: ProgramPolicy,
    *,
    step: str,
    setup: kit.Setup,
) -> dict[int, CampaignContext]:
    """The context of each ``(member id, arm)``'s message at ``step``: the arm's offer
    (none for the control group), the rest from one batch of reads for all of them.
    Members who cannot be written to (erased, gone) are left out."""
    ids = sorted({member_id for member_id, _ in members})
    arms = dict(members)
    recipients = kit.recipients(uow, ids, program)
    kit.prepare_members(uow, ids, program)
    favourites = recommendations.favourites_of(uow, ids, currency=program.currency, limit=SHOWN)
    recommended = kit.products(
        uow, setup, {str(m): favourites.get(m, ([], []))[0] for m in ids}, SHOWN
    )
    offers = {item.arm: item.offer for item in arm_offers(spec)}
    codes = coupons.granted_by_sources(
        uow,
        [
            code_source(campaign.key, m)
            for m in ids
            if (offer := offers.get(arms[m])) is not None and offer.coupon is not None
        ],
    )
    gifts = {
        offer.gift.reward: reward.name
        for offer in offers.values()
        if offer.gift is not None
        and (reward := catalogue.find_reward(uow, offer.gift.reward)) is not None
    }
    notice = uow.now + timedelta(days=program.expiry_notice_days)
    expiring: dict[int, tuple[int, datetime | None]] = {}
    for lot in ledger.expiring_lots(uow, ids, notice):
        points, first = expiring.get(lot.member_id, (0, None))
        expiring[lot.member_id] = (
            points + lot.points,
            min(first or lot.expires_at, lot.expires_at),
        )
    clv = insights.clv_of(uow, ids)
    out: dict[int, CampaignContext] = {}
    for member_id in ids:
        recipient = recipients.get(member_id)
        if recipient is None or recipient.contact.is_erased:
            continue
        locale, zone = recipient.locale, recipient.zone
        block = kit.member(uow, recipient, program)
        skus, categories = favourites.get(member_id, ([], []))
        offer = offers.get(arms[member_id])
        points, first = expiring.get(member_id, (0, None))
        code = codes.get(code_source(campaign.key, member_id))
        out[member_id] = {
            "member": block,
            "campaign": {"name": _text(spec.name, locale), "ends_at": spec.ends_at, "step": step},
            "offer": None
            if offer is None
            else {
                "description": _text(offer.description, locale) if offer.description else None,
                "coupon": None
                if code is None
                else {
                    "code": code.code,
                    "description": code.name.get(locale) or code.name.get("en", ""),
                    "expires_on": _day(code.valid_until, zone),
                },
                "points": offer.points.points if offer.points else None,
                "multiplier": str(offer.points.multiplier)
                if offer.points and offer.points.multiplier
                else None,
                "gift": _name(gifts.get(offer.gift.reward), locale) if offer.gift else None,
            },
            "favourites": {
                "categories": categories,
                "products": [p for sku in skus if (p := _product(setup, sku)) is not None],
            },
            "recommendations": recommended.get(str(member_id), []),
            "points": {
                "balance": block["points_balance"],
                "expiring": points,
                "expiring_on": _day(first, zone),
            },
            "tier_progress": kit.tier_progress(uow, member_id, program, locale),
            "clv": _money(*clv[member_id]) if member_id in clv else None,
            "shop_url": setup.shop_url,
        }
    return out


def _text(text: LocaleText, locale: str) -> str:
    return text.ru if locale == "ru" else text.en


def _name(names: dict[str, str] | None, locale: str) -> str | None:
    if not names:
        return None
    return names.get(locale) or names.get("en") or next(iter(names.values()))


@lru_cache(maxsize=4_096)
def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    """The local day of ``moment`` in ``zone`` (cached: a chunk's codes mostly share one
    end, and members a few zones)."""
    return None if moment is None else moment.astimezone(zone).date()


def _money(value: Decimal, currency: str) -> Money:
    exponent = minor_unit_exponent(currency)
    minor = (value * (10**exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return {"amount_minor": int(minor), "currency": currency}


def _product(setup: kit.Setup, sku: str) -> Product | None:
    """A product as messages link it (Loyalist knows products by SKU only); none without
    the shop's product page."""
    if setup.product_url is None:
        return None
    url = setup.product_url.replace("{sku}", quote(sku, safe=""))
    return {"name": sku, "url": url, "image_url": None, "price": None}
