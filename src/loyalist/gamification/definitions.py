"""The active definitions, compiled once per set of stored versions and cached per process.

Handlers ask ``active(uow)`` first: while the stored definitions are unchanged
(``db.configs``) nothing is read; otherwise one indexed query of ``(id, version)`` pairs,
and with no active definition nothing else is loaded. A changed definition has a new
version, so a compiled set is never stale, whatever the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from threading import Lock

from loyalist.db import configs
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import repository
from loyalist.gamification.models import DefinitionKind, GameDefinition
from loyalist.gamification.policy import Criteria, ExpressionError, compile_criteria
from loyalist.gamification.schemas import BadgeSpec, LevelSpec, QuestSpec, Spec, StreakSpec

_CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], Definitions] = OrderedDict()
_cache_lock = Lock()
_ACTIVE: configs.ConfigCache[Definitions] = configs.ConfigCache(configs.GAMIFICATION)

SPECS: dict[str, type[BadgeSpec | QuestSpec | StreakSpec | LevelSpec]] = {
    DefinitionKind.BADGE: BadgeSpec,
    DefinitionKind.QUEST: QuestSpec,
    DefinitionKind.STREAK: StreakSpec,
    DefinitionKind.LEVEL: LevelSpec,
}


class DefinitionError(ValueError):
    """An expression of a definition does not compile; ``path`` is its JSON pointer."""

    def __init__(self, path: str, error: ExpressionError) -> None:
        super().__init__(f"{path}: {error}")
        self.path = path
        self.error = error


@dataclass(frozen=True, slots=True)
class Badge:
    key: str
    spec: BadgeSpec
    criteria: Criteria
    on: frozenset[str]

    def listens(self, event_type: str) -> bool:
        return not self.on or event_type in self.on


@dataclass(frozen=True, slots=True)
class Step:
    event: str
    condition: Criteria | None
    count: int


@dataclass(frozen=True, slots=True)
class Quest:
    key: str
    spec: QuestSpec
    steps: tuple[Step, ...]

    @property
    def targets(self) -> list[int]:
        return [s.count for s in self.steps]


@dataclass(frozen=True, slots=True)
class Streak:
    key: str
    spec: StreakSpec
    condition: Criteria | None
    on: frozenset[str]


@dataclass(frozen=True, slots=True)
class Level:
    key: str
    spec: LevelSpec


@dataclass(frozen=True)
class Definitions:
    badges: tuple[Badge, ...] = ()
    quests: tuple[Quest, ...] = ()
    streaks: tuple[Streak, ...] = ()
    #: Ascending by points.
    levels: tuple[Level, ...] = ()
    #: Event types some badge (without ``on``: every type), step or streak listens to.
    types: frozenset[str] = frozenset()
    every_type: bool = False
    #: Whether an expression reads the tier, lifetime points, or the member's id, segments
    #: or enrolment date: each is read only then.
    needs_tier: bool = False
    needs_points: bool = False
    needs_profile: bool = False
    #: What the expressions read, so a moment's CEL values hold only that.
    member_fields: frozenset[str] = frozenset()
    event_fields: frozenset[str] = frozenset()
    #: Keys of ``event.data`` some expression reads; None: any may be read.
    data_fields: frozenset[str] | None = None
    uses_now: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.badges or self.quests or self.streaks or self.levels)

    @property
    def has_reactions(self) -> bool:
        """Anything facts react to (levels are computed on read)."""
        return bool(self.badges or self.quests or self.streaks)

    def listens(self, event_type: str) -> bool:
        return self.every_type or event_type in self.types

    @property
    def sweep_badges(self) -> tuple[Badge, ...]:
        """Badges evaluated on every fact whose criteria read no event: time alone may make
        them hold, so the sweep evaluates them too."""
        return tuple(b for b in self.badges if not b.on and not b.criteria.uses_event)


EMPTY = Definitions()


def compile_spec(kind: str, spec: Spec) -> Badge | Quest | Streak | Level:
    """Compile one definition (``key`` left empty).

    Raises:
        DefinitionError: an expression does not compile, with its pointer.
    """
    return _compile(kind, "", spec)


def _criteria(path: str, source: str) -> Criteria:
    try:
        return compile_criteria(source)
    except ExpressionError as exc:
        raise DefinitionError(path, exc) from None


def _compile(kind: str, key: str, spec: Spec) -> Badge | Quest | Streak | Level:
    if isinstance(spec, BadgeSpec):
        return Badge(key, spec, _criteria("/criteria", spec.criteria), frozenset(spec.on))
    if isinstance(spec, QuestSpec):
        steps = tuple(
            Step(
                s.event,
                None if s.condition is None else _criteria(f"/steps/{i}/condition", s.condition),
                s.count,
            )
            for i, s in enumerate(spec.steps)
        )
        return Quest(key, spec, steps)
    if isinstance(spec, StreakSpec):
        condition = None if spec.condition is None else _criteria("/condition", spec.condition)
        return Streak(key, spec, condition, frozenset(spec.on))
    return Level(key, spec)


def build(rows: Iterable[GameDefinition]) -> Definitions:
    badges: list[Badge] = []
    quests: list[Quest] = []
    streaks: list[Streak] = []
    levels: list[Level] = []
    for row in rows:
        spec = SPECS[row.kind].model_validate(row.spec)
        compiled = _compile(row.kind, row.key, spec)
        if isinstance(compiled, Badge):
            badges.append(compiled)
        elif isinstance(compiled, Quest):
            quests.append(compiled)
        elif isinstance(compiled, Streak):
            streaks.append(compiled)
        else:
            levels.append(compiled)
    types: set[str] = set()
    every = False
    for badge in badges:
        every = every or not badge.on
        types |= badge.on
    for quest in quests:
        types |= {s.event for s in quest.steps}
    for streak in streaks:
        types |= streak.on
    expressions = [
        *(b.criteria for b in badges),
        *(s.condition for q in quests for s in q.steps if s.condition is not None),
        *(s.condition for s in streaks if s.condition is not None),
    ]
    fields: frozenset[str] = frozenset().union(*(c.member_fields for c in expressions))
    data = [c.data_fields for c in expressions]
    data_fields = None if None in data else frozenset().union(*(d for d in data if d))
    return Definitions(
        needs_tier=any(c.needs_tier for c in expressions),
        needs_points=any(c.needs_points for c in expressions),
        needs_profile=bool(fields & {"id", "segments", "enrolled_at"}),
        member_fields=fields,
        event_fields=frozenset().union(*(c.event_fields for c in expressions)),
        data_fields=data_fields,
        uses_now=any(c.uses_now for c in expressions),
        badges=tuple(sorted(badges, key=lambda b: b.key)),
        quests=tuple(sorted(quests, key=lambda q: q.key)),
        streaks=tuple(sorted(streaks, key=lambda s: s.key)),
        levels=tuple(sorted(levels, key=lambda lv: (lv.spec.points, lv.key))),
        types=frozenset(types),
        every_type=every,
    )


_UNIT_KEY = "gamification.definitions"


def active(uow: UnitOfWork) -> Definitions:
    """The active definitions (``EMPTY`` without any: nothing more is read), read once per
    unit of work (``forget`` after changing one)."""
    found = uow.state.get(_UNIT_KEY)
    if isinstance(found, Definitions):
        return found
    defs = _ACTIVE.get(uow, lambda: _active(uow))
    uow.state[_UNIT_KEY] = defs
    return defs


def forget(uow: UnitOfWork) -> None:
    """The unit changed a definition: the next ``active`` reads them again."""
    uow.state.pop(_UNIT_KEY, None)
    configs.changed(uow)


def _active(uow: UnitOfWork) -> Definitions:
    versions = repository.active_versions(uow.session)
    if not versions:
        return EMPTY
    key: tuple[object, ...] = (str(uow.session.get_bind().engine.url), *versions)

    def load() -> Definitions:
        return build(repository.definitions_by_id(uow.session, [i for i, _ in versions]))

    return _cached(key, load)


def _cached(key: tuple[object, ...], load: Callable[[], Definitions]) -> Definitions:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = load()
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built
