from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.order_data import OrderData
    from ..models.order_ref import OrderRef


T = TypeVar("T", bound="OrderPaidEvent")


@_attrs_define
class OrderPaidEvent:
    """An event of type `order.paid`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['order.paid']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (OrderData | OrderRef):
    """

    id: str
    type_: Literal["order.paid"]
    member_id: str
    occurred_at: datetime.datetime
    data: OrderData | OrderRef

    def to_dict(self) -> dict[str, Any]:
        from ..models.order_data import OrderData  # noqa: PLC0415

        id = self.id

        type_ = self.type_

        member_id = self.member_id

        occurred_at = self.occurred_at.isoformat()

        data: dict[str, Any]
        if isinstance(self.data, OrderData):
            data = self.data.to_dict()
        else:
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
        from ..models.order_data import OrderData  # noqa: PLC0415
        from ..models.order_ref import OrderRef  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["order.paid"], d.pop("type"))
        if type_ != "order.paid":
            raise ValueError(f"type must match const 'order.paid', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_data(data: object) -> OrderData | OrderRef:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = OrderData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_type_1 = OrderRef.from_dict(data)

            return data_type_1

        data = _parse_data(d.pop("data"))

        order_paid_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return order_paid_event
