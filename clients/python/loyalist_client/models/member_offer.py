from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_offer_name import MemberOfferName


T = TypeVar("T", bound="MemberOffer")


@_attrs_define
class MemberOffer:
    """One of the member's own coupons: whether it would apply to this cart.

    Attributes:
        code (str):
        campaign (str):
        name (MemberOfferName):
        valid_until (datetime.datetime | None):
        applicable (bool):
        discount (int | None | Unset):
        reason (None | str | Unset):
    """

    code: str
    campaign: str
    name: MemberOfferName
    valid_until: datetime.datetime | None
    applicable: bool
    discount: int | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        campaign = self.campaign

        name = self.name.to_dict()

        valid_until: None | str
        if isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        applicable = self.applicable

        discount: int | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        else:
            discount = self.discount

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "campaign": campaign,
                "name": name,
                "valid_until": valid_until,
                "applicable": applicable,
            }
        )
        if discount is not UNSET:
            field_dict["discount"] = discount
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_offer_name import MemberOfferName  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        campaign = d.pop("campaign")

        name = MemberOfferName.from_dict(d.pop("name"))

        def _parse_valid_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_until = _parse_valid_until(d.pop("valid_until"))

        applicable = d.pop("applicable")

        def _parse_discount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        discount = _parse_discount(d.pop("discount", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        member_offer = cls(
            code=code,
            campaign=campaign,
            name=name,
            valid_until=valid_until,
            applicable=applicable,
            discount=discount,
            reason=reason,
        )

        member_offer.additional_properties = d
        return member_offer

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
