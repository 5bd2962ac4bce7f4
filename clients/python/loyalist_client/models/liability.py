from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.liability_system_accounts import LiabilitySystemAccounts


T = TypeVar("T", bound="Liability")


@_attrs_define
class Liability:
    """Outstanding points: minus the sum of the system accounts.

    Attributes:
        outstanding_points (int):
        system_accounts (LiabilitySystemAccounts): balance by system account
        as_of (datetime.datetime):
    """

    outstanding_points: int
    system_accounts: LiabilitySystemAccounts
    as_of: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outstanding_points = self.outstanding_points

        system_accounts = self.system_accounts.to_dict()

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outstanding_points": outstanding_points,
                "system_accounts": system_accounts,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.liability_system_accounts import LiabilitySystemAccounts  # noqa: PLC0415

        d = dict(src_dict)
        outstanding_points = d.pop("outstanding_points")

        system_accounts = LiabilitySystemAccounts.from_dict(d.pop("system_accounts"))

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        liability = cls(
            outstanding_points=outstanding_points,
            system_accounts=system_accounts,
            as_of=as_of,
        )

        liability.additional_properties = d
        return liability

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
