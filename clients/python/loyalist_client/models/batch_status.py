from enum import StrEnum


class BatchStatus(StrEnum):
    GENERATING = "generating"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
