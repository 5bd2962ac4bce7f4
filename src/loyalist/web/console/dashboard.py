"""The dashboard: KPI tiles for a period against the previous one, time series, cohort
retention, the RFM grid and the order funnel.
"""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
