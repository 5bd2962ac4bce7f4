from enum import StrEnum


class CheckoutStatus(StrEnum):
    ACTIVE = "active"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
