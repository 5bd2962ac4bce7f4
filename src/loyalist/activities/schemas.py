"""The event format the shop sends, validated per type with field-level errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Annotated, Any, Generic, Literal, TypeVar, Union

import orjson
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from loyalist.activities.errors import (
    BatchEmptyError,
    BatchInvalidError,
    BatchTooLargeError,
    CsvHeaderInvalidError,
    EventInvalidError,
    EventTypeUnknownError,
)
from loyalist.activities.models import EventType, OrderChannel, SurveyChannel
from loyalist.errors import FieldError, InvalidRequestError, RequestInvalidError
from loyalist.members.schemas import MemberProfile, canonical_ip

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


_Data = TypeVar("_Data")


class _Envelope(BaseModel, Generic[_Data]):
    """The envelope with ``data`` validated as ``_Data`` (an absent ``data`` is ``{}``)."""

    model_config = ConfigDict(extra="forbid")

    id: Ref
    type: str = Field(max_length=64)
    member_id: Ref
    occurred_at: AwareDatetime
    data: _Data = Field(default_factory=dict, validate_default=True)


class EventIn(_Envelope[dict[str, Any]]):
    """One activity: ``{id, type, member_id, occurred_at, data}``."""


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
_KNOWN_TYPES = ", ".join(sorted({*DATA_MODELS, EventType.ORDER_PAID}))
_UNKNOWN_TYPE = EventTypeUnknownError.code


def _refuse_type(value: str) -> str:
    raise PydanticCustomError(_UNKNOWN_TYPE, f"use one of {_KNOWN_TYPES} or x.<name>")


class _UnknownTypeEvent(EventIn):
    """An event whose ``type`` is neither known nor ``x.<name>``: refused at ``/type``, with
    the envelope's other errors."""

    type: Annotated[str, Field(max_length=64), AfterValidator(_refuse_type)]


def _variant(raw: Any) -> str:
    """The union member for a raw event: its data model's name, ``EventIn`` for a custom
    event or a shape the plain envelope reports best, ``unknown`` for an unknown type."""
    if not isinstance(raw, dict):
        return "EventIn"
    kind, data = raw.get("type"), raw.get("data", {})
    if not isinstance(kind, str) or not isinstance(data, dict):
        return "EventIn"
    if kind == EventType.ORDER_PAID:
        return "OrderData" if "lines" in data else "OrderRef"
    model = DATA_MODELS.get(kind)
    if model is not None:
        return model.__name__
    return "EventIn" if CUSTOM_TYPE.match(kind) else "unknown"


_DATA_VARIANTS: list[type[BaseModel]] = [*DATA_MODELS.values(), OrderRef]
_VARIANTS: dict[str, type[BaseModel]] = {
    **{model.__name__: _Envelope[model] for model in _DATA_VARIANTS},  # type: ignore[valid-type]
    "EventIn": EventIn,
    "unknown": _UnknownTypeEvent,
}
#: One raw event, validated as the envelope of its type's data model.
_Event: Any = Annotated[
    Union[tuple(Annotated[model, Tag(tag)] for tag, model in _VARIANTS.items())],  # noqa: UP007
    Discriminator(_variant),
]
_ONE: TypeAdapter[_Envelope[Any]] = TypeAdapter(_Event)
_MANY: TypeAdapter[list[_Envelope[Any]]] = TypeAdapter(list[_Event])


# -- the event format as the OpenAPI document states it -----------------------------------
# Parsing goes through ``_Event`` above (one pass, pointers per field); these models only
# describe the same format to clients: one envelope per type, its ``data`` typed.
def _documented_event(kind: str, data: Any) -> type[BaseModel]:
    name = "".join(part.capitalize() for part in kind.split(".")) + "Event"
    models = data.__args__ if hasattr(data, "__args__") else (data,)
    required = any(f.is_required() for m in models for f in m.model_fields.values())
    return create_model(
        name,
        __base__=_Envelope[data],
        __doc__=f"An event of type `{kind}`, with its `data`.",
        type=(Literal[kind], ...),  # type: ignore[arg-type]
        data=(data, ...) if required else (data, Field(default_factory=dict)),
    )


class CustomEvent(_Envelope[dict[str, Any]]):
    """A shop's own event, ``x.<name>``: any JSON object as ``data`` (rules may match it)."""

    type: str = Field(pattern=CUSTOM_TYPE.pattern, max_length=64)


_KNOWN_EVENTS: Any = Annotated[
    Union[  # noqa: UP007
        tuple(
            _documented_event(kind, OrderData | OrderRef if kind == EventType.ORDER_PAID else model)
            for kind, model in sorted({**DATA_MODELS, EventType.ORDER_PAID: OrderRef}.items())
        )
    ],
    Field(discriminator="type"),
]


def event_json_schemas(ref_template: str) -> dict[str, dict[str, Any]]:
    """The OpenAPI components of the event format by name: ``EventIn`` (one of
    ``KnownEvent``, a union discriminated by ``type`` with ``data`` typed per type, and
    ``CustomEvent``) and the models they use."""
    known = TypeAdapter(_KNOWN_EVENTS).json_schema(ref_template=ref_template)
    custom = CustomEvent.model_json_schema(ref_template=ref_template)
    components: dict[str, dict[str, Any]] = {**known.pop("$defs"), **custom.pop("$defs", {})}
    components["CustomEvent"] = custom
    components["KnownEvent"] = {
        **known,
        "description": "An event of a type Loyalist knows; `type` selects its `data`.",
    }
    components["EventIn"] = {
        "description": "One activity: `{id, type, member_id, occurred_at, data}`.",
        "oneOf": [
            {"$ref": ref_template.format(model="KnownEvent")},
            {"$ref": ref_template.format(model="CustomEvent")},
        ],
        "examples": [EVENT_EXAMPLE],
    }
    return components


class EventAccepted(BaseModel):
    """The answer for one event (a replay answers what the first call answered)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "shop-order-1001-placed",
                    "type": "order.placed",
                    "member_id": "customer-42",
                    "status": "accepted",
                }
            ]
        }
    )

    id: str
    type: str
    member_id: str = Field(description="the member's external id, as sent")
    status: Literal["accepted"]


class BatchAccepted(BaseModel):
    """The answer for a batch: one result per event, in order, and the counts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "id": "shop-order-1001-placed",
                            "type": "order.placed",
                            "member_id": "customer-42",
                            "status": "accepted",
                        }
                    ],
                    "accepted": 1,
                    "replayed": 0,
                }
            ]
        }
    )

    results: list[EventAccepted]
    accepted: int = Field(description="events applied by this call")
    replayed: int = Field(description="events stored before (nothing changed for them)")


#: An event as the shop sends it (the documents' example).
EVENT_EXAMPLE: dict[str, Any] = {
    "id": "shop-order-1001-placed",
    "type": "order.placed",
    "member_id": "customer-42",
    "occurred_at": "2026-03-08T10:15:00Z",
    "data": {
        "order_id": "1001",
        "currency": "EUR",
        "lines": [{"sku": "TEA-01", "name": "Green tea", "quantity": 2, "unit_price": 450}],
        "shipping": 300,
        "total": 1200,
    },
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


def parse_event(raw: Any, *, pointer: str = "", index: int = 0) -> ParsedEvent:
    """Validate one event (a batch goes through ``parse_events``).

    Raises:
        InvalidRequestError: with one ``FieldError`` per bad field, pointers under ``pointer``.
    """
    try:
        envelope = _ONE.validate_python(raw)
    except ValidationError as exc:
        errors = [
            (FieldError(pointer + _where(err["loc"][1:]), err["msg"]), err["type"])
            for err in exc.errors(include_url=False, include_context=False)
        ]
        raise _invalid_event(raw, errors) from None
    return _parsed(envelope, raw, pointer, index)


def parse_events(items: Sequence[Any], *, pointer_base: str = "") -> list[ParsedEvent]:
    """Validate a list of events in one pass; item ``i`` has the pointer ``{pointer_base}/i``.

    Accepts and refuses exactly what ``parse_event`` does for each item, with the same
    pointers and messages.

    Raises:
        InvalidRequestError: every bad field of every event at once; with one bad event, its
            own code and detail, else ``batch_invalid``.
    """
    try:
        envelopes = _MANY.validate_python(items if isinstance(items, list) else list(items))
    except ValidationError as exc:
        raise _invalid_batch(items, exc, pointer_base) from None
    return [
        _parsed(envelope, raw, f"{pointer_base}/{i}", i)
        for i, (envelope, raw) in enumerate(zip(envelopes, items, strict=True))
    ]


def parse_batch(body: Any) -> tuple[list[ParsedEvent], bool]:
    """Accept one event, a JSON array of events or ``{"events": [...]}``.

    Returns the events and whether the body was a batch. Every bad field of every event is
    reported at once.
    """
    if isinstance(body, dict) and "events" in body and "id" not in body:
        items, prefix = body["events"], "/events"
        if set(body) - {"events"}:
            raise RequestInvalidError(
                "a batch body has only the key 'events'",
                errors=[
                    FieldError(f"/{k}", "unexpected key") for k in sorted(set(body) - {"events"})
                ],
            )
    elif isinstance(body, list):
        items, prefix = body, ""
    elif isinstance(body, dict):
        return [parse_event(body)], False
    else:
        raise RequestInvalidError(
            'the body must be an event, an array of events or {"events": [...]}',
            errors=[FieldError("", "expected an object or an array")],
        )
    if not isinstance(items, list):
        raise RequestInvalidError(
            "events must be an array",
            errors=[FieldError(prefix, "expected an array")],
        )
    if not items:
        raise BatchEmptyError(
            "a batch needs at least one event",
            errors=[FieldError(prefix or "", "empty batch")],
        )
    if len(items) > MAX_BATCH:
        raise BatchTooLargeError(
            f"a batch holds at most {MAX_BATCH} events, this one has {len(items)}",
            errors=[FieldError(prefix or "", f"at most {MAX_BATCH} items")],
        )
    return parse_events(items, pointer_base=prefix), True


def _parsed(envelope: _Envelope[Any], raw: Any, pointer: str, index: int) -> ParsedEvent:
    return ParsedEvent(
        index=index,
        id=envelope.id,
        type=envelope.type,
        member_id=envelope.member_id,
        # The stdlib's UTC: pydantic's own zone makes every later offset lookup and
        # formatting of the instant several times slower.
        occurred_at=envelope.occurred_at.astimezone(UTC),
        data=envelope.data,
        raw=raw,
        pointer=pointer,
    )


def _where(loc: tuple[int | str, ...]) -> str:
    """The RFC 6901 pointer of a location inside one event (list index and union tag left
    out): ``~`` and ``/`` in a key are escaped as ``~0`` and ``~1``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def _invalid_event(raw: Any, errors: list[tuple[FieldError, str]]) -> InvalidRequestError:
    """One event's refusal (errors with their Pydantic error types): ``event_type_unknown``
    when the type is its only fault, as the type is then all the shop has to fix."""
    fields = [field for field, _ in errors]
    if len(errors) == 1 and errors[0][1] == _UNKNOWN_TYPE:
        return EventTypeUnknownError(f"unknown event type {raw['type']!r}", errors=fields)
    return EventInvalidError(
        f"invalid event: {fields[0].pointer or '/'} {fields[0].detail}",
        errors=fields,
    )


def _invalid_batch(items: Sequence[Any], exc: ValidationError, prefix: str) -> InvalidRequestError:
    by_event: dict[int, list[tuple[FieldError, str]]] = {}
    for err in exc.errors(include_url=False, include_context=False):
        index, where = int(err["loc"][0]), _where(err["loc"][2:])
        field = FieldError(f"{prefix}/{index}{where}", err["msg"])
        by_event.setdefault(index, []).append((field, err["type"]))
    if len(by_event) == 1:
        [(index, errors)] = by_event.items()
        return _invalid_event(items[index], errors)
    fields = [field for errors in by_event.values() for field, _ in errors]
    return BatchInvalidError(
        f"{len(fields)} invalid fields in the batch; nothing was applied",
        errors=fields,
    )


# -- files of events (the CLI's ``import events`` and the console's imports) -------------
@dataclass(frozen=True, slots=True)
class Line:
    """One record of an events file: its (first) line number, and the event's JSON value
    or what is wrong with the line."""

    number: int
    raw: Any | None
    problem: str | None = None


def read_jsonl(handle: IO[bytes]) -> Iterator[tuple[Line, int]]:
    """Each non-blank line of JSON Lines, with its size in bytes."""
    for number, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        try:
            yield Line(number, orjson.loads(text)), len(text)
        except orjson.JSONDecodeError as exc:
            yield Line(number, None, f"malformed JSON: {exc}"), len(text)


def csv_header(rows: Any) -> list[str]:
    """The first record of a ``csv.reader``, empty when there is none or the reader
    refuses it (a field beyond its limit: no header to read)."""
    try:
        return next(rows, [])
    except csv.Error:
        return []


def csv_records(rows: Any) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """The records a ``csv.reader`` has left, each with the line it starts on (a quoted
    field may span lines); a record it refuses (e.g. a field beyond its limit) is its
    ``csv.Error``, and reading goes on after it."""
    end = rows.line_num
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            number, end = end + 1, rows.line_num
            yield number, exc
            continue
        number, end = end + 1, rows.line_num
        yield number, cells


def read_csv(handle: IO[bytes]) -> Iterator[tuple[Line, int]]:
    """Columns ``id,type,member_id,occurred_at,data`` with ``data`` a JSON object.

    Raises:
        CsvHeaderInvalidError: the header lacks a column (when the first record is read).
    """
    rows = csv.reader(io.TextIOWrapper(handle, encoding="utf-8", newline=""))
    header = csv_header(rows)
    missing = {"id", "type", "member_id", "occurred_at"} - set(header)
    if missing:
        raise CsvHeaderInvalidError(
            f"CSV header lacks {', '.join(sorted(missing))}",
            errors=[FieldError("line 1", "expected id,type,member_id,occurred_at,data")],
        )
    for number, cells in csv_records(rows):
        if isinstance(cells, csv.Error):
            yield Line(number, None, f"not a CSV record: {cells}"), 0
            continue
        if not cells:
            continue
        row = dict(zip(header, cells, strict=False))
        size = sum(len(cell) for cell in cells) + len(cells)
        try:
            data = orjson.loads(row.get("data") or "{}")
        except orjson.JSONDecodeError as exc:
            yield Line(number, None, f"data column is not JSON: {exc}"), size
            continue
        envelope = {k: row.get(k) for k in ("id", "type", "member_id", "occurred_at")}
        yield Line(number, {**envelope, "data": data}), size
