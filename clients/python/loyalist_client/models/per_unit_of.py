from enum import StrEnum


class PerUnitOf(StrEnum):
    LINES = "lines"
    ORDER = "order"

    def __str__(self) -> str:
        return str(self.value)
