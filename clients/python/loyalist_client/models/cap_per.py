from enum import StrEnum


class CapPer(StrEnum):
    EVER = "ever"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
