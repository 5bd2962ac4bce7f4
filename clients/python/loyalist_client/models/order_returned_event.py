from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.order_returned_data import OrderReturnedData


T = TypeVar("T", bound="OrderReturnedEvent")


@_attrs_define
class OrderReturnedEvent:
    """An event of type `order.returned`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['order.returned']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (OrderReturnedData):
    """

    id: str
    type_: Literal["order.returned"]
    member_id: str
    occurred_at: datetime.datetime
    data: OrderReturnedData

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        member_id = self.member_id

        occurred_at = self.occurred_at.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "member_id": member_id,
                "occurred_at": occurred_at,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_returned_data import OrderReturnedData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["order.returned"], d.pop("type"))
        if type_ != "order.returned":
            raise ValueError(f"type must match const 'order.returned', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = OrderReturnedData.from_dict(d.pop("data"))

        order_returned_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return order_returned_event
