from enum import StrEnum


class ClickReadReasonType0(StrEnum):
    DAILY_LIMIT = "daily_limit"
    DUPLICATE = "duplicate"

    def __str__(self) -> str:
        return str(self.value)
