"""Problems of gamification definitions: badges, quests, streaks and levels."""

from __future__ import annotations

from loyalist.errors import InvalidRequestError, NotFoundError
from loyalist.gamification.models import DefinitionKind


class GamificationInvalidError(InvalidRequestError):
    """A definition's CEL expression does not compile, or its coupon campaign is unknown."""

    code = "gamification_invalid"


class BadgeNotFoundError(NotFoundError):
    """No badge has the key asked for."""

    code = "badge_not_found"


class QuestNotFoundError(NotFoundError):
    """No quest has the key asked for."""

    code = "quest_not_found"


class StreakNotFoundError(NotFoundError):
    """No streak has the key asked for."""

    code = "streak_not_found"


class LevelNotFoundError(NotFoundError):
    """No level has the key asked for."""

    code = "level_not_found"


#: The problem for a definition of each kind that does not exist.
NOT_FOUND: dict[DefinitionKind, type[NotFoundError]] = {
    DefinitionKind.BADGE: BadgeNotFoundError,
    DefinitionKind.QUEST: QuestNotFoundError,
    DefinitionKind.STREAK: StreakNotFoundError,
    DefinitionKind.LEVEL: LevelNotFoundError,
}
