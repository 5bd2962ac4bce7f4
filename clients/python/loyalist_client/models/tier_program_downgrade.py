from enum import StrEnum


class TierProgramDowngrade(StrEnum):
    ONE_STEP = "one_step"
    TO_QUALIFIED = "to_qualified"

    def __str__(self) -> str:
        return str(self.value)
