from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.action import Action

T = TypeVar("T", bound="SimpleRule")


@_attrs_define
class SimpleRule:
    """
    Attributes:
        action (Action): What a fraud rule does when it fires.
    """

    action: Action

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = Action(d.pop("action"))

        simple_rule = cls(
            action=action,
        )

        return simple_rule
