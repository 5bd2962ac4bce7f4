from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.return_line_in import ReturnLineIn


T = TypeVar("T", bound="OrderReturnedData")


@_attrs_define
class OrderReturnedData:
    """
    Attributes:
        order_id (str):
        lines (list[ReturnLineIn]):
        return_id (None | str | Unset):
        reason (None | str | Unset):
    """

    order_id: str
    lines: list[ReturnLineIn]
    return_id: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        return_id: None | str | Unset
        if isinstance(self.return_id, Unset):
            return_id = UNSET
        else:
            return_id = self.return_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "lines": lines,
            }
        )
        if return_id is not UNSET:
            field_dict["return_id"] = return_id
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.return_line_in import ReturnLineIn  # noqa: PLC0415

        d = dict(src_dict)
        order_id = d.pop("order_id")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = ReturnLineIn.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_return_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        return_id = _parse_return_id(d.pop("return_id", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        order_returned_data = cls(
            order_id=order_id,
            lines=lines,
            return_id=return_id,
            reason=reason,
        )

        return order_returned_data
