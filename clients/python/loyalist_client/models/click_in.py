from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClickIn")


@_attrs_define
class ClickIn:
    """
    Attributes:
        click_id (str): the shop's id of the click
        ip (None | str | Unset):
        device_id (None | str | Unset):
    """

    click_id: str
    ip: None | str | Unset = UNSET
    device_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        click_id = self.click_id

        ip: None | str | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        else:
            ip = self.ip

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "click_id": click_id,
            }
        )
        if ip is not UNSET:
            field_dict["ip"] = ip
        if device_id is not UNSET:
            field_dict["device_id"] = device_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        click_id = d.pop("click_id")

        def _parse_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip = _parse_ip(d.pop("ip", UNSET))

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("device_id", UNSET))

        click_in = cls(
            click_id=click_id,
            ip=ip,
            device_id=device_id,
        )

        return click_in
