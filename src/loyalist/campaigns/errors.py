"""Problems of campaigns."""

from __future__ import annotations

from loyalist.errors import ConflictError, NotFoundError


class MarketingCampaignNotFoundError(NotFoundError):
    """No campaign has the key asked for (coupon campaigns are ``campaign_not_found``)."""

    code = "marketing_campaign_not_found"


class CampaignNotLaunchableError(ConflictError):
    """The campaign was cancelled: it cannot be launched again (copy it instead)."""

    code = "campaign_not_launchable"
