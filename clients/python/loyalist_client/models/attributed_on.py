from enum import StrEnum


class AttributedOn(StrEnum):
    ENROLLED = "enrolled"
    FIRST_ORDER = "first_order"

    def __str__(self) -> str:
        return str(self.value)
