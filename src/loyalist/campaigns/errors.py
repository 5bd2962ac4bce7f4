"""Problems of campaigns."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class MarketingCampaignNotFoundError(NotFoundError):
    """No campaign has the key asked for (coupon campaigns are ``campaign_not_found``)."""

    code = "marketing_campaign_not_found"


class CampaignOfferInvalidError(InvalidRequestError):
    """The campaign's offer names a missing coupon campaign or reward, or its end has passed."""

    code = "campaign_offer_invalid"


class CampaignOfferInactiveError(ConflictError):
    """The campaign's offer names a coupon campaign or reward that is paused or over."""

    code = "campaign_offer_inactive"


class CampaignNotEditableError(ConflictError):
    """The campaign cannot change (or be deleted) in its state: it has started sending."""

    code = "campaign_not_editable"


class CampaignStateConflictError(ConflictError):
    """Pause, resume or cancel of a campaign whose state does not allow it."""

    code = "campaign_state_conflict"


class CampaignExistsError(ConflictError):
    """A season was copied to a key another campaign already has."""

    code = "campaign_exists"


class CampaignSeasonNotFoundError(NotFoundError):
    """No season of the seasonal calendar has the name asked for."""

    code = "campaign_season_not_found"


class CampaignInvalidError(InvalidRequestError):
    """The campaign's key is not one, or its audience condition is not valid CEL."""

    code = "campaign_invalid"


class CampaignNotLaunchableError(ConflictError):
    """The campaign was cancelled: it cannot be launched again (copy it instead)."""

    code = "campaign_not_launchable"
