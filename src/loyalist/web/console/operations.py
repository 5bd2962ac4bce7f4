"""Operations: staff and roles, API keys, webhook endpoints, imports, the audit log, privacy
requests.
"""

from __future__ import annotations

from loyalist.web.console.kit import console_router

router = console_router()
