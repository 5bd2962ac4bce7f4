"""Messages and campaigns: templates with preview, journeys, the campaign builder and report,
the delivery log.
"""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
