from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.order_cancelled_data import OrderCancelledData


T = TypeVar("T", bound="OrderCancelledEvent")


@_attrs_define
class OrderCancelledEvent:
    """An event of type `order.cancelled`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['order.cancelled']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (OrderCancelledData):
    """

    id: str
    type_: Literal["order.cancelled"]
    member_id: str
    occurred_at: datetime.datetime
    data: OrderCancelledData

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
        from ..models.order_cancelled_data import OrderCancelledData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["order.cancelled"], d.pop("type"))
        if type_ != "order.cancelled":
            raise ValueError(f"type must match const 'order.cancelled', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = OrderCancelledData.from_dict(d.pop("data"))

        order_cancelled_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return order_cancelled_event
