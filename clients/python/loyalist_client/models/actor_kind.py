from enum import StrEnum


class ActorKind(StrEnum):
    API_KEY = "api_key"
    MEMBER = "member"
    STAFF = "staff"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
