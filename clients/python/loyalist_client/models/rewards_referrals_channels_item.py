from enum import StrEnum


class RewardsReferralsChannelsItem(StrEnum):
    EMAIL = "email"
    PUSH = "push"
    SMS = "sms"

    def __str__(self) -> str:
        return str(self.value)
