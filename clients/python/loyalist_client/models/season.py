from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.locale_text import LocaleText
    from ..models.season_spec import SeasonSpec


T = TypeVar("T", bound="Season")


@_attrs_define
class Season:
    """A season of the calendar with its next occurrence and a ready-to-copy spec.

    Attributes:
        key (str):
        name (LocaleText): A text members read, in English and Russian (a template source: Jinja2).
        about (LocaleText): A text members read, in English and Russian (a template source: Jinja2).
        day (datetime.date): its next occurrence
        send_at (str): when the copied campaign sends: an ISO 8601 date-time without offset, each member's own wall-
            clock time
        ends_at (datetime.datetime): when its offer ends (the program's time zone)
        spec (SeasonSpec): a CampaignSpec to copy (defaults left out)
    """

    key: str
    name: LocaleText
    about: LocaleText
    day: datetime.date
    send_at: str
    ends_at: datetime.datetime
    spec: SeasonSpec
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name.to_dict()

        about = self.about.to_dict()

        day = self.day.isoformat()

        send_at = self.send_at

        ends_at = self.ends_at.isoformat()

        spec = self.spec.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "about": about,
                "day": day,
                "send_at": send_at,
                "ends_at": ends_at,
                "spec": spec,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.locale_text import LocaleText  # noqa: PLC0415
        from ..models.season_spec import SeasonSpec  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = LocaleText.from_dict(d.pop("name"))

        about = LocaleText.from_dict(d.pop("about"))

        day = datetime.date.fromisoformat(d.pop("day"))

        send_at = d.pop("send_at")

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        spec = SeasonSpec.from_dict(d.pop("spec"))

        season = cls(
            key=key,
            name=name,
            about=about,
            day=day,
            send_at=send_at,
            ends_at=ends_at,
            spec=spec,
        )

        season.additional_properties = d
        return season

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
