from enum import StrEnum


class OrderChannel(StrEnum):
    APP = "app"
    POS = "pos"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
