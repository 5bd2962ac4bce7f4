from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.funnel_counts import FunnelCounts


T = TypeVar("T", bound="MemberReferral")


@_attrs_define
class MemberReferral:
    """A member's personal code, share link and funnel.

    Attributes:
        member_id (str):
        code (str): masked for callers without coupons.export
        token (str):
        share_url (str):
        is_program_active (bool):
        funnel (FunnelCounts): Counts of the referral funnel's stages.
    """

    member_id: str
    code: str
    token: str
    share_url: str
    is_program_active: bool
    funnel: FunnelCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        code = self.code

        token = self.token

        share_url = self.share_url

        is_program_active = self.is_program_active

        funnel = self.funnel.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "code": code,
                "token": token,
                "share_url": share_url,
                "is_program_active": is_program_active,
                "funnel": funnel,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.funnel_counts import FunnelCounts  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        code = d.pop("code")

        token = d.pop("token")

        share_url = d.pop("share_url")

        is_program_active = d.pop("is_program_active")

        funnel = FunnelCounts.from_dict(d.pop("funnel"))

        member_referral = cls(
            member_id=member_id,
            code=code,
            token=token,
            share_url=share_url,
            is_program_active=is_program_active,
            funnel=funnel,
        )

        member_referral.additional_properties = d
        return member_referral

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
