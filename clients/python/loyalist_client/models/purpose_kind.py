from enum import StrEnum


class PurposeKind(StrEnum):
    MARKETING = "marketing"
    PROCESSING = "processing"
    TRANSFER = "transfer"

    def __str__(self) -> str:
        return str(self.value)
