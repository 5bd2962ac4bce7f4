from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.preview_read_renderings import PreviewReadRenderings


T = TypeVar("T", bound="PreviewRead")


@_attrs_define
class PreviewRead:
    """
    Attributes:
        template (str):
        member_id (None | str):
        time_zone (str): the zone dates and times are shown in
        renderings (PreviewReadRenderings): per locale (en, ru)
    """

    template: str
    member_id: None | str
    time_zone: str
    renderings: PreviewReadRenderings
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        template = self.template

        member_id: None | str
        member_id = self.member_id

        time_zone = self.time_zone

        renderings = self.renderings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "template": template,
                "member_id": member_id,
                "time_zone": time_zone,
                "renderings": renderings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_read_renderings import PreviewReadRenderings  # noqa: PLC0415

        d = dict(src_dict)
        template = d.pop("template")

        def _parse_member_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        member_id = _parse_member_id(d.pop("member_id"))

        time_zone = d.pop("time_zone")

        renderings = PreviewReadRenderings.from_dict(d.pop("renderings"))

        preview_read = cls(
            template=template,
            member_id=member_id,
            time_zone=time_zone,
            renderings=renderings,
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
