from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.text_shown import TextShown


T = TypeVar("T", bound="ConsentUpdate")


@_attrs_define
class ConsentUpdate:
    """A grant or withdrawal with its evidence: where it was given (``source``: ``api``,
    ``checkout``, ``portal``…), the member's IP address when known, and the text they saw.

        Attributes:
            is_granted (bool):
            source (str | Unset):  Default: 'api'.
            ip (None | str | Unset): the member's IP address (not the caller's)
            text (None | TextShown | Unset):
    """

    is_granted: bool
    source: str | Unset = "api"
    ip: None | str | Unset = UNSET
    text: None | TextShown | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_shown import TextShown  # noqa: PLC0415

        is_granted = self.is_granted

        source = self.source

        ip: None | str | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        else:
            ip = self.ip

        text: dict[str, Any] | None | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        elif isinstance(self.text, TextShown):
            text = self.text.to_dict()
        else:
            text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "is_granted": is_granted,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if ip is not UNSET:
            field_dict["ip"] = ip
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_shown import TextShown  # noqa: PLC0415

        d = dict(src_dict)
        is_granted = d.pop("is_granted")

        source = d.pop("source", UNSET)

        def _parse_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip = _parse_ip(d.pop("ip", UNSET))

        def _parse_text(data: object) -> None | TextShown | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                text_type_0 = TextShown.from_dict(data)

                return text_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextShown | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        consent_update = cls(
            is_granted=is_granted,
            source=source,
            ip=ip,
            text=text,
        )

        return consent_update
