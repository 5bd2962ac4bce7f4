from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.template_version_created import TemplateVersionCreated


T = TypeVar("T", bound="ProgramApplied")


@_attrs_define
class ProgramApplied:
    """What applying a program file changed.

    Attributes:
        created (list[str]): rule keys with a new version
        unchanged (list[str]):
        retired (list[str]):
        tiers_changed (bool):
        orders_backfilled (int):
        journeys_changed (list[str]):
        templates_created (list[TemplateVersionCreated]):
        campaigns_changed (list[str]):
    """

    created: list[str]
    unchanged: list[str]
    retired: list[str]
    tiers_changed: bool
    orders_backfilled: int
    journeys_changed: list[str]
    templates_created: list[TemplateVersionCreated]
    campaigns_changed: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        unchanged = self.unchanged

        retired = self.retired

        tiers_changed = self.tiers_changed

        orders_backfilled = self.orders_backfilled

        journeys_changed = self.journeys_changed

        templates_created = []
        for templates_created_item_data in self.templates_created:
            templates_created_item = templates_created_item_data.to_dict()
            templates_created.append(templates_created_item)

        campaigns_changed = self.campaigns_changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "unchanged": unchanged,
                "retired": retired,
                "tiers_changed": tiers_changed,
                "orders_backfilled": orders_backfilled,
                "journeys_changed": journeys_changed,
                "templates_created": templates_created,
                "campaigns_changed": campaigns_changed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_version_created import TemplateVersionCreated  # noqa: PLC0415

        d = dict(src_dict)
        created = cast(list[str], d.pop("created"))

        unchanged = cast(list[str], d.pop("unchanged"))

        retired = cast(list[str], d.pop("retired"))

        tiers_changed = d.pop("tiers_changed")

        orders_backfilled = d.pop("orders_backfilled")

        journeys_changed = cast(list[str], d.pop("journeys_changed"))

        templates_created = []
        _templates_created = d.pop("templates_created")
        for templates_created_item_data in _templates_created:
            templates_created_item = TemplateVersionCreated.from_dict(templates_created_item_data)

            templates_created.append(templates_created_item)

        campaigns_changed = cast(list[str], d.pop("campaigns_changed"))

        program_applied = cls(
            created=created,
            unchanged=unchanged,
            retired=retired,
            tiers_changed=tiers_changed,
            orders_backfilled=orders_backfilled,
            journeys_changed=journeys_changed,
            templates_created=templates_created,
            campaigns_changed=campaigns_changed,
        )

        program_applied.additional_properties = d
        return program_applied

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
