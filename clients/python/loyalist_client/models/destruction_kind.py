from enum import StrEnum


class DestructionKind(StrEnum):
    REQUEST = "request"
    RETENTION = "retention"

    def __str__(self) -> str:
        return str(self.value)
