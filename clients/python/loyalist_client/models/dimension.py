from enum import StrEnum


class Dimension(StrEnum):
    CHANNEL = "channel"
    SEGMENT = "segment"
    TIER = "tier"

    def __str__(self) -> str:
        return str(self.value)
