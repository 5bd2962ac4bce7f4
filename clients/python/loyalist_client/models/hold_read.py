from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hold_status import HoldStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="HoldRead")


@_attrs_define
class HoldRead:
    """A reservation of points: active until confirmed, released or timed out.

    Attributes:
        id (str):
        points (int): the points reserved
        confirmed_points (int): the points spent on confirmation (0 before)
        status (HoldStatus):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        member_id (None | str | Unset): null once the member is erased
        reference (None | str | Unset):
        settled_at (datetime.datetime | None | Unset):
    """

    id: str
    points: int
    confirmed_points: int
    status: HoldStatus
    created_at: datetime.datetime
    expires_at: datetime.datetime
    member_id: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        points = self.points

        confirmed_points = self.confirmed_points

        status = self.status.value

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        settled_at: None | str | Unset
        if isinstance(self.settled_at, Unset):
            settled_at = UNSET
        elif isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "points": points,
                "confirmed_points": confirmed_points,
                "status": status,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if reference is not UNSET:
            field_dict["reference"] = reference
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        points = d.pop("points")

        confirmed_points = d.pop("confirmed_points")

        status = HoldStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_settled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        settled_at = _parse_settled_at(d.pop("settled_at", UNSET))

        hold_read = cls(
            id=id,
            points=points,
            confirmed_points=confirmed_points,
            status=status,
            created_at=created_at,
            expires_at=expires_at,
            member_id=member_id,
            reference=reference,
            settled_at=settled_at,
        )

        hold_read.additional_properties = d
        return hold_read

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
