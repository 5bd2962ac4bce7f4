from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.member_coupon import MemberCoupon


T = TypeVar("T", bound="MemberCoupons")


@_attrs_define
class MemberCoupons:
    """
    Attributes:
        member_id (str):
        items (list[MemberCoupon]):
    """

    member_id: str
    items: list[MemberCoupon]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_coupon import MemberCoupon  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = MemberCoupon.from_dict(items_item_data)

            items.append(items_item)

        member_coupons = cls(
            member_id=member_id,
            items=items,
        )

        member_coupons.additional_properties = d
        return member_coupons

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
