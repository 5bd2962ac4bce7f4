from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TierChangeRead")


@_attrs_define
class TierChangeRead:
    """
    Attributes:
        at (datetime.datetime):
        source (str):
        reason (str):
        from_tier (None | str | Unset):
        to_tier (None | str | Unset):
        qualified_tier (None | str | Unset):
    """

    at: datetime.datetime
    source: str
    reason: str
    from_tier: None | str | Unset = UNSET
    to_tier: None | str | Unset = UNSET
    qualified_tier: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        source = self.source

        reason = self.reason

        from_tier: None | str | Unset
        if isinstance(self.from_tier, Unset):
            from_tier = UNSET
        else:
            from_tier = self.from_tier

        to_tier: None | str | Unset
        if isinstance(self.to_tier, Unset):
            to_tier = UNSET
        else:
            to_tier = self.to_tier

        qualified_tier: None | str | Unset
        if isinstance(self.qualified_tier, Unset):
            qualified_tier = UNSET
        else:
            qualified_tier = self.qualified_tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "source": source,
                "reason": reason,
            }
        )
        if from_tier is not UNSET:
            field_dict["from_tier"] = from_tier
        if to_tier is not UNSET:
            field_dict["to_tier"] = to_tier
        if qualified_tier is not UNSET:
            field_dict["qualified_tier"] = qualified_tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        source = d.pop("source")

        reason = d.pop("reason")

        def _parse_from_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_tier = _parse_from_tier(d.pop("from_tier", UNSET))

        def _parse_to_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_tier = _parse_to_tier(d.pop("to_tier", UNSET))

        def _parse_qualified_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qualified_tier = _parse_qualified_tier(d.pop("qualified_tier", UNSET))

        tier_change_read = cls(
            at=at,
            source=source,
            reason=reason,
            from_tier=from_tier,
            to_tier=to_tier,
            qualified_tier=qualified_tier,
        )

        tier_change_read.additional_properties = d
        return tier_change_read

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
