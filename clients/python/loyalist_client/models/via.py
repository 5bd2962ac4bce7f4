from enum import StrEnum


class Via(StrEnum):
    CODE = "code"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)
