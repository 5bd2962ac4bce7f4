from enum import StrEnum


class RewardRedemptionStatus(StrEnum):
    EXPIRED = "expired"
    ISSUED = "issued"
    REFUNDED = "refunded"

    def __str__(self) -> str:
        return str(self.value)
