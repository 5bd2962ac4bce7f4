from enum import StrEnum


class CodeMode(StrEnum):
    GENERIC = "generic"
    UNIQUE = "unique"

    def __str__(self) -> str:
        return str(self.value)
