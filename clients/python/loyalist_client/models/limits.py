from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_caps import MemberCaps


T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """
    Attributes:
        per_event (int | None | Unset): Most points per event (per order).
        per_member (MemberCaps | Unset): Most points one member may get from the rule per calendar period (program
            zone).
        uses_per_member (int | None | Unset): How many times one member may get the rule, ever.
        budget (int | None | Unset): Most points the rule issues in all (every version).
        uses (int | None | Unset): How many times the rule may fire.
    """

    per_event: int | None | Unset = UNSET
    per_member: MemberCaps | Unset = UNSET
    uses_per_member: int | None | Unset = UNSET
    budget: int | None | Unset = UNSET
    uses: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        per_event: int | None | Unset
        if isinstance(self.per_event, Unset):
            per_event = UNSET
        else:
            per_event = self.per_event

        per_member: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_member, Unset):
            per_member = self.per_member.to_dict()

        uses_per_member: int | None | Unset
        if isinstance(self.uses_per_member, Unset):
            uses_per_member = UNSET
        else:
            uses_per_member = self.uses_per_member

        budget: int | None | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        else:
            budget = self.budget

        uses: int | None | Unset
        if isinstance(self.uses, Unset):
            uses = UNSET
        else:
            uses = self.uses

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if per_event is not UNSET:
            field_dict["per_event"] = per_event
        if per_member is not UNSET:
            field_dict["per_member"] = per_member
        if uses_per_member is not UNSET:
            field_dict["uses_per_member"] = uses_per_member
        if budget is not UNSET:
            field_dict["budget"] = budget
        if uses is not UNSET:
            field_dict["uses"] = uses

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_caps import MemberCaps  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_per_event(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_event = _parse_per_event(d.pop("per_event", UNSET))

        _per_member = d.pop("per_member", UNSET)
        per_member: MemberCaps | Unset
        if isinstance(_per_member, Unset):
            per_member = UNSET
        else:
            per_member = MemberCaps.from_dict(_per_member)

        def _parse_uses_per_member(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        uses_per_member = _parse_uses_per_member(d.pop("uses_per_member", UNSET))

        def _parse_budget(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))

        def _parse_uses(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        uses = _parse_uses(d.pop("uses", UNSET))

        limits = cls(
            per_event=per_event,
            per_member=per_member,
            uses_per_member=uses_per_member,
            budget=budget,
            uses=uses,
        )

        return limits
