"""Problems of campaigns."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class MarketingCampaignNotFoundError(NotFoundError):
    """No campaign has the key asked for (coupon campaigns are ``campaign_not_found``)."""

    code = "marketing_campaign_not_found"


class CampaignOfferInvalidError(InvalidRequestError):
    """The campaign's offer names a coupon campaign or reward that does not exist, or its
    deadline has passed (``errors`` point at the field)."""

    code = "campaign_offer_invalid"


class CampaignOfferInactiveError(ConflictError):
    """The campaign's offer names a coupon campaign or reward that is paused or over."""

    code = "campaign_offer_inactive"
