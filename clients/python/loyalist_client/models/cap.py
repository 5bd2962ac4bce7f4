from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.cap_per import CapPer
from ..types import UNSET, Unset

T = TypeVar("T", bound="Cap")


@_attrs_define
class Cap:
    """At most ``max_rewarded`` rewarded referrals per referrer per calendar year (program
    time zone) or ever; conversions past it count but earn nothing.

        Attributes:
            max_rewarded (int):
            per (CapPer | Unset):  Default: CapPer.YEAR.
    """

    max_rewarded: int
    per: CapPer | Unset = CapPer.YEAR

    def to_dict(self) -> dict[str, Any]:
        max_rewarded = self.max_rewarded

        per: str | Unset = UNSET
        if not isinstance(self.per, Unset):
            per = self.per.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "max_rewarded": max_rewarded,
            }
        )
        if per is not UNSET:
            field_dict["per"] = per

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_rewarded = d.pop("max_rewarded")

        _per = d.pop("per", UNSET)
        per: CapPer | Unset
        if isinstance(_per, Unset):
            per = UNSET
        else:
            per = CapPer(_per)

        cap = cls(
            max_rewarded=max_rewarded,
            per=per,
        )

        return cap
