from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderPointsEntry")


@_attrs_define
class OrderPointsEntry:
    """A point movement of an order and the rule version behind it.

    Attributes:
        kind (str):
        points (int):
        text (str):
        at (datetime.datetime):
        rule (None | str | Unset):
        rule_version (int | None | Unset):
        rule_version_id (int | None | Unset):
    """

    kind: str
    points: int
    text: str
    at: datetime.datetime
    rule: None | str | Unset = UNSET
    rule_version: int | None | Unset = UNSET
    rule_version_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        points = self.points

        text = self.text

        at = self.at.isoformat()

        rule: None | str | Unset
        if isinstance(self.rule, Unset):
            rule = UNSET
        else:
            rule = self.rule

        rule_version: int | None | Unset
        if isinstance(self.rule_version, Unset):
            rule_version = UNSET
        else:
            rule_version = self.rule_version

        rule_version_id: int | None | Unset
        if isinstance(self.rule_version_id, Unset):
            rule_version_id = UNSET
        else:
            rule_version_id = self.rule_version_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "points": points,
                "text": text,
                "at": at,
            }
        )
        if rule is not UNSET:
            field_dict["rule"] = rule
        if rule_version is not UNSET:
            field_dict["rule_version"] = rule_version
        if rule_version_id is not UNSET:
            field_dict["rule_version_id"] = rule_version_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        points = d.pop("points")

        text = d.pop("text")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rule = _parse_rule(d.pop("rule", UNSET))

        def _parse_rule_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_version = _parse_rule_version(d.pop("rule_version", UNSET))

        def _parse_rule_version_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_version_id = _parse_rule_version_id(d.pop("rule_version_id", UNSET))

        order_points_entry = cls(
            kind=kind,
            points=points,
            text=text,
            at=at,
            rule=rule,
            rule_version=rule_version,
            rule_version_id=rule_version_id,
        )

        order_points_entry.additional_properties = d
        return order_points_entry

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
