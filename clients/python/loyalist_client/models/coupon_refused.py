from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CouponRefused")


@_attrs_define
class CouponRefused:
    """A typed code that does not apply, with the problem code saying why.

    Attributes:
        applied (bool):
        code (str):
        reason (str): a problem code, e.g. `coupon_expired`
        detail (str):
    """

    applied: bool
    code: str
    reason: str
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applied = self.applied

        code = self.code

        reason = self.reason

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applied": applied,
                "code": code,
                "reason": reason,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        applied = d.pop("applied")

        code = d.pop("code")

        reason = d.pop("reason")

        detail = d.pop("detail")

        coupon_refused = cls(
            applied=applied,
            code=code,
            reason=reason,
            detail=detail,
        )

        coupon_refused.additional_properties = d
        return coupon_refused

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
