from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.next_expiry import NextExpiry


T = TypeVar("T", bound="PointsBalance")


@_attrs_define
class PointsBalance:
    """A member's points: what they can spend now and the lifetime figures.

    Attributes:
        member_id (str): the member's external id
        available (int): spendable now
        pending (int): earned, not yet spendable (returns window)
        on_hold (int): reserved by open holds
        debt (int): points owed after a reversal took more than was left
        lifetime_earned (int):
        spent (int):
        expired (int):
        reversed_ (int):
        next_expiry (NextExpiry | None | Unset): null: nothing expires
    """

    member_id: str
    available: int
    pending: int
    on_hold: int
    debt: int
    lifetime_earned: int
    spent: int
    expired: int
    reversed_: int
    next_expiry: NextExpiry | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.next_expiry import NextExpiry  # noqa: PLC0415

        member_id = self.member_id

        available = self.available

        pending = self.pending

        on_hold = self.on_hold

        debt = self.debt

        lifetime_earned = self.lifetime_earned

        spent = self.spent

        expired = self.expired

        reversed_ = self.reversed_

        next_expiry: dict[str, Any] | None | Unset
        if isinstance(self.next_expiry, Unset):
            next_expiry = UNSET
        elif isinstance(self.next_expiry, NextExpiry):
            next_expiry = self.next_expiry.to_dict()
        else:
            next_expiry = self.next_expiry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "available": available,
                "pending": pending,
                "on_hold": on_hold,
                "debt": debt,
                "lifetime_earned": lifetime_earned,
                "spent": spent,
                "expired": expired,
                "reversed": reversed_,
            }
        )
        if next_expiry is not UNSET:
            field_dict["next_expiry"] = next_expiry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.next_expiry import NextExpiry  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        available = d.pop("available")

        pending = d.pop("pending")

        on_hold = d.pop("on_hold")

        debt = d.pop("debt")

        lifetime_earned = d.pop("lifetime_earned")

        spent = d.pop("spent")

        expired = d.pop("expired")

        reversed_ = d.pop("reversed")

        def _parse_next_expiry(data: object) -> NextExpiry | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_expiry_type_0 = NextExpiry.from_dict(data)

                return next_expiry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextExpiry | None | Unset, data)

        next_expiry = _parse_next_expiry(d.pop("next_expiry", UNSET))

        points_balance = cls(
            member_id=member_id,
            available=available,
            pending=pending,
            on_hold=on_hold,
            debt=debt,
            lifetime_earned=lifetime_earned,
            spent=spent,
            expired=expired,
            reversed_=reversed_,
            next_expiry=next_expiry,
        )

        points_balance.additional_properties = d
        return points_balance

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
