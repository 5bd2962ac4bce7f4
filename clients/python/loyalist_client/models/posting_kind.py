from enum import StrEnum


class PostingKind(StrEnum):
    ADJUST = "adjust"
    CONFIRM = "confirm"
    EARN = "earn"
    ERASURE = "erasure"
    EXPIRE = "expire"
    HOLD = "hold"
    MATURE = "mature"
    REFUND = "refund"
    RELEASE = "release"
    REVERSE = "reverse"
    SPEND = "spend"

    def __str__(self) -> str:
        return str(self.value)
