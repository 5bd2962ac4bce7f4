from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.action import Action
from ..types import UNSET, Unset

T = TypeVar("T", bound="SimilarityRule")


@_attrs_define
class SimilarityRule:
    """
    Attributes:
        action (Action | Unset): What a fraud rule does when it fires.
        threshold (int | Unset): rapidfuzz ratio, 0–100 Default: 90.
    """

    action: Action | Unset = UNSET
    threshold: int | Unset = 90

    def to_dict(self) -> dict[str, Any]:
        action: str | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.value

        threshold = self.threshold

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if threshold is not UNSET:
            field_dict["threshold"] = threshold

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _action = d.pop("action", UNSET)
        action: Action | Unset
        if isinstance(_action, Unset):
            action = UNSET
        else:
            action = Action(_action)

        threshold = d.pop("threshold", UNSET)

        similarity_rule = cls(
            action=action,
            threshold=threshold,
        )

        return similarity_rule
