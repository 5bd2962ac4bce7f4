"""Pure privacy decisions: the export format, masking, what a destruction record says,
when a retention scan is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from loyalist.privacy.models import DestructionKind

#: The export bundle's format name and version (docs/privacy.md describes version 1).
EXPORT_FORMAT: Final = "loyalist.member-export"
EXPORT_VERSION: Final = 1

#: How an erasure destroys data, as the destruction record states it.
METHOD: Final = (
    "Logical destruction in the database, in one transaction: personal fields set to NULL "
    "and the rows holding them deleted (SQLite with secure_delete, its write-ahead log "
    "checkpointed; PostgreSQL rows are dead to every reader and vacuumed later); stored "
    "event data, message contents and free text emptied; the external id replaced by a "
    "keyed hash; unspent points closed by an erasure entry of the ledger; the member's "
    "data key destroyed, so no surviving copy of a value sealed under it can be opened."
)

#: A retention scan starts at most this often.
SCAN_EVERY: Final = timedelta(days=1)


def mask_token(token: str) -> str:
    """A device token as an export shows it: its last four characters only."""
    return "…" + token[-4:] if len(token) > 8 else "…"


def refuses_return(kind: DestructionKind) -> bool:
    """Whether later events for the old external id are refused: when the person asked
    (they are never brought back silently); a member erased by retention may come back
    as a new member."""
    return kind == DestructionKind.REQUEST


def scan_due(started_at: datetime | None, finished_at: datetime | None, now: datetime) -> bool:
    """A scan runs while unfinished, and starts again once a day."""
    return started_at is None or finished_at is None or started_at + SCAN_EVERY <= now
