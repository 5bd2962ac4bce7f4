"""The platform adapters, one module per platform, each exposing ``ADAPTER`` (an
``adapters.base.Adapter``). Imported by name on first use, so a platform's code loads only
when a shop uses it."""

from __future__ import annotations

import functools
import importlib
from typing import Final

from loyalist.connectors.adapters.base import Adapter

#: platform → the module holding its ``ADAPTER``
MODULES: Final = {
    "shopify": "loyalist.connectors.adapters.shopify",
    "woocommerce": "loyalist.connectors.adapters.woocommerce",
    "saleor": "loyalist.connectors.adapters.saleor",
}
PLATFORMS: Final = tuple(MODULES)


@functools.cache  # keyed by the three platforms only: a webhook then costs no import lookup
def adapter(platform: str) -> Adapter:
    """The adapter of ``platform`` (one of ``PLATFORMS``; KeyError otherwise)."""
    found: Adapter = importlib.import_module(MODULES[platform]).ADAPTER
    return found
