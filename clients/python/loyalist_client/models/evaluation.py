from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.award_outcome import AwardOutcome
    from ..models.rule_miss import RuleMiss
    from ..models.rule_outcome import RuleOutcome


T = TypeVar("T", bound="Evaluation")


@_attrs_define
class Evaluation:
    """What an event would get, rule by rule; nothing was written.

    Attributes:
        trigger (str):
        member_known (bool):
        points (int):
        tier_bonus (int):
        rules (list[RuleOutcome]):
        not_fired (list[RuleMiss]):
        awards (list[AwardOutcome]):
        tier (None | str | Unset):
    """

    trigger: str
    member_known: bool
    points: int
    tier_bonus: int
    rules: list[RuleOutcome]
    not_fired: list[RuleMiss]
    awards: list[AwardOutcome]
    tier: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        trigger = self.trigger

        member_known = self.member_known

        points = self.points

        tier_bonus = self.tier_bonus

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        not_fired = []
        for not_fired_item_data in self.not_fired:
            not_fired_item = not_fired_item_data.to_dict()
            not_fired.append(not_fired_item)

        awards = []
        for awards_item_data in self.awards:
            awards_item = awards_item_data.to_dict()
            awards.append(awards_item)

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "trigger": trigger,
                "member_known": member_known,
                "points": points,
                "tier_bonus": tier_bonus,
                "rules": rules,
                "not_fired": not_fired,
                "awards": awards,
            }
        )
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.award_outcome import AwardOutcome  # noqa: PLC0415
        from ..models.rule_miss import RuleMiss  # noqa: PLC0415
        from ..models.rule_outcome import RuleOutcome  # noqa: PLC0415

        d = dict(src_dict)
        trigger = d.pop("trigger")

        member_known = d.pop("member_known")

        points = d.pop("points")

        tier_bonus = d.pop("tier_bonus")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = RuleOutcome.from_dict(rules_item_data)

            rules.append(rules_item)

        not_fired = []
        _not_fired = d.pop("not_fired")
        for not_fired_item_data in _not_fired:
            not_fired_item = RuleMiss.from_dict(not_fired_item_data)

            not_fired.append(not_fired_item)

        awards = []
        _awards = d.pop("awards")
        for awards_item_data in _awards:
            awards_item = AwardOutcome.from_dict(awards_item_data)

            awards.append(awards_item)

        def _parse_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        evaluation = cls(
            trigger=trigger,
            member_known=member_known,
            points=points,
            tier_bonus=tier_bonus,
            rules=rules,
            not_fired=not_fired,
            awards=awards,
            tier=tier,
        )

        evaluation.additional_properties = d
        return evaluation

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
