"""Members: exact search (blind index), member 360 and its actions."""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
