from enum import StrEnum


class ChangeAction(StrEnum):
    CANCELLED = "cancelled"
    CHANGED = "changed"
    CREATED = "created"
    FINISHED = "finished"
    LAUNCHED = "launched"
    PAUSED = "paused"
    RESUMED = "resumed"
    STARTED = "started"
    WINNER = "winner"

    def __str__(self) -> str:
        return str(self.value)
