from enum import StrEnum


class ResolutionReasonType0(StrEnum):
    PROGRAM_INACTIVE = "program_inactive"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
