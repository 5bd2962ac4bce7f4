"""``bench/ingest.py --lines``: every demo order resized to the same number of lines.

The demo shop's baskets are small (about two lines an order); a real gift shop's average
24. ``BasketResizer`` rewrites the demo's ``order.*`` events as they stream by, so one
workload can be ingested with 1, 8 or 30 lines an order and everything else equal.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from loyalist.demo import Product

#: Returns come at most ~33 days after the order is placed (payment, shipping, delivery,
#: then 2–25 days); a placed order is remembered this long, so the resizer's memory is
#: bounded by the orders of that window, however long the stream.
RETURN_WINDOW = timedelta(days=60)

#: Quantity and discount of an added line, as the demo draws them for its own lines.
QUANTITIES = (1, 2, 3)
QUANTITY_WEIGHTS = (82, 13, 5)
DISCOUNT_RATE = 0.18
DISCOUNT_PERCENTS = (10, 15, 20, 25, 30)


class BasketResizer:
    """Called on each event in stream order (``occurred_at`` never decreasing among the
    ``order.*`` events); returns the event with every order resized to ``lines`` lines.

    ``order.placed``: the first ``lines`` of the demo's lines are kept as they are; more
    come from the catalogue, drawn deterministically from the seed and the order id (no
    sku twice, quantity and discount as the demo draws them), and ``total`` is the lines'
    net plus the order's own shipping and tax, as the demo builds it.
    ``order.returned``: a return names only the kept lines it named before; when none of
    them was kept, it returns one unit of the order's first line. Other events pass as they
    are.
    """

    def __init__(self, products: Sequence[Product], lines: int, seed: int) -> None:
        if not 1 <= lines <= len(products):
            raise ValueError(f"lines must be within 1..{len(products)} (the catalogue's size)")
        self.products = list(products)
        self.lines = lines
        self.seed = seed
        self._kept: dict[str, tuple[str, ...]] = {}  # order id → skus kept from the demo
        self._placed: deque[tuple[datetime, str]] = deque()

    @property
    def remembered(self) -> int:
        """Orders whose kept skus are held for their returns (bounded by the window)."""
        return len(self._kept)

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        kind = event["type"]
        if kind == "order.placed":
            return self._placed_order(event)
        if kind == "order.returned":
            return self._returned(event)
        return event

    def _placed_order(self, event: dict[str, Any]) -> dict[str, Any]:
        data = event["data"]
        order_id = str(data["order_id"])
        kept = [dict(line) for line in data["lines"][: self.lines]]
        skus = {line["sku"] for line in kept}
        lines = kept + self._extra_lines(order_id, skus)
        net = sum(line["quantity"] * line["unit_price"] - line["discount"] for line in lines)
        resized = {
            **data,
            "lines": lines,
            "total": net + data.get("shipping", 0) + data.get("tax", 0),
        }
        at = datetime.fromisoformat(event["occurred_at"])
        self._forget_before(at - RETURN_WINDOW)
        self._kept[order_id] = tuple(line["sku"] for line in kept)
        self._placed.append((at, order_id))
        return {**event, "data": resized}

    def _extra_lines(self, order_id: str, taken: set[str]) -> list[dict[str, Any]]:
        missing = self.lines - len(taken)
        if missing <= 0:
            return []
        rng = random.Random(f"bench-baskets:{self.seed}:{order_id}:{self.lines}")
        # ``lines`` distinct products hold at least ``missing`` that are not taken yet.
        picked = [
            product
            for index in rng.sample(range(len(self.products)), self.lines)
            if (product := self.products[index]).sku not in taken
        ][:missing]
        out: list[dict[str, Any]] = []
        for product in picked:
            quantity = rng.choices(QUANTITIES, weights=QUANTITY_WEIGHTS)[0]
            gross = quantity * product.unit_price
            discount = 0
            if rng.random() < DISCOUNT_RATE:
                discount = gross * rng.choice(DISCOUNT_PERCENTS) // 100
            out.append(
                {
                    "sku": product.sku,
                    "name": product.name,
                    "category": product.category,
                    "quantity": quantity,
                    "unit_price": product.unit_price,
                    "discount": discount,
                }
            )
        return out

    def _returned(self, event: dict[str, Any]) -> dict[str, Any]:
        data = event["data"]
        order_id = str(data["order_id"])
        kept = self._kept.get(order_id)
        if kept is None:
            raise LookupError(
                f"order.returned for order {order_id!r}, which was not placed within "
                f"{RETURN_WINDOW.days} days before it in this stream"
            )
        lines = [line for line in data["lines"] if line["sku"] in kept]
        if len(lines) == len(data["lines"]):
            return event
        return {**event, "data": {**data, "lines": lines or [{"sku": kept[0], "quantity": 1}]}}

    def _forget_before(self, cutoff: datetime) -> None:
        while self._placed and self._placed[0][0] < cutoff:
            _, order_id = self._placed.popleft()
            self._kept.pop(order_id, None)
