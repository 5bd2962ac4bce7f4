from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name import Name


T = TypeVar("T", bound="LevelRead")


@_attrs_define
class LevelRead:
    """
    Attributes:
        key (str):
        version (int): raised by every change of the spec
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (Name): A text members may read, in English and Russian.
        points (int):
        kind (Literal['level']):
        description (Name | None | Unset):
        is_active (bool | Unset):  Default: True.
    """

    key: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: Name
    points: int
    kind: Literal["level"]
    description: Name | None | Unset = UNSET
    is_active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.name import Name  # noqa: PLC0415

        key = self.key

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name = self.name.to_dict()

        points = self.points

        kind = self.kind

        description: dict[str, Any] | None | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, Name):
            description = self.description.to_dict()
        else:
            description = self.description

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "name": name,
                "points": points,
                "kind": kind,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        name = Name.from_dict(d.pop("name"))

        points = d.pop("points")

        kind = cast(Literal["level"], d.pop("kind"))
        if kind != "level":
            raise ValueError(f"kind must match const 'level', got '{kind}'")

        def _parse_description(data: object) -> Name | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                description_type_0 = Name.from_dict(data)

                return description_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Name | None | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        is_active = d.pop("is_active", UNSET)

        level_read = cls(
            key=key,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            points=points,
            kind=kind,
            description=description,
            is_active=is_active,
        )

        return level_read
