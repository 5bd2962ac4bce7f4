from enum import StrEnum


class PersonalField(StrEnum):
    BIRTHDAY = "birthday"
    EMAIL = "email"
    NAME = "name"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
