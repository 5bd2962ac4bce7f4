from enum import StrEnum


class SurveyChannel(StrEnum):
    APP = "app"
    CALL = "call"
    EMAIL = "email"
    OTHER = "other"
    POS = "pos"
    SMS = "sms"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
