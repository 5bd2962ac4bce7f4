from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content import Content


T = TypeVar("T", bound="FollowUp")


@_attrs_define
class FollowUp:
    """A later message of the series: at ``send_at`` (same meaning as the campaign's), or
    ``hours_before_end`` before the deadline (a "last day" reminder); by default only to
    members who have not converted. Control-group members get a "would have sent"
    entry, as for the first message.

        Attributes:
            key (str):
            content (Content): What a message says: a campaign template's key, or inline sources per locale
                (``subject`` and ``body`` (plain text; the email's HTML is made from it in the brand's
                layout unless ``html`` is given); ``short``: the SMS/push text). Every part is a
                sandboxed Jinja2 template over the campaign context (``messages.contexts``).
            send_at (datetime.datetime | None | Unset):
            hours_before_end (int | None | Unset):
            only_unconverted (bool | Unset):  Default: True.
    """

    key: str
    content: Content
    send_at: datetime.datetime | None | Unset = UNSET
    hours_before_end: int | None | Unset = UNSET
    only_unconverted: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        content = self.content.to_dict()

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        hours_before_end: int | None | Unset
        if isinstance(self.hours_before_end, Unset):
            hours_before_end = UNSET
        else:
            hours_before_end = self.hours_before_end

        only_unconverted = self.only_unconverted

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "content": content,
            }
        )
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if hours_before_end is not UNSET:
            field_dict["hours_before_end"] = hours_before_end
        if only_unconverted is not UNSET:
            field_dict["only_unconverted"] = only_unconverted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content import Content  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        content = Content.from_dict(d.pop("content"))

        def _parse_send_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        send_at = _parse_send_at(d.pop("send_at", UNSET))

        def _parse_hours_before_end(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        hours_before_end = _parse_hours_before_end(d.pop("hours_before_end", UNSET))

        only_unconverted = d.pop("only_unconverted", UNSET)

        follow_up = cls(
            key=key,
            content=content,
            send_at=send_at,
            hours_before_end=hours_before_end,
            only_unconverted=only_unconverted,
        )

        return follow_up
