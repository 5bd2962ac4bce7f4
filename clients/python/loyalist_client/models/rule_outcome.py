from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.effect_outcome import EffectOutcome
    from ..models.name import Name


T = TypeVar("T", bound="RuleOutcome")


@_attrs_define
class RuleOutcome:
    """A rule that matched the event: what it gives, and whether a limit cut it.

    Attributes:
        rule (str):
        name (Name): A text members may read, in English and Russian.
        fired (bool):
        points (int):
        points_before_limits (int):
        effects (list[EffectOutcome]):
        coupons (list[str]): coupon campaigns it would issue
        badges (list[str]):
        rewards (list[str]):
        version_id (int | None | Unset): null for rules sent to try
        limited_by (None | str | Unset):
    """

    rule: str
    name: Name
    fired: bool
    points: int
    points_before_limits: int
    effects: list[EffectOutcome]
    coupons: list[str]
    badges: list[str]
    rewards: list[str]
    version_id: int | None | Unset = UNSET
    limited_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rule = self.rule

        name = self.name.to_dict()

        fired = self.fired

        points = self.points

        points_before_limits = self.points_before_limits

        effects = []
        for effects_item_data in self.effects:
            effects_item = effects_item_data.to_dict()
            effects.append(effects_item)

        coupons = self.coupons

        badges = self.badges

        rewards = self.rewards

        version_id: int | None | Unset
        if isinstance(self.version_id, Unset):
            version_id = UNSET
        else:
            version_id = self.version_id

        limited_by: None | str | Unset
        if isinstance(self.limited_by, Unset):
            limited_by = UNSET
        else:
            limited_by = self.limited_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rule": rule,
                "name": name,
                "fired": fired,
                "points": points,
                "points_before_limits": points_before_limits,
                "effects": effects,
                "coupons": coupons,
                "badges": badges,
                "rewards": rewards,
            }
        )
        if version_id is not UNSET:
            field_dict["version_id"] = version_id
        if limited_by is not UNSET:
            field_dict["limited_by"] = limited_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.effect_outcome import EffectOutcome  # noqa: PLC0415
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        rule = d.pop("rule")

        name = Name.from_dict(d.pop("name"))

        fired = d.pop("fired")

        points = d.pop("points")

        points_before_limits = d.pop("points_before_limits")

        effects = []
        _effects = d.pop("effects")
        for effects_item_data in _effects:
            effects_item = EffectOutcome.from_dict(effects_item_data)

            effects.append(effects_item)

        coupons = cast(list[str], d.pop("coupons"))

        badges = cast(list[str], d.pop("badges"))

        rewards = cast(list[str], d.pop("rewards"))

        def _parse_version_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version_id = _parse_version_id(d.pop("version_id", UNSET))

        def _parse_limited_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        limited_by = _parse_limited_by(d.pop("limited_by", UNSET))

        rule_outcome = cls(
            rule=rule,
            name=name,
            fired=fired,
            points=points,
            points_before_limits=points_before_limits,
            effects=effects,
            coupons=coupons,
            badges=badges,
            rewards=rewards,
            version_id=version_id,
            limited_by=limited_by,
        )

        rule_outcome.additional_properties = d
        return rule_outcome

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
