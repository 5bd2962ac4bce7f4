"""Stored configuration cached per process, valid while its row in ``config_versions`` holds.

What a unit of work reads on every event besides the members' own state is configuration:
the rules program, the tiers program, gamification's definitions, the referral program.
Each has a row in ``config_versions`` that a trigger on its table sets to a fresh random
number in the same transaction as any change to it (migration 0013), so a process asks
one query per unit of work (every version at once, the first time one is needed) and
builds a program again only after a change was committed. A change made through another
process is seen by the next unit that starts after its commit; one made earlier in the
same unit is seen after ``changed(uow)`` (the domains' ``forget`` functions call it).

A version value is never reused (a rolled-back change's value is seen by no one), and the
cache is keyed by the database URL too, so one process may serve several databases. A
missing row (a table emptied by hand) only disables the cache for that configuration.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Final, Generic, TypeVar

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base
from loyalist.db.uow import UnitOfWork

T = TypeVar("T")

#: The configurations, bumped by changes to ``rule_versions``, ``tier_programs``,
#: ``game_definitions`` and ``referral_program`` (migration 0013's triggers).
RULES: Final = "rules"
TIERS: Final = "tiers"
GAMIFICATION: Final = "gamification"
REFERRALS: Final = "referrals"
#: Bumped by changes to ``journey_settings`` (migration 0021).
JOURNEYS: Final = "journeys"
#: Bumped by changes to a campaign's state, spec, launch or finish (migration 0046).
CAMPAIGNS: Final = "campaigns"

_UNIT_KEY = "db.config_versions"


class ConfigVersion(Base):
    """The version of one kind of configuration (a random number, new at each change)."""

    __tablename__ = "config_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


def _unit_versions(uow: UnitOfWork) -> tuple[str, dict[str, int]]:
    """The database's URL and every configuration's version, read once per unit."""
    found: tuple[str, dict[str, int]] | None = uow.state.get(_UNIT_KEY)
    if found is None:
        rows = uow.all("SELECT name, version FROM config_versions", ())
        source = uow.session.get_bind().engine.url.render_as_string(hide_password=True)
        found = (source, {str(name): int(version) for name, version in rows})
        uow.state[_UNIT_KEY] = found
    return found


def changed(uow: UnitOfWork) -> None:
    """The unit changed configuration: its next lookup reads the versions again."""
    uow.state.pop(_UNIT_KEY, None)


class ConfigCache(Generic[T]):
    """What a process built from one kind of configuration, by version (a few kept)."""

    def __init__(self, name: str, size: int = 8) -> None:
        self.name = name
        self._size = size
        self._entries: OrderedDict[tuple[object, ...], T] = OrderedDict()
        self._lock = Lock()

    def get(self, uow: UnitOfWork, build: Callable[[], T], *key: object) -> T:
        """The value for the configuration ``uow`` sees (``key``: what else it depends on,
        such as settings); ``build()`` reads and builds it on a miss."""
        source, found = _unit_versions(uow)
        version = found.get(self.name)
        if version is None:
            return build()
        full = (source, version, *key)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                return self._entries[full]
        built = build()
        with self._lock:
            self._entries[full] = built
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return built
