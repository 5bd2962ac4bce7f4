from enum import StrEnum


class PushPlatform(StrEnum):
    FCM = "fcm"
    OTHER = "other"
    RUSTORE = "rustore"

    def __str__(self) -> str:
        return str(self.value)
