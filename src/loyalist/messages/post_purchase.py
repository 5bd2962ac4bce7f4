"""The post-purchase journey (marketing email): after a fresh delivery, usage tips for the
categories bought, a review request per reviewable product with the points a review would
earn, and an NPS survey — each on the member's local day ``N`` days after the delivery, at
``policy.SEND_AT`` in their time zone.

**Queued at delivery, due later.** The ``OrderDelivered`` fact (fresh only: history being
loaded starts nothing) queues the whole plan at once with ``due_at`` in the future; the
outbox's natural key makes it once per ``tips:<order>``, ``review:<order>:<sku>`` and
``nps:<order>`` however often the fact is replayed. What would make a message pointless
is checked twice: when it is queued, and again when it is due (``exits``, asked by the
delivery job's send-time check): a review of the product by the member stops its request,
a survey answered since the delivery stops the NPS, a cancelled order or a returned
product stops what is about it, and switching the journey off stops what still waits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote

from loyalist.activities import service as activities
from loyalist.activities.events import OrderDelivered
from loyalist.activities.schemas import ParsedEvent
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.messages import journeyconf, policy, service
from loyalist.messages.contexts import Member, TemplateKey, Tip
from loyalist.messages.models import Message, MessageChannel, MessageKind
from loyalist.messages.rendering import message_locale
from loyalist.rules import programs as rules
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers

JOURNEY = "post_purchase"
#: Each message's journey names its part, so the preference centre's topics tell them apart
#: (``policy.topic_of``: tips under "tips", review requests and the survey under "reviews").
_PARTS = {
    TemplateKey.POST_PURCHASE_TIPS: f"{JOURNEY}.tips",
    TemplateKey.REVIEW_REQUEST: f"{JOURNEY}.review",
    TemplateKey.NPS_SURVEY: f"{JOURNEY}.nps",
}
_TIPS, _REVIEW, _NPS = "tips:", "review:", "nps:"
#: What the points a review "would earn" are asked for: a written review of a few
#: sentences, without a photo, of a product the member bought and has not reviewed.
_TYPICAL_REVIEW_LENGTH = 300
#: Review requests of one order: the dearest products first, one a day from
#: ``review_after_days`` (the default cap lets one marketing email a day through: two on
#: one day would end the second ``capped``), at most this many (more is nagging).
_REVIEWS_PER_ORDER = 3


def _settings(uow: UnitOfWork) -> journeyconf.PostPurchase:
    return journeyconf.journeys(uow).post_purchase


def tips_library(uow: UnitOfWork) -> Sequence[journeyconf.Tip]:
    """The program's product-usage tips, per category (the packing note shows one too)."""
    return _settings(uow).tips


# -- keys -------------------------------------------------------------------------------------
def _sku_part(sku: str) -> str:
    """The SKU as the review key holds it: as is, or a digest when the key would not fit."""
    return sku if len(sku) <= 64 else "#" + hashlib.sha256(sku.encode()).hexdigest()[:40]


def review_key(order_id: str, sku: str) -> str:
    """``review:<length of order id>:<order id>:<sku>``: the order id's length makes the
    key readable back whatever characters the ids hold (at most 200 characters)."""
    return f"{_REVIEW}{len(order_id)}:{order_id}:{_sku_part(sku)}"


def parse_key(key: str) -> tuple[str, str, str | None]:
    """``(kind, order id, sku part)`` of a post-purchase natural key."""
    if key.startswith(_REVIEW):
        size, _, rest = key.removeprefix(_REVIEW).partition(":")
        length = int(size)
        return _REVIEW, rest[:length], rest[length + 1 :]
    kind = _TIPS if key.startswith(_TIPS) else _NPS
    return kind, key.removeprefix(kind), None


def survey_id(order_id: str) -> str:
    """The NPS survey of an order: ``nps-<order id>`` (a digest for very long ids, so the
    shop can send it back as a ``survey_id`` of at most 128 characters)."""
    if len(order_id) <= 100:
        return f"nps-{order_id}"
    return "nps-" + hashlib.sha256(order_id.encode()).hexdigest()[:40]


# -- what stops a message -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Facts:
    """What the exits read, for a set of members: their reviews and survey answers."""

    reviewed: set[tuple[int, str]]
    answered: dict[int, datetime]

    @classmethod
    def of(cls, uow: UnitOfWork, member_ids: Sequence[int]) -> _Facts:
        return cls(
            {(m, _sku_part(s)) for m, s in activities.reviewed_skus(uow, member_ids)},
            activities.last_survey_answers(uow, member_ids),
        )


class _Line(Protocol):
    """An order line as the journey reads it (the activities' order book)."""

    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> int: ...
    @property
    def returned_quantity(self) -> int: ...


class _Order(Protocol):
    """An order as the journey reads it (the activities' order book)."""

    @property
    def order_id(self) -> str: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def cancelled_at(self) -> datetime | None: ...
    @property
    def delivered_at(self) -> datetime | None: ...
    @property
    def lines(self) -> Sequence[_Line]: ...


def _returned(line: _Line) -> bool:
    return line.returned_quantity >= line.quantity


def _stop(
    kind: str, member_id: int, order: _Order | None, sku: str | None, facts: _Facts
) -> str | None:
    """Why a message of ``kind`` about ``order`` (and ``sku``) should not go, or None."""
    if order is None:
        return "the order is gone"
    if order.cancelled_at is not None:
        return "the order was cancelled"
    if kind == _REVIEW:
        line = next((li for li in order.lines if _sku_part(li.sku) == sku), None)
        if line is None or _returned(line):
            return "the product was returned"
        if (member_id, sku) in facts.reviewed:
            return "the member already reviewed this product"
    if kind == _NPS:
        answered = facts.answered.get(member_id)
        if answered is not None and order.delivered_at and answered >= order.delivered_at:
            return "the member answered a survey since the delivery"
    if kind == _TIPS and all(_returned(line) for line in order.lines):
        return "the order was returned"
    return None


def exits(uow: UnitOfWork, due: Sequence[Message]) -> dict[tuple[int, str], str]:
    """The send-time check's question to this journey: which of the ``due`` messages
    should no longer go, and why (``(member_id, message_id) -> reason``)."""
    mine = [m for m in due if m.journey.partition(".")[0] == JOURNEY]
    if not mine:
        return {}
    if not _settings(uow).enabled:
        return {(m.member_id, m.id): "the post-purchase journey is switched off" for m in mine}
    keys = {(m.member_id, m.id): parse_key(m.natural_key) for m in mine}
    orders = activities.find_orders(uow, [order_id for _, order_id, _ in keys.values()])
    facts = _Facts.of(uow, [m.member_id for m in mine])
    stopped: dict[tuple[int, str], str] = {}
    for (member_id, message_id), (kind, order_id, sku) in keys.items():
        reason = _stop(kind, member_id, orders.get(order_id), sku, facts)
        if reason is not None:
            stopped[(member_id, message_id)] = reason
    return stopped


# -- what is queued ---------------------------------------------------------------------------
def tips_for(
    categories: Sequence[str | None], tips: Sequence[journeyconf.Tip], locale: str
) -> list[Tip]:
    """The library's tips for the categories bought, in the library's order, in the
    member's language (a tip per category and title at most once)."""
    bought = {c for c in categories if c}
    return [
        {
            "category": tip.category,
            "title": getattr(tip.title, locale),
            "body": getattr(tip.body, locale),
            "url": None,
        }
        for tip in tips
        if tip.category in bought
    ]


def _review_points(
    uow: UnitOfWork, conf: journeyconf.PostPurchase, program: ProgramPolicy, **event: Any
) -> int:
    """The configured figure, else what the live rules would grant now for a typical
    review (a dry run: nothing is written)."""
    if conf.review_points is not None:
        return conf.review_points
    found = rules.evaluate_event(uow, ParsedEvent(raw={}, pointer="", **event), program)
    return int(found["points"]) + int(found["tier_bonus"])


@dataclass(slots=True)
class _Plan:
    """The drafts of one unit, each in the member's language and zone (rendered when sent)."""

    program: ProgramPolicy
    drafts: list[service.MessageDraft] = field(default_factory=list)

    def add(
        self,
        contact: members.Contact,
        key: TemplateKey,
        natural_key: str,
        context: Mapping[str, Any],
        due_at: datetime,
    ) -> None:
        self.drafts.append(
            service.MessageDraft(
                member_id=contact.id,
                kind=MessageKind.MARKETING,
                channel=MessageChannel.EMAIL,
                journey=_PARTS[key],
                natural_key=natural_key,
                template_key=key.value,
                locale=message_locale(contact.locale, self.program.default_locale),
                time_zone=policy.member_zone(contact.timezone, self.program.zone).key,
                context=context,
                due_at=due_at,
            )
        )


def _member(uow: UnitOfWork, contact: members.Contact, program: ProgramPolicy) -> Member:
    locale = message_locale(contact.locale, program.default_locale)
    progress = tiers.progress(uow, contact.id, program.zone, locale)
    return {
        "first_name": contact.first_name or "",
        "points_balance": ledger.available_now(uow, contact.id),
        "tier": progress.tier if progress else None,
    }


def after_delivery(uow: UnitOfWork, facts: Sequence[OrderDelivered], program: ProgramPolicy) -> int:
    """Plan the journey of each freshly delivered order (email; the templates have no
    short text for SMS or push): tips, review requests and the NPS survey, each queued
    now and due on its day. Returns how many messages were queued now."""
    conf = _settings(uow)
    if not conf.enabled or "email" not in conf.channels:
        return 0
    window = program.messages.freshness_hours
    fresh = [f for f in facts if policy.is_fresh(f.delivered_at, uow.now, window)]
    service.count_skipped(uow, JOURNEY, len(facts) - len(fresh))
    if not fresh:
        return 0
    member_ids = sorted({f.member_id for f in fresh})
    contacts = members.contacts(uow, member_ids)
    orders = activities.find_orders(uow, [f.order_id for f in fresh])
    known = _Facts.of(uow, member_ids)
    plan = _Plan(program)
    for fact in fresh:
        order, contact = orders.get(fact.order_id), contacts.get(fact.member_id)
        if order is None or contact is None or _stop(_TIPS, contact.id, order, None, known):
            continue
        _plan_order(uow, plan, conf, contact, order, fact.delivered_at, known)
    return len(service.queue_messages(uow, plan.drafts))


def _plan_order(
    uow: UnitOfWork,
    plan: _Plan,
    conf: journeyconf.PostPurchase,
    contact: members.Contact,
    order: _Order,
    delivered_at: datetime,
    known: _Facts,
) -> None:
    program = plan.program
    zone = policy.member_zone(contact.timezone, program.zone)
    locale = message_locale(contact.locale, program.default_locale)
    member = _member(uow, contact, program)
    ref = {"number": order.order_id, "url": None}
    kept = [line for line in order.lines if not _returned(line)]
    tips = tips_for([line.category for line in kept], conf.tips, locale)
    if tips:
        plan.add(
            contact,
            TemplateKey.POST_PURCHASE_TIPS,
            f"{_TIPS}{order.order_id}",
            {"member": member, "order": ref, "tips": tips},
            policy.days_after(delivered_at, conf.tips_after_days, zone),
        )
    reviewable = [
        line
        for line in sorted(kept, key=lambda li: (-li.unit_price, li.sku))
        if not _stop(_REVIEW, contact.id, order, _sku_part(line.sku), known)
    ]
    for day, line in enumerate(reviewable[:_REVIEWS_PER_ORDER] if conf.review_url else ()):
        assert conf.review_url is not None
        review_due = policy.days_after(delivered_at, conf.review_after_days + day, zone)
        points = _review_points(
            uow,
            conf,
            program,
            index=0,
            id=f"dry-run:{order.order_id}:{line.sku}",
            type="review.published",
            member_id=contact.external_id,
            occurred_at=review_due,
            data={
                "review_id": "dry-run",
                "sku": line.sku,
                "rating": 5,
                "text_length": _TYPICAL_REVIEW_LENGTH,
                "has_photo": False,
                "order_id": order.order_id,
                "verified_purchase": True,
                "first_for_product": True,
            },
        )
        link = conf.review_url.format(
            sku=quote(line.sku, safe=""), order_id=quote(order.order_id, safe="")
        )
        plan.add(
            contact,
            TemplateKey.REVIEW_REQUEST,
            review_key(order.order_id, line.sku),
            {
                "member": member,
                "product": {
                    "name": line.name or line.sku,
                    "url": link,
                    "image_url": None,
                    "price": {
                        "amount_minor": line.unit_price,
                        "currency": order.currency or program.currency,
                    },
                },
                "review_url": link,
                "review_points": points,
            },
            review_due,
        )
    if _stop(_NPS, contact.id, order, None, known) is None:
        survey = survey_id(order.order_id)
        url = (
            conf.nps_url.format(survey_id=quote(survey, safe=""))
            if conf.nps_url
            else service.survey_link(contact.id, survey)
        )
        plan.add(
            contact,
            TemplateKey.NPS_SURVEY,
            f"{_NPS}{order.order_id}",
            {"member": member, "survey": {"id": survey, "url": url}, "order": ref},
            policy.days_after(delivered_at, conf.nps_after_days, zone),
        )
