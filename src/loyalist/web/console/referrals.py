"""Referrals: the funnel, the leaderboard and the review queue."""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
