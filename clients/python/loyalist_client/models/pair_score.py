from enum import StrEnum


class PairScore(StrEnum):
    COSINE = "cosine"
    LIFT = "lift"

    def __str__(self) -> str:
        return str(self.value)
