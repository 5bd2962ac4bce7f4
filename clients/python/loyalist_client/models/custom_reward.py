from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.text import Text


T = TypeVar("T", bound="CustomReward")


@_attrs_define
class CustomReward:
    """Something the shop fulfils itself (a service, an event ticket); no money off.

    Attributes:
        type_ (Literal['custom']):
        description (Text): A text members read, in English and Russian.
    """

    type_: Literal["custom"]
    description: Text

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        description = self.description.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "description": description,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["custom"], d.pop("type"))
        if type_ != "custom":
            raise ValueError(f"type must match const 'custom', got '{type_}'")

        description = Text.from_dict(d.pop("description"))

        custom_reward = cls(
            type_=type_,
            description=description,
        )

        return custom_reward
