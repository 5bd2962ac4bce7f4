from enum import StrEnum


class MemberStreakPeriod(StrEnum):
    MONTH = "month"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
