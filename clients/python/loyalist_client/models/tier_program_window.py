from enum import StrEnum


class TierProgramWindow(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    LIFETIME = "lifetime"
    ROLLING_12_MONTHS = "rolling_12_months"

    def __str__(self) -> str:
        return str(self.value)
