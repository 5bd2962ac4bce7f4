"""Problems of the referral program: its configuration, codes, share links and reviews."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class ReferralProgramInvalidError(InvalidRequestError):
    """A reward of the referral program names a coupon campaign that does not exist."""

    code = "referral_program_invalid"


class ReferralCodeUnavailableError(ConflictError):
    """No free personal referral code was found for the member."""

    code = "referral_code_unavailable"


class ReferralLinkNotFoundError(NotFoundError):
    """No member's share link has the token asked for."""

    code = "referral_link_not_found"


class ReferralNotFoundError(NotFoundError):
    """No referral has the id asked for."""

    code = "referral_not_found"


class ReferralNotInReviewError(ConflictError):
    """A referral to approve or reject is not held for review."""

    code = "referral_not_in_review"
