from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Signals")


@_attrs_define
class Signals:
    """What the shop knows of the device and payment, for the referral fraud rules. Stored
    only as keyed hashes.

        Attributes:
            ip (None | str | Unset):
            device_id (None | str | Unset):
            payment_fingerprint (None | str | Unset):
            address_fingerprint (None | str | Unset):
    """

    ip: None | str | Unset = UNSET
    device_id: None | str | Unset = UNSET
    payment_fingerprint: None | str | Unset = UNSET
    address_fingerprint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        payment_fingerprint: None | str | Unset
        if isinstance(self.payment_fingerprint, Unset):
            payment_fingerprint = UNSET
        else:
            payment_fingerprint = self.payment_fingerprint

        address_fingerprint: None | str | Unset
        if isinstance(self.address_fingerprint, Unset):
            address_fingerprint = UNSET
        else:
            address_fingerprint = self.address_fingerprint

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ip is not UNSET:
            field_dict["ip"] = ip
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if payment_fingerprint is not UNSET:
            field_dict["payment_fingerprint"] = payment_fingerprint
        if address_fingerprint is not UNSET:
            field_dict["address_fingerprint"] = address_fingerprint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_payment_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_fingerprint = _parse_payment_fingerprint(d.pop("payment_fingerprint", UNSET))

        def _parse_address_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address_fingerprint = _parse_address_fingerprint(d.pop("address_fingerprint", UNSET))

        signals = cls(
            ip=ip,
            device_id=device_id,
            payment_fingerprint=payment_fingerprint,
            address_fingerprint=address_fingerprint,
        )

        return signals
