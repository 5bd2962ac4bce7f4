from enum import StrEnum


class Stacking(StrEnum):
    COMBINABLE = "combinable"
    EXCLUSIVE = "exclusive"

    def __str__(self) -> str:
        return str(self.value)
