from enum import StrEnum


class HoldoutGroupReportKey(StrEnum):
    HOLDOUT = "holdout"
    REST = "rest"

    def __str__(self) -> str:
        return str(self.value)
