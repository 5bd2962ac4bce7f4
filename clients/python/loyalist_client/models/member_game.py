from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.game_stats import GameStats
    from ..models.member_badge import MemberBadge
    from ..models.member_level import MemberLevel
    from ..models.member_quest import MemberQuest
    from ..models.member_streak import MemberStreak


T = TypeVar("T", bound="MemberGame")


@_attrs_define
class MemberGame:
    """A member's badges, quests in progress, streaks, level and counts (texts in
    ``locale``).

        Attributes:
            member_id (str):
            locale (str):
            badges (list[MemberBadge]):
            quests (list[MemberQuest]):
            streaks (list[MemberStreak]):
            level (MemberLevel | None): none when the program has no levels
            stats (GameStats):
    """

    member_id: str
    locale: str
    badges: list[MemberBadge]
    quests: list[MemberQuest]
    streaks: list[MemberStreak]
    level: MemberLevel | None
    stats: GameStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.member_level import MemberLevel  # noqa: PLC0415

        member_id = self.member_id

        locale = self.locale

        badges = []
        for badges_item_data in self.badges:
            badges_item = badges_item_data.to_dict()
            badges.append(badges_item)

        quests = []
        for quests_item_data in self.quests:
            quests_item = quests_item_data.to_dict()
            quests.append(quests_item)

        streaks = []
        for streaks_item_data in self.streaks:
            streaks_item = streaks_item_data.to_dict()
            streaks.append(streaks_item)

        level: dict[str, Any] | None
        if isinstance(self.level, MemberLevel):
            level = self.level.to_dict()
        else:
            level = self.level

        stats = self.stats.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "locale": locale,
                "badges": badges,
                "quests": quests,
                "streaks": streaks,
                "level": level,
                "stats": stats,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.game_stats import GameStats  # noqa: PLC0415
        from ..models.member_badge import MemberBadge  # noqa: PLC0415
        from ..models.member_level import MemberLevel  # noqa: PLC0415
        from ..models.member_quest import MemberQuest  # noqa: PLC0415
        from ..models.member_streak import MemberStreak  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        locale = d.pop("locale")

        badges = []
        _badges = d.pop("badges")
        for badges_item_data in _badges:
            badges_item = MemberBadge.from_dict(badges_item_data)

            badges.append(badges_item)

        quests = []
        _quests = d.pop("quests")
        for quests_item_data in _quests:
            quests_item = MemberQuest.from_dict(quests_item_data)

            quests.append(quests_item)

        streaks = []
        _streaks = d.pop("streaks")
        for streaks_item_data in _streaks:
            streaks_item = MemberStreak.from_dict(streaks_item_data)

            streaks.append(streaks_item)

        def _parse_level(data: object) -> MemberLevel | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                level_type_0 = MemberLevel.from_dict(data)

                return level_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberLevel | None, data)

        level = _parse_level(d.pop("level"))

        stats = GameStats.from_dict(d.pop("stats"))

        member_game = cls(
            member_id=member_id,
            locale=locale,
            badges=badges,
            quests=quests,
            streaks=streaks,
            level=level,
            stats=stats,
        )

        member_game.additional_properties = d
        return member_game

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
