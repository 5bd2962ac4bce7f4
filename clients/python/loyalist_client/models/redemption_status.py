from enum import StrEnum


class RedemptionStatus(StrEnum):
    REDEEMED = "redeemed"
    RELEASED = "released"
    RESERVED = "reserved"
    ROLLED_BACK = "rolled_back"

    def __str__(self) -> str:
        return str(self.value)
