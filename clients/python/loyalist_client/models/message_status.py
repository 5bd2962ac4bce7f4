from enum import StrEnum


class MessageStatus(StrEnum):
    CAPPED = "capped"
    DELIVERED = "delivered"
    FAILED = "failed"
    HELD = "held"
    NOT_CONFIGURED = "not_configured"
    QUEUED = "queued"
    SENT = "sent"
    SUPPRESSED = "suppressed"

    def __str__(self) -> str:
        return str(self.value)
