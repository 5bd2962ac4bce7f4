"""The event format the shop sends, validated per type with field-level errors."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from loyalist.activities.models import EventType, OrderChannel, SurveyChannel
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.members.schemas import MemberProfile

MAX_BATCH = 1000
CUSTOM_TYPE = re.compile(r"^x\.[a-z0-9][a-z0-9_.\-]{0,62}$")

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Money = Annotated[int, Field(ge=0, le=10**13)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


Opaque = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ReferralRef(_Strict):
    """A referral the shop passes on: the code the friend typed or the share link's token."""

    code: str | None = Field(default=None, min_length=1, max_length=64)
    token: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _exactly_one(self) -> ReferralRef:
        if (self.code is None) == (self.token is None):
            raise ValueError("send exactly one of code and token")
        return self


class Signals(_Strict):
    """What the shop knows of the device and payment, for the referral fraud rules. Stored
    only as keyed hashes."""

    ip: str | None = Field(default=None, max_length=64)
    device_id: Opaque | None = None
    payment_fingerprint: Opaque | None = None
    address_fingerprint: Opaque | None = None

    @field_validator("ip")
    @classmethod
    def _ip_address(cls, value: str | None) -> str | None:
        return None if value is None else canonical_ip(value)


def canonical_ip(value: str) -> str:
    """One written form per address, so equal addresses hash alike: compressed, and
    ``::ffff:a.b.c.d`` as the IPv4 address ``a.b.c.d``."""
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address") from None
    return (getattr(ip, "ipv4_mapped", None) or ip).compressed


class EnrolmentData(MemberProfile):
    """``member.enrolled``: the profile, and the referral and signals of the sign-up."""

    referral: ReferralRef | None = None
    signals: Signals | None = None


class OrderLineIn(_Strict):
    sku: Ref
    name: str | None = Field(default=None, max_length=500)
    category: str | None = Field(default=None, max_length=200)
    quantity: int = Field(gt=0, le=100_000)
    unit_price: Money
    discount: Money = 0

    @field_validator("discount")
    @classmethod
    def _discount_within_line(cls, discount: int, info: ValidationInfo) -> int:
        quantity, price = info.data.get("quantity"), info.data.get("unit_price")
        if quantity is not None and price is not None and discount > quantity * price:
            raise ValueError(f"discount {discount} exceeds quantity × unit_price")
        return discount

    @property
    def net(self) -> int:
        return self.quantity * self.unit_price - self.discount


class OrderData(_Strict):
    """A full order: money in minor units; ``total`` = lines − discounts + shipping + tax."""

    order_id: Ref
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    channel: OrderChannel = OrderChannel.WEB
    store: str | None = Field(default=None, max_length=128)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=1000)
    shipping: Money = 0
    tax: Money = 0
    total: Money
    checkout_id: str | None = Field(
        default=None,
        max_length=40,
        description="the checkout hold this order pays with; `order.paid` confirms it",
    )
    referral: ReferralRef | None = None
    signals: Signals | None = None

    @model_validator(mode="after")
    def _consistent(self) -> OrderData:
        seen: set[str] = set()
        for line in self.lines:
            if line.sku in seen:
                raise ValueError(f"sku {line.sku!r} appears twice; send one line per sku")
            seen.add(line.sku)
        return self

    @field_validator("total")
    @classmethod
    def _total_adds_up(cls, total: int, info: ValidationInfo) -> int:
        lines = info.data.get("lines")
        shipping, tax = info.data.get("shipping"), info.data.get("tax")
        if lines is None or shipping is None or tax is None:
            return total  # those fields are invalid and reported on their own
        expected = sum(line.net for line in lines) + shipping + tax
        if total != expected:
            raise ValueError(f"total {total} ≠ lines − discounts + shipping + tax = {expected}")
        return total

    @property
    def net_amount(self) -> int:
        return sum(line.net for line in self.lines)


class OrderRef(_Strict):
    order_id: Ref


class OrderShippedData(_Strict):
    order_id: Ref
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=128)
    tracking_url: str | None = Field(default=None, max_length=1024, pattern=r"^https?://\S+$")


class OrderCancelledData(_Strict):
    order_id: Ref
    reason: str | None = Field(default=None, max_length=200)


class ReturnLineIn(_Strict):
    sku: Ref
    quantity: int = Field(gt=0, le=100_000)


class OrderReturnedData(_Strict):
    order_id: Ref
    return_id: Ref | None = None
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=1000)
    reason: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _one_line_per_sku(self) -> OrderReturnedData:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each sku may appear once per return")
        return self


class ReviewData(_Strict):
    review_id: Ref
    sku: Ref
    rating: int = Field(ge=1, le=5)
    text_length: int = Field(default=0, ge=0)
    has_photo: bool = False
    order_id: Ref | None = None


class ReviewRemovedData(_Strict):
    """``review.removed``: the shop took a review down; what it earned is reversed."""

    review_id: Ref
    reason: str | None = Field(default=None, max_length=200)


class SurveyData(_Strict):
    survey_id: Ref
    score: int | None = Field(default=None, ge=0, le=10)
    comment: str | None = Field(default=None, max_length=5000)
    channel: SurveyChannel | None = Field(
        default=None, description="where the survey was answered (NPS is reported per channel)"
    )


class MembershipPeriodData(_Strict):
    """``membership.started`` / ``membership.renewed``: a paid period of a plan."""

    membership_id: Ref
    plan: Ref
    period_end: AwareDatetime = Field(description="The paid period ends at this instant.")
    tier: Ref | None = Field(
        default=None, description="The tier the plan grants; the program's plan maps it if absent."
    )


class MembershipEndData(_Strict):
    """``membership.cancelled`` (no renewal; benefits last to the paid end unless ``ends_at``)
    and ``membership.expired`` (benefits end now)."""

    membership_id: Ref
    ends_at: AwareDatetime | None = None
    reason: str | None = Field(default=None, max_length=200)


class EventIn(BaseModel):
    """One activity: ``{id, type, member_id, occurred_at, data}``."""

    model_config = ConfigDict(extra="forbid")

    id: Ref
    type: str = Field(max_length=64)
    member_id: Ref
    occurred_at: AwareDatetime
    data: dict[str, Any] = Field(default_factory=dict)


DATA_MODELS: dict[str, type[BaseModel]] = {
    EventType.MEMBER_ENROLLED: EnrolmentData,
    EventType.MEMBER_UPDATED: MemberProfile,
    EventType.ORDER_PLACED: OrderData,
    EventType.ORDER_SHIPPED: OrderShippedData,
    EventType.ORDER_DELIVERED: OrderRef,
    EventType.ORDER_CANCELLED: OrderCancelledData,
    EventType.ORDER_RETURNED: OrderReturnedData,
    EventType.REVIEW_PUBLISHED: ReviewData,
    EventType.REVIEW_REMOVED: ReviewRemovedData,
    EventType.SURVEY_ANSWERED: SurveyData,
    EventType.MEMBERSHIP_STARTED: MembershipPeriodData,
    EventType.MEMBERSHIP_RENEWED: MembershipPeriodData,
    EventType.MEMBERSHIP_CANCELLED: MembershipEndData,
    EventType.MEMBERSHIP_EXPIRED: MembershipEndData,
}


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """A validated event; ``data`` is the type's model (a dict for custom ``x.*`` events)."""

    index: int
    id: str
    type: str
    member_id: str
    occurred_at: datetime
    data: BaseModel | dict[str, Any]
    raw: dict[str, Any]
    pointer: str


def _pointer(prefix: str, loc: tuple[int | str, ...]) -> str:
    return prefix + "".join(f"/{part}" for part in loc)


def _data_model(event_type: str, data: dict[str, Any]) -> type[BaseModel] | None:
    if event_type == EventType.ORDER_PAID:
        return OrderData if "lines" in data else OrderRef
    return DATA_MODELS.get(event_type)


def parse_event(raw: Any, *, pointer: str = "", index: int = 0) -> ParsedEvent:
    """Validate one event.

    Raises:
        InvalidRequestError: with one ``FieldError`` per bad field, pointers under ``pointer``.
    """
    try:
        envelope = EventIn.model_validate(raw)
    except ValidationError as exc:
        raise _invalid(exc, pointer) from None
    data: BaseModel | dict[str, Any]
    model = _data_model(envelope.type, envelope.data)
    if model is not None:
        try:
            data = model.model_validate(envelope.data)
        except ValidationError as exc:
            raise _invalid(exc, f"{pointer}/data") from None
    elif CUSTOM_TYPE.match(envelope.type):
        data = envelope.data
    else:
        known = ", ".join(sorted({*DATA_MODELS, EventType.ORDER_PAID}))
        raise InvalidRequestError(
            f"unknown event type {envelope.type!r}",
            code="event_type_unknown",
            errors=[FieldError(f"{pointer}/type", f"use one of {known} or x.<name>")],
        )
    return ParsedEvent(
        index=index,
        id=envelope.id,
        type=envelope.type,
        member_id=envelope.member_id,
        occurred_at=envelope.occurred_at,
        data=data,
        raw=raw,
        pointer=pointer,
    )


def parse_batch(body: Any) -> tuple[list[ParsedEvent], bool]:
    """Accept one event, a JSON array of events or ``{"events": [...]}``.

    Returns the events and whether the body was a batch. Every bad field of every event is
    reported at once.
    """
    if isinstance(body, dict) and "events" in body and "id" not in body:
        items, prefix = body["events"], "/events"
        if set(body) - {"events"}:
            raise InvalidRequestError(
                "a batch body has only the key 'events'",
                code="request_invalid",
                errors=[
                    FieldError(f"/{k}", "unexpected key") for k in sorted(set(body) - {"events"})
                ],
            )
    elif isinstance(body, list):
        items, prefix = body, ""
    elif isinstance(body, dict):
        return [parse_event(body)], False
    else:
        raise InvalidRequestError(
            'the body must be an event, an array of events or {"events": [...]}',
            code="request_invalid",
            errors=[FieldError("", "expected an object or an array")],
        )
    if not isinstance(items, list):
        raise InvalidRequestError(
            "events must be an array",
            code="request_invalid",
            errors=[FieldError(prefix, "expected an array")],
        )
    if not items:
        raise InvalidRequestError(
            "a batch needs at least one event",
            code="batch_empty",
            errors=[FieldError(prefix or "", "empty batch")],
        )
    if len(items) > MAX_BATCH:
        raise InvalidRequestError(
            f"a batch holds at most {MAX_BATCH} events, this one has {len(items)}",
            code="batch_too_large",
            errors=[FieldError(prefix or "", f"at most {MAX_BATCH} items")],
        )
    parsed: list[ParsedEvent] = []
    errors: list[FieldError] = []
    first: InvalidRequestError | None = None
    for i, item in enumerate(items):
        try:
            parsed.append(parse_event(item, pointer=f"{prefix}/{i}", index=i))
        except InvalidRequestError as exc:
            first = first or exc
            errors.extend(exc.errors)
    if first is not None:
        raise InvalidRequestError(
            first.detail
            if len(errors) == len(first.errors)
            else f"{len(errors)} invalid fields in the batch; nothing was applied",
            code=first.code if len(errors) == len(first.errors) else "batch_invalid",
            errors=errors,
        )
    return parsed, True


def _invalid(exc: ValidationError, prefix: str) -> InvalidRequestError:
    errors = [FieldError(_pointer(prefix, tuple(err["loc"])), err["msg"]) for err in exc.errors()]
    return InvalidRequestError(
        f"invalid event: {errors[0].pointer or '/'} {errors[0].detail}",
        code="event_invalid",
        errors=errors,
    )
