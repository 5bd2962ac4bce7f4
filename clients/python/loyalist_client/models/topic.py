from enum import StrEnum


class Topic(StrEnum):
    BIRTHDAY = "birthday"
    OFFERS = "offers"
    POINTS = "points"
    REVIEWS = "reviews"
    STATEMENT = "statement"
    TIPS = "tips"

    def __str__(self) -> str:
        return str(self.value)
