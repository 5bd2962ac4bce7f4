"""The Shopify adapter on Shopify's documented payloads and variations of them: what events
each topic maps to, that they validate as ``POST /api/v1/events`` bodies, and the signature."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import OrderData, parse_batch
from loyalist.connectors.adapters import PLATFORMS, adapter
from loyalist.connectors.adapters.base import ConnectorConfig
from loyalist.connectors.adapters.shopify import ADAPTER, PayloadError
from loyalist.connectors.schemas import Platform
from tests.api.connectors_helpers import payload

CONFIG = ConnectorConfig(key="main-shop", platform="shopify", currency="EUR")


def _order(**changes: Any) -> dict[str, Any]:
    order = payload("shopify", "orders_create")
    order.update(changes)
    return order


def _events(topic: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    mapped = ADAPTER.map(topic, body, CONFIG)
    if mapped.events:
        parse_batch(mapped.events)  # every mapped event is a valid event body
    return mapped.events


def _sign(secret: bytes, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()


def test_the_registry_finds_the_adapter_and_the_api_knows_every_platform() -> None:
    assert adapter("shopify") is ADAPTER
    assert [p.value for p in Platform] == list(PLATFORMS)


class TestSignature:
    body = orjson.dumps(payload("shopify", "orders_create"))

    def test_accepts_shopifys_signature_of_the_raw_body(self) -> None:
        headers = {"x-shopify-hmac-sha256": _sign(b"secret", self.body)}

        assert ADAPTER.verify(b"secret", headers, self.body)

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"x-shopify-hmac-sha256": ""},
            {"x-shopify-hmac-sha256": "not base64 at all ✓"},
            {"x-shopify-hmac-sha256": _sign(b"another", orjson.dumps({"id": 1}))},
        ],
    )
    def test_refuses_a_missing_or_wrong_signature(self, headers: dict[str, str]) -> None:
        assert not ADAPTER.verify(b"secret", headers, self.body)

    def test_refuses_a_tampered_body(self) -> None:
        headers = {"x-shopify-hmac-sha256": _sign(b"secret", self.body)}

        assert not ADAPTER.verify(b"secret", headers, self.body.replace(b"199.00", b"19.00"))


class TestOrders:
    def test_the_documented_order_pays_its_lines_and_shipping(self) -> None:
        enrolled, paid = _events("orders/paid", _order())

        assert enrolled["type"] == "member.enrolled"
        assert enrolled["data"] == {
            "email": "john@example.com",
            "first_name": "John",
            "last_name": "Smith",
        }
        assert paid["id"] == "shopify:order:820982911946154508:paid"
        assert paid["member_id"] == "shopify:115310627314723954"
        assert paid["data"]["lines"] == [
            {
                "sku": "IPOD2008PINK",
                "quantity": 2,
                "unit_price": 19900,
                "discount": 0,
                "name": "IPod Nano - 8GB",
            }
        ]
        assert (paid["data"]["shipping"], paid["data"]["total"], paid["data"]["currency"]) == (
            1000,
            40800,
            "USD",
        )

    def test_discount_allocations_are_the_lines_discounts(self) -> None:
        order = _order()
        order["line_items"][1]["sku"] = "IPOD2008BLUE"
        order["line_items"][1]["discount_allocations"] = [{"amount": "5.00"}, {"amount": "15.00"}]

        _, placed = _events("orders/create", order)

        discounts = {line["sku"]: line["discount"] for line in placed["data"]["lines"]}
        assert discounts == {"IPOD2008PINK": 0, "IPOD2008BLUE": 2000}
        assert placed["data"]["total"] == 39800 - 2000 + 1000  # now equal to the stated 388 + 10

    def test_a_yen_order_is_in_whole_yen_and_a_dinar_order_in_fils(self) -> None:
        yen = _order(currency="JPY")
        for line in yen["line_items"]:
            line["price"] = "1990"
        yen["shipping_lines"][0]["discounted_price"] = "500"
        dinar = _order(currency="KWD")
        for line in dinar["line_items"]:
            line["price"] = "12.345"

        _, in_yen = _events("orders/paid", yen)
        _, in_dinar = _events("orders/paid", dinar)

        assert (in_yen["data"]["currency"], in_yen["data"]["lines"][0]["unit_price"]) == (
            "JPY",
            1990,
        )
        assert in_yen["data"]["shipping"] == 500
        assert in_dinar["data"]["lines"][0]["unit_price"] == 12345

    def test_an_order_without_a_currency_takes_the_connectors(self) -> None:
        order = _order()
        del order["currency"]

        _, paid = _events("orders/paid", order)

        assert paid["data"]["currency"] == "EUR"

    def test_taxes_included_in_prices_are_not_added_again(self) -> None:
        order = _order(taxes_included=True, total_tax="66.33", total_price="408.00")

        mapped = ADAPTER.map("orders/paid", order, CONFIG)

        data = mapped.events[1]["data"]
        assert (data["tax"], data["total"]) == (0, 40800)
        assert any(a.pointer == "/tax" for a in mapped.adjustments)

    def test_a_pos_order_is_booked_to_pos_at_its_location(self) -> None:
        _, paid = _events("orders/paid", _order(source_name="pos", location_id=48752903))

        assert (paid["data"]["channel"], paid["data"]["store"]) == ("pos", "location-48752903")

    def test_a_gift_card_is_left_out_and_said(self) -> None:
        order = _order()
        order["line_items"][1].update(gift_card=True, sku="GIFT-50")

        mapped = ADAPTER.map("orders/paid", order, CONFIG)

        assert [line["sku"] for line in mapped.events[1]["data"]["lines"]] == ["IPOD2008PINK"]
        assert "gift card" in mapped.adjustments[0].note

    def test_a_line_without_sku_is_named_by_its_variant(self) -> None:
        order = _order()
        order["line_items"][0]["sku"] = ""
        order["line_items"][1]["sku"] = None

        _, paid = _events("orders/paid", order)

        assert [line["sku"] for line in paid["data"]["lines"]] == ["variant-808950810"]

    def test_an_order_of_gift_cards_only_books_nothing(self) -> None:
        order = _order()
        for line in order["line_items"]:
            line["gift_card"] = True

        mapped = ADAPTER.map("orders/paid", order, CONFIG)

        assert (mapped.events, mapped.ignored) == ([], "no line to book")

    def test_a_customer_without_email_is_enrolled_by_id(self) -> None:
        order = _order(email=None, contact_email=None)
        order["customer"]["email"] = None

        enrolled, paid = _events("orders/paid", order)

        assert enrolled["data"] == {"first_name": "John", "last_name": "Smith"}
        assert paid["member_id"] == "shopify:115310627314723954"

    def test_cancelled_names_the_reason(self) -> None:
        (cancelled,) = _events("orders/cancelled", _order())

        assert cancelled["data"] == {"order_id": "shopify:820982911946154508", "reason": "customer"}
        assert cancelled["occurred_at"] == "2021-12-31T19:00:00-05:00"

    def test_fulfilled_ships_each_fulfillment_with_its_tracking(self) -> None:
        order = payload("shopify", "order_rest_reference")
        order["fulfillments"][0]["status"] = "success"

        (shipped,) = _events("orders/fulfilled", order)

        assert shipped["id"] == "shopify:order:450789469:shipped:255858046:1Z2345"
        assert shipped["data"]["tracking_number"] == "1Z2345"

    def test_a_failed_fulfillment_ships_nothing(self) -> None:
        mapped = ADAPTER.map("orders/fulfilled", payload("shopify", "order_rest_reference"), CONFIG)

        assert mapped.ignored == "the order has no fulfillment with a shipment"


class TestRefundsAndCustomers:
    def test_a_partial_refund_returns_its_lines(self) -> None:
        refund = payload("shopify", "refunds_create")
        refund["created_at"] = "2022-01-03T10:00:00-05:00"
        refund["refund_line_items"][1]["line_item"]["sku"] = "IPOD2008BLUE"

        (returned,) = _events("refunds/create", refund)

        assert returned["data"]["lines"] == [
            {"sku": "IPOD2008PINK", "quantity": 1},
            {"sku": "IPOD2008BLUE", "quantity": 1},
        ]
        assert returned["data"]["return_id"] == "shopify:refund:890088186047892319"
        assert returned["data"]["reason"] == "Things were damaged"

    def test_a_refund_without_a_time_is_refused_at_its_pointer(self) -> None:
        with pytest.raises(PayloadError) as raised:
            ADAPTER.map("refunds/create", payload("shopify", "refunds_create"), CONFIG)

        assert raised.value.pointer == "/processed_at"

    def test_customers_create_and_update(self) -> None:
        customer = payload("shopify", "customers_create")
        customer["phone"] = "+16135550135"
        customer["locale"] = "ru-RU"

        (enrolled,) = _events("customers/create", customer)
        (updated,) = _events("customers/update", customer)

        assert enrolled["data"] == {
            "email": "bob@biller.com",
            "first_name": "Bob",
            "last_name": "Biller",
            "phone": "+16135550135",
            "locale": "ru",
        }
        assert (
            updated["id"] == "shopify:customer:706405506930370084:updated:2021-12-31T19:00:00-05:00"
        )


@settings(max_examples=60, deadline=None)
@given(
    prices=st.lists(st.decimals(min_value=0, max_value=10_000, places=2), min_size=1, max_size=6),
    discounts=st.lists(
        st.decimals(min_value=0, max_value=20_000, places=2), min_size=6, max_size=6
    ),
    quantities=st.lists(st.integers(min_value=0, max_value=5), min_size=6, max_size=6),
    shipping=st.decimals(min_value=0, max_value=100, places=2),
    tax=st.decimals(min_value=0, max_value=500, places=2),
    included=st.booleans(),
    stated=st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_any_order_maps_to_a_valid_order_or_to_nothing(
    prices: list[Any],
    discounts: list[Any],
    quantities: list[int],
    shipping: Any,
    tax: Any,
    included: bool,
    stated: Any,
) -> None:
    """Whatever a platform's arithmetic, the mapped order validates (its total adds up)."""
    order = _order(taxes_included=included, total_tax=str(tax), total_price=str(stated))
    template = order["line_items"][0]
    order["line_items"] = [
        {
            **copy.deepcopy(template),
            "sku": f"SKU-{i % 3}",
            "price": str(price),
            "quantity": quantities[i],
            "discount_allocations": [{"amount": str(discounts[i])}],
        }
        for i, price in enumerate(prices)
    ]
    order["shipping_lines"][0]["discounted_price"] = str(shipping)

    mapped = ADAPTER.map("orders/paid", order, CONFIG)

    if mapped.events:
        OrderData.model_validate(mapped.events[1]["data"])
    else:
        assert all(q == 0 for q in quantities[: len(prices)])
