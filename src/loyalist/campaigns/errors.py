"""Problems of campaigns."""

from __future__ import annotations

from loyalist.errors import NotFoundError


class MarketingCampaignNotFoundError(NotFoundError):
    """No campaign has the key asked for (coupon campaigns are ``campaign_not_found``)."""

    code = "marketing_campaign_not_found"
