"""The program: rules with versions, the rule editor with dry run and backtest, tiers, rewards,
gamification.
"""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
