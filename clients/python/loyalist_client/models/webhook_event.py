from enum import StrEnum


class WebhookEvent(StrEnum):
    MESSAGE_CAPPED = "message.capped"
    MESSAGE_DELIVERED = "message.delivered"
    MESSAGE_FAILED = "message.failed"
    MESSAGE_NOT_CONFIGURED = "message.not_configured"
    MESSAGE_SENT = "message.sent"
    MESSAGE_SUPPRESSED = "message.suppressed"
    POINTS_AWARDED = "points.awarded"
    POINTS_EXPIRING = "points.expiring"
    POINTS_MATURED = "points.matured"
    REFERRAL_CONVERTED = "referral.converted"
    REWARD_GRANTED = "reward.granted"
    TIER_DOWNGRADED = "tier.downgraded"
    TIER_UPGRADED = "tier.upgraded"

    def __str__(self) -> str:
        return str(self.value)
