from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.consent_change_read import ConsentChangeRead
    from ..models.purpose_consent_read import PurposeConsentRead


T = TypeVar("T", bound="MemberConsentsRead")


@_attrs_define
class MemberConsentsRead:
    """
    Attributes:
        member_id (str):
        purposes (list[PurposeConsentRead]):
        history (list[ConsentChangeRead]): the consent trail, newest first (by when each change happened; at the same
            time, the later recorded first)
    """

    member_id: str
    purposes: list[PurposeConsentRead]
    history: list[ConsentChangeRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        purposes = []
        for purposes_item_data in self.purposes:
            purposes_item = purposes_item_data.to_dict()
            purposes.append(purposes_item)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "purposes": purposes,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_change_read import ConsentChangeRead  # noqa: PLC0415
        from ..models.purpose_consent_read import PurposeConsentRead  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        purposes = []
        _purposes = d.pop("purposes")
        for purposes_item_data in _purposes:
            purposes_item = PurposeConsentRead.from_dict(purposes_item_data)

            purposes.append(purposes_item)

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = ConsentChangeRead.from_dict(history_item_data)

            history.append(history_item)

        member_consents_read = cls(
            member_id=member_id,
            purposes=purposes,
            history=history,
        )

        member_consents_read.additional_properties = d
        return member_consents_read

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
