"""Coupons: campaigns with usage, bulk generation with progress, CSV export, redemption look-up
and rollback.
"""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
