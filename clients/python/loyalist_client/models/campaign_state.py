from enum import StrEnum


class CampaignState(StrEnum):
    CANCELLED = "cancelled"
    DRAFT = "draft"
    FINISHED = "finished"
    PAUSED = "paused"
    RUNNING = "running"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
