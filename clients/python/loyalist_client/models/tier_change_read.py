from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TierChangeRead")


@_attrs_define
class TierChangeRead:
    """
    Attributes:
        at (datetime.datetime):
        from_tier (None | str):
        to_tier (None | str):
        qualified_tier (None | str):
        source (str):
        reason (str):
    """

    at: datetime.datetime
    from_tier: None | str
    to_tier: None | str
    qualified_tier: None | str
    source: str
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        from_tier: None | str
        from_tier = self.from_tier

        to_tier: None | str
        to_tier = self.to_tier

        qualified_tier: None | str
        qualified_tier = self.qualified_tier

        source = self.source

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "from_tier": from_tier,
                "to_tier": to_tier,
                "qualified_tier": qualified_tier,
                "source": source,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_from_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_tier = _parse_from_tier(d.pop("from_tier"))

        def _parse_to_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        to_tier = _parse_to_tier(d.pop("to_tier"))

        def _parse_qualified_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        qualified_tier = _parse_qualified_tier(d.pop("qualified_tier"))

        source = d.pop("source")

        reason = d.pop("reason")

        tier_change_read = cls(
            at=at,
            from_tier=from_tier,
            to_tier=to_tier,
            qualified_tier=qualified_tier,
            source=source,
            reason=reason,
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
