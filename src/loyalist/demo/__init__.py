"""Deterministic demo shop: catalogue and activity-event stream for demos, tests and benchmarks."""

from loyalist.demo.generator import Product, ShopSpec, catalogue, fresh_orders, generate_events

__all__ = ["Product", "ShopSpec", "catalogue", "fresh_orders", "generate_events"]
