from enum import StrEnum


class Action(StrEnum):
    BLOCK = "block"
    OFF = "off"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
