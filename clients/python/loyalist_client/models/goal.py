from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Goal")


@_attrs_define
class Goal:
    """A conversion: the member's first ``event`` within ``days`` after their send.

    Attributes:
        event (str | Unset):  Default: 'order.paid'.
        days (int | Unset):  Default: 7.
    """

    event: str | Unset = "order.paid"
    days: int | Unset = 7

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        days = self.days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if event is not UNSET:
            field_dict["event"] = event
        if days is not UNSET:
            field_dict["days"] = days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = d.pop("event", UNSET)

        days = d.pop("days", UNSET)

        goal = cls(
            event=event,
            days=days,
        )

        return goal
