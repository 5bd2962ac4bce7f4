from enum import StrEnum


class FriendRewardOn(StrEnum):
    ENROLLED = "enrolled"
    FIRST_ORDER = "first_order"

    def __str__(self) -> str:
        return str(self.value)
