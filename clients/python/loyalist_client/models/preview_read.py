from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preview_read_renderings import PreviewReadRenderings


T = TypeVar("T", bound="PreviewRead")


@_attrs_define
class PreviewRead:
    """
    Attributes:
        template (str):
        time_zone (str): the zone dates and times are shown in
        renderings (PreviewReadRenderings): per locale (en, ru)
        member_id (None | str | Unset):
    """

    template: str
    time_zone: str
    renderings: PreviewReadRenderings
    member_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        template = self.template

        time_zone = self.time_zone

        renderings = self.renderings.to_dict()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "template": template,
                "time_zone": time_zone,
                "renderings": renderings,
            }
        )
        if member_id is not UNSET:
            field_dict["member_id"] = member_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_read_renderings import PreviewReadRenderings  # noqa: PLC0415

        d = dict(src_dict)
        template = d.pop("template")

        time_zone = d.pop("time_zone")

        renderings = PreviewReadRenderings.from_dict(d.pop("renderings"))

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))

        preview_read = cls(
            template=template,
            time_zone=time_zone,
            renderings=renderings,
            member_id=member_id,
        )

        preview_read.additional_properties = d
        return preview_read

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
