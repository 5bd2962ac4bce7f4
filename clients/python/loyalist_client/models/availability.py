from enum import StrEnum


class Availability(StrEnum):
    AFTER_DAYS = "after_days"
    AFTER_RETURN_WINDOW = "after_return_window"
    IMMEDIATELY = "immediately"

    def __str__(self) -> str:
        return str(self.value)
