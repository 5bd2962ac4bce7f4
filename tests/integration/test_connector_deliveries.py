"""Webhooks merged into one write batch: whose each webhook's events are is read once for the
whole batch, and each webhook is still resolved on its own customers and orders."""

from __future__ import annotations

from typing import Any

from loyalist.activities import service as activities
from loyalist.activities.schemas import parse_events
from loyalist.bootstrap import Loyalist
from loyalist.connectors import service
from loyalist.members import service as members
from tests.conftest import START, event, order_body
from tests.integration.helpers import member_pk, send


def delivery(*events: dict[str, Any]) -> service.Delivery:
    return service.Delivery(parse_events(list(events), pointer_base="/events"))


def enrolled(ref: str, email: str) -> dict[str, Any]:
    return event(f"shopify:customer:{ref}:enrolled", "member.enrolled", ref, START, email=email)


class TestIngestDeliveries:
    def test_resolves_each_webhook_of_one_batch_on_its_own_customers_and_orders(
        self, app: Loyalist
    ) -> None:
        send(
            app,
            event("e1", "member.enrolled", "anna", START, email="anna@shop.example"),
            event("e2", "order.paid", "olga", START, **order_body("shopify:77", ("SKU", 1, 900))),
        )
        batch = [
            # A new customer id whose e-mail address is Anna's: her order is Anna's.
            delivery(
                enrolled("shopify:900", "anna@shop.example"),
                event(
                    "shopify:order:901:paid",
                    "order.paid",
                    "shopify:900",
                    START,
                    **order_body("shopify:901", ("SKU", 2, 500)),
                ),
            ),
            # A shipment names no customer: it is the order's member's.
            delivery(
                event(
                    "shopify:order:77:shipped:1",
                    "order.shipped",
                    "shopify:order:77",
                    START,
                    order_id="shopify:77",
                )
            ),
            # A customer nobody knows: enrolled as sent.
            delivery(
                enrolled("shopify:555", "new@shop.example"),
                event(
                    "shopify:order:556:paid",
                    "order.paid",
                    "shopify:555",
                    START,
                    **order_body("shopify:556", ("SKU", 1, 300)),
                ),
            ),
        ]

        booked = app.db.write(lambda uow: service.ingest_deliveries(uow, batch))

        assert [[i for i, o in b.outcomes if not o.replayed] for b in booked] == [
            ["shopify:order:901:paid"],
            ["shopify:order:77:shipped:1"],
            ["shopify:customer:shopify:555:enrolled", "shopify:order:556:paid"],
        ]
        assert [[a.pointer for a in b.adjustments] for b in booked] == [
            ["/events/0/member_id", "/events/1/member_id"],
            ["/events/0/member_id"],
            [],
        ]
        orders = app.db.read(
            lambda uow: activities.find_orders(uow, ["shopify:901", "shopify:77", "shopify:556"])
        )
        assert orders["shopify:901"].member_id == member_pk(app, "anna")
        assert orders["shopify:77"].member_id == member_pk(app, "olga")
        assert orders["shopify:77"].shipped_at is not None
        assert orders["shopify:556"].member_id == member_pk(app, "shopify:555")
        assert app.db.read(lambda uow: members.member_ids(uow, ["shopify:900"])) == {}
