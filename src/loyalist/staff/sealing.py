"""Rotation of what staff keep sealed under the master key (the email, the TOTP secrets):
values under a retired master key are sealed again under the active one. The email's
blind index is made with the stored index key, which rotation does not change, so
sign-in by email keeps working."""

from __future__ import annotations

from loyalist.db import resealing
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import StaffUser

_SECRETS = ("email", "totp_secret", "totp_pending_secret")


def count_to_reseal(uow: UnitOfWork) -> int:
    return resealing.count_stale(uow.session, StaffUser, _SECRETS)


def reseal(uow: UnitOfWork, after: int, limit: int) -> tuple[int | None, int]:
    """Seal the secrets of the next ``limit`` staff users above id ``after`` that are under
    a retired master key under the active one. Returns the last user done (None: none
    left) and how many changed.

    Raises:
        MasterKeyMissingError: a secret is sealed by a master key that is not in the keyring.
    """
    return resealing.reseal_stale(uow.session, StaffUser, "id", _SECRETS, after, limit)
