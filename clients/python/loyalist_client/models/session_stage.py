from enum import StrEnum


class SessionStage(StrEnum):
    COMPLETE = "complete"
    ENROLMENT = "enrolment"
    TWO_FACTOR = "two_factor"

    def __str__(self) -> str:
        return str(self.value)
