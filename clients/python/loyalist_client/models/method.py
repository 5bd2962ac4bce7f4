from enum import StrEnum


class Method(StrEnum):
    ALS = "als"
    ITEM_KNN = "item_knn"
    POPULAR = "popular"

    def __str__(self) -> str:
        return str(self.value)
