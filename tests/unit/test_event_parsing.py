"""Event validation: the batch parser's pointers, codes and values, and its agreement with
the per-event parser on generated events."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import (
    EnrolmentData,
    OrderData,
    OrderRef,
    ParsedEvent,
    parse_batch,
    parse_event,
    parse_events,
)
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.members.schemas import MemberProfile
from tests.conftest import START, event, order_body


def _order(event_id: str = "e1", **changes: Any) -> dict[str, Any]:
    body = order_body("1043", ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    return event(event_id, "order.placed", "M1", START, **{**body, **changes})


def _refusal(items: list[Any], pointer_base: str = "") -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        parse_events(items, pointer_base=pointer_base)
    return caught.value


class TestParseEventsAccepts:
    def test_gives_each_event_its_model_index_pointer_and_raw_body(self) -> None:
        enrol = event("e0", "member.enrolled", "M1", START, email="Ann@Example.COM")
        order, custom = _order("e1"), event("e2", "x.page_viewed", "M1", START, page="/")

        parsed = parse_events([enrol, order, custom], pointer_base="/events")

        assert [(p.index, p.id, p.type, p.pointer) for p in parsed] == [
            (0, "e0", "member.enrolled", "/events/0"),
            (1, "e1", "order.placed", "/events/1"),
            (2, "e2", "x.page_viewed", "/events/2"),
        ]
        assert [p.raw for p in parsed] == [enrol, order, custom]
        assert all(p.raw is raw for p, raw in zip(parsed, [enrol, order, custom], strict=True))
        assert parsed[0].occurred_at == datetime(2026, 1, 15, 12, tzinfo=UTC)
        assert isinstance(parsed[0].data, EnrolmentData)
        assert parsed[0].data.email == "Ann@example.com"
        assert isinstance(parsed[1].data, OrderData)
        assert parsed[1].data.net_amount == 11000
        assert parsed[2].data == {"page": "/"}

    def test_reads_order_paid_as_a_reference_or_as_a_full_order(self) -> None:
        ref = event("p1", "order.paid", "M1", START, order_id="1043")
        full = {**_order("p2"), "type": "order.paid"}

        parsed = parse_events([ref, full])

        assert [type(p.data) for p in parsed] == [OrderRef, OrderData]

    def test_keeps_which_profile_fields_were_sent_for_partial_updates(self) -> None:
        update = event("u1", "member.updated", "M1", START, first_name="Ann", phone=None)

        [parsed] = parse_events([update])

        assert isinstance(parsed.data, MemberProfile)
        assert parsed.data.model_fields_set == {"first_name", "phone"}

    def test_reads_absent_data_as_an_empty_object(self) -> None:
        bare = {"id": "e1", "type": "x.ping", "member_id": "M1", "occurred_at": "2026-01-15Z"}
        enrol = {**bare, "id": "e2", "type": "member.enrolled"}
        delivered = {**bare, "id": "e3", "type": "order.delivered"}

        with pytest.raises(InvalidRequestError) as caught:
            parse_events([{**bare, "occurred_at": "2026-01-15T12:00:00Z"}, enrol, delivered])

        assert [e.pointer for e in caught.value.errors] == [
            "/1/occurred_at",
            "/2/occurred_at",
            "/2/data/order_id",
        ]
        ok = parse_events([{**e, "occurred_at": "2026-01-15T12:00:00Z"} for e in (bare, enrol)])
        assert ok[0].data == {}
        assert isinstance(ok[1].data, EnrolmentData)
        assert ok[1].data.model_fields_set == set()


class TestParseEventsRefuses:
    def test_reports_every_error_of_every_event_under_its_pointer(self) -> None:
        bad_lines = _order("e1", currency=978)
        bad_lines["data"]["lines"][0]["quantity"] = 0
        bad_lines["data"]["lines"][1]["discount"] = 5000
        unknown = {**_order("e3"), "type": "order.teleported"}
        no_data_object = {**_order("e4"), "data": [1, 2]}
        envelope_and_data = {**_order("e5", total=1), "id": 7, "tenant": "x"}

        refusal = _refusal(
            [_order("e0"), bad_lines, "not an event", unknown, no_data_object, envelope_and_data],
            "/events",
        )

        assert refusal.code == "batch_invalid"
        assert refusal.detail == "9 invalid fields in the batch; nothing was applied"
        assert refusal.errors == [
            FieldError("/events/1/data/currency", "Input should be a valid string"),
            FieldError("/events/1/data/lines/0/quantity", "Input should be greater than 0"),
            FieldError(
                "/events/1/data/lines/1/discount",
                "Value error, discount 5000 exceeds quantity × unit_price",
            ),
            FieldError("/events/2", "Input should be a valid dictionary or instance of EventIn"),
            FieldError("/events/3/type", refusal.errors[4].detail),
            FieldError("/events/4/data", "Input should be a valid dictionary"),
            FieldError("/events/5/id", "Input should be a valid string"),
            FieldError(
                "/events/5/data/total",
                "Value error, total 1 ≠ lines − discounts + shipping + tax = 11495",
            ),
            FieldError("/events/5/tenant", "Extra inputs are not permitted"),
        ]
        assert refusal.errors[4].detail.startswith("use one of member.enrolled, ")
        assert refusal.errors[4].detail.endswith(" or x.<name>")

    def test_one_bad_event_in_a_batch_keeps_its_own_code_and_detail(self) -> None:
        refusal = _refusal([_order("e0"), _order("e1", total=11494)], "/events")

        assert refusal.code == "event_invalid"
        assert refusal.detail == (
            "invalid event: /events/1/data/total "
            "Value error, total 11494 ≠ lines − discounts + shipping + tax = 11495"
        )
        assert [e.pointer for e in refusal.errors] == ["/events/1/data/total"]

    def test_names_an_unknown_type_when_it_is_the_only_fault(self) -> None:
        alone = _refusal([{**_order(), "type": "order.teleported"}])
        with_others = _refusal([{**_order(), "type": "order.teleported", "member_id": ""}])

        assert (alone.code, alone.detail) == (
            "event_type_unknown",
            "unknown event type 'order.teleported'",
        )
        assert [e.pointer for e in alone.errors] == ["/0/type"]
        assert with_others.code == "event_invalid"
        assert [e.pointer for e in with_others.errors] == ["/0/type", "/0/member_id"]

    def test_refuses_custom_types_that_break_the_naming_rule(self) -> None:
        refusal = _refusal([event("e1", "x.Page-Viewed", "M1", START)])

        assert refusal.code == "event_type_unknown"

    def test_escapes_slash_and_tilde_in_pointers(self) -> None:
        refusal = _refusal([{**_order(), "a/b~c": 1}])

        assert [e.pointer for e in refusal.errors] == ["/0/a~1b~0c"]


class TestParseBatch:
    def test_reads_the_three_body_shapes(self) -> None:
        one = _order("e1")

        assert [len(parse_batch(body)[0]) for body in (one, [one], {"events": [one]})] == [1] * 3
        assert [parse_batch(body)[1] for body in (one, [one], {"events": [one]})] == [
            False,
            True,
            True,
        ]
        assert parse_batch({"events": [one]})[0][0].pointer == "/events/0"


# --- agreement of the batch and per-event parsers on generated events -----------------

_EMAILS = ["ann@example.com", "Ann.Lee+promo@Shop.Example.org", "Анна@пример.рф"]
_PROFILE: dict[str, st.SearchStrategy[Any]] = {
    "email": st.sampled_from([*_EMAILS, *_EMAILS, "ann", "ann@localhost", "a..b@x.com"]),
    "phone": st.sampled_from(["+7 912 345-67-89", "+44 7700 900078", None]),
    "first_name": st.sampled_from(["Ann", "Анна", None]),
    "birthday": st.sampled_from(["1990-04-01", "1984-12-31"]),
    "locale": st.sampled_from(["en", "ru"]),
    "timezone": st.sampled_from(["Europe/Moscow", "America/New_York"]),
    "consents": st.sampled_from([{"email": True, "sms": False}, {"push": True}]),
    "attributes": st.sampled_from([{"vip": True, "store": "Riga"}, {"visits": 3}]),
}
_ID = st.sampled_from(["1043", "1044", "r1", "nps"])


def _subset(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sets(st.sampled_from(list(fields))).flatmap(
        lambda keys: st.fixed_dictionaries({k: fields[k] for k in sorted(keys)})
    )


_ORDER_EXTRAS: dict[str, st.SearchStrategy[Any]] = {
    "channel": st.sampled_from(["web", "app"]),
    "referral": st.just({"code": "ANN-7"}),
    "signals": st.just({"ip": "::ffff:10.0.0.1"}),
}


@st.composite
def _order_data(draw: st.DrawFn) -> dict[str, Any]:
    # Now and then a sku twice, which is refused as a whole.
    skus = draw(
        st.lists(
            st.sampled_from(["shoe", "sock", "hat", "bag"]),
            min_size=1,
            max_size=4,
            unique=draw(st.integers(0, 5)) > 0,
        )
    )
    lines: list[dict[str, Any]] = []
    net = 0
    for sku in skus:
        quantity = draw(st.integers(1, 3))
        price, discount = draw(st.sampled_from([100, 5000])), draw(st.sampled_from([0, 50]))
        lines.append({"sku": sku, "quantity": quantity, "unit_price": price, "discount": discount})
        net += quantity * price - discount
    shipping = draw(st.sampled_from([0, 495]))
    return {
        "order_id": draw(_ID),
        "currency": "EUR",
        "lines": lines,
        "shipping": shipping,
        "total": net + shipping,
        **draw(_subset(_ORDER_EXTRAS)),
    }


#: A valid ``data`` for each type.
_DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "member.enrolled": _subset(_PROFILE),
    "member.updated": _subset(_PROFILE),
    "order.placed": _order_data(),
    "order.paid": _order_data() | st.fixed_dictionaries({"order_id": _ID}),
    "order.shipped": st.fixed_dictionaries({"order_id": _ID}, optional={"carrier": st.just("DHL")}),
    "order.delivered": st.fixed_dictionaries({"order_id": _ID}),
    "order.cancelled": st.fixed_dictionaries({"order_id": _ID}, optional={"reason": st.just("x")}),
    "order.returned": st.fixed_dictionaries(
        {"order_id": _ID, "lines": st.just([{"sku": "shoe", "quantity": 1}])}
    ),
    "review.published": st.fixed_dictionaries(
        {"review_id": _ID, "sku": st.just("shoe"), "rating": st.integers(1, 5)}
    ),
    "review.removed": st.fixed_dictionaries({"review_id": _ID}),
    "survey.answered": st.fixed_dictionaries({"survey_id": _ID, "score": st.integers(0, 10)}),
    "membership.started": st.fixed_dictionaries(
        {
            "membership_id": _ID,
            "plan": st.just("gold"),
            "period_end": st.just("2027-01-15T00:00:00Z"),
        }
    ),
    "membership.cancelled": st.fixed_dictionaries({"membership_id": _ID}),
    "x.page_viewed": st.fixed_dictionaries({"page": st.just("/shoes")}),
}
#: What a faulty sender puts in a field.
_ODD_VALUES = ["", 0, -1, 10**14, "two", None, [1], {"a": 1}, "x" * 300, "2026-01-15T12:00:00"]
_ODD_TYPES = ["order.teleported", "x.Bad", "x." + "a" * 70, 5, None]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside ``node`` (dicts and lists)."""
    if isinstance(node, dict):
        children: Iterable[tuple[Any, Any]] = node.items()
    else:
        children = enumerate(node) if isinstance(node, list) else []
    paths = []
    for key, value in children:
        paths.append((*prefix, key))
        paths.extend(_paths(value, (*prefix, key)))
    return paths


@st.composite
def _raw_event(draw: st.DrawFn) -> Any:
    """A valid event of a random type, then none, one or a few faults: a field set to an
    odd value, removed, or added; now and then an item that is not an event at all."""
    if draw(st.integers(0, 24)) == 0:
        return draw(st.sampled_from(["not an event", 7, None, ["a"]]))
    kind = draw(st.sampled_from(list(_DATA)))
    raw: dict[str, Any] = {
        "id": draw(st.sampled_from(["e1", "e2", "e3"])),
        "type": kind,
        "member_id": draw(st.sampled_from(["M1", "M2"])),
        "occurred_at": draw(st.sampled_from(["2026-01-15T12:00:00Z", "2026-01-15T15:00+03:00"])),
        "data": copy.deepcopy(draw(_DATA[kind])),  # st.just values are shared: copy, then edit
    }
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3]))):
        *parents, last = draw(st.sampled_from(_paths(raw)))
        node: Any = raw
        for key in parents:
            node = node[key]
        action = draw(st.sampled_from(["set", "set", "delete", "add"]))
        if action == "delete":
            del node[last]
        elif action == "add" and isinstance(node, dict):
            node["tenant"] = "x"
        else:
            odd = _ODD_TYPES if (not parents and last == "type") else _ODD_VALUES
            node[last] = copy.deepcopy(draw(st.sampled_from(odd)))
    return raw


def _parse_one(raw: Any, index: int) -> ParsedEvent | InvalidRequestError:
    try:
        return parse_event(raw, pointer=f"/{index}", index=index)
    except InvalidRequestError as exc:
        return exc


def _values(event: ParsedEvent) -> tuple[Any, ...]:
    """Everything parsed, with a model's type, values and which fields were sent."""
    data = event.data
    read = (
        data if isinstance(data, dict) else (type(data), data.model_dump(), data.model_fields_set)
    )
    return (event.index, event.id, event.type, event.member_id, event.occurred_at, event.pointer,
            read)  # fmt: skip


class TestBatchAgreesWithPerEventParser:
    @settings(max_examples=300, deadline=None)
    @given(st.lists(_raw_event(), min_size=1, max_size=6))
    def test_accepts_refuses_and_reads_alike(self, items: list[Any]) -> None:
        singles = [_parse_one(raw, i) for i, raw in enumerate(items)]
        refused = [one for one in singles if isinstance(one, InvalidRequestError)]

        try:
            batch: list[ParsedEvent] | InvalidRequestError = parse_events(items)
        except InvalidRequestError as exc:
            batch = exc

        if not refused:
            assert not isinstance(batch, InvalidRequestError), batch.errors
            parsed = [one for one in singles if isinstance(one, ParsedEvent)]
            assert [_values(e) for e in batch] == [_values(e) for e in parsed]
            assert all(b.raw is s.raw for b, s in zip(batch, parsed, strict=True))
            return
        assert isinstance(batch, InvalidRequestError)
        assert batch.errors == [error for one in refused for error in one.errors]
        if len(refused) == 1:
            assert (batch.code, batch.detail) == (refused[0].code, refused[0].detail)
        else:
            assert batch.code == "batch_invalid"
