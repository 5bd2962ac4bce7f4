from enum import StrEnum


class PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"

    def __str__(self) -> str:
        return str(self.value)
