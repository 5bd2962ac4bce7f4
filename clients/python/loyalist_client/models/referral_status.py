from enum import StrEnum


class ReferralStatus(StrEnum):
    BLOCKED = "blocked"
    CONVERTED = "converted"
    PENDING = "pending"
    QUALIFYING = "qualifying"
    REJECTED = "rejected"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
