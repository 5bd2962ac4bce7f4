from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.needs import Needs
    from ..models.tier_ref import TierRef


T = TypeVar("T", bound="NextTierRead")


@_attrs_define
class NextTierRead:
    """
    Attributes:
        tier (TierRef):
        needs (Needs): What is still missing for the next tier; any one of the set figures is enough.
        by (datetime.date | None): last day of the window (calendar year only)
    """

    tier: TierRef
    needs: Needs
    by: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tier = self.tier.to_dict()

        needs = self.needs.to_dict()

        by: None | str
        if isinstance(self.by, datetime.date):
            by = self.by.isoformat()
        else:
            by = self.by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tier": tier,
                "needs": needs,
                "by": by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.needs import Needs  # noqa: PLC0415
        from ..models.tier_ref import TierRef  # noqa: PLC0415

        d = dict(src_dict)
        tier = TierRef.from_dict(d.pop("tier"))

        needs = Needs.from_dict(d.pop("needs"))

        def _parse_by(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                by_type_0 = datetime.date.fromisoformat(data)

                return by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        by = _parse_by(d.pop("by"))

        next_tier_read = cls(
            tier=tier,
            needs=needs,
            by=by,
        )

        next_tier_read.additional_properties = d
        return next_tier_read

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
