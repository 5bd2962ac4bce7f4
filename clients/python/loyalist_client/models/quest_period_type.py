from enum import StrEnum


class QuestPeriodType(StrEnum):
    FIXED = "fixed"
    MONTH = "month"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
