"""Rotation of what connectors keep sealed: their signing secrets, under the master key."""

from __future__ import annotations

from loyalist.connectors.models import Connector
from loyalist.db import resealing
from loyalist.db.uow import UnitOfWork

_SEALED = ("secret",)


def count_to_reseal(uow: UnitOfWork) -> int:
    return resealing.count_stale(uow.session, Connector, _SEALED)


def reseal(uow: UnitOfWork, after: str, limit: int) -> tuple[str | None, int]:
    """Seal the secrets of the next ``limit`` connectors above key ``after`` that are under
    a retired master key under the active one. Returns the last key done (None: none left)
    and how many changed.

    Raises:
        MasterKeyMissingError: a secret is sealed by a master key that is not in the keyring.
    """
    return resealing.reseal_stale(uow.session, Connector, "key", _SEALED, after, limit)
