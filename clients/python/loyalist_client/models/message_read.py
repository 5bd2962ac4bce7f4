from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_channel import MessageChannel
from ..models.message_kind import MessageKind
from ..models.message_status import MessageStatus

if TYPE_CHECKING:
    from ..models.status_change_read import StatusChangeRead


T = TypeVar("T", bound="MessageRead")


@_attrs_define
class MessageRead:
    """
    Attributes:
        id (str): stable across retries and resends (the email's Message-ID)
        member_id (str): the member's id
        kind (MessageKind): ``transactional`` needs no consent and is never held or capped; ``marketing`` is.
        channel (MessageChannel):
        journey (str):
        natural_key (str): what the journey fires once per (an order id …)
        template_key (str):
        template_version (int): the version live when it was queued, rendered when sent; 0: the shipped default
        locale (str):
        subject (None | str): none until the delivery job renders it
        status (MessageStatus): ``queued`` and ``held`` wait for the worker; the others are where a message ends
            (``sent`` may still become ``delivered`` when the provider says so).
        reason (None | str):
        attempts (int):
        created_at (datetime.datetime):
        due_at (datetime.datetime):
        next_attempt_at (datetime.datetime | None): while queued or held
        released_at (datetime.datetime | None): when the send-time check let it go
        finished_at (datetime.datetime | None):
        history (list[StatusChangeRead]):
    """

    id: str
    member_id: str
    kind: MessageKind
    channel: MessageChannel
    journey: str
    natural_key: str
    template_key: str
    template_version: int
    locale: str
    subject: None | str
    status: MessageStatus
    reason: None | str
    attempts: int
    created_at: datetime.datetime
    due_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    released_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    history: list[StatusChangeRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        member_id = self.member_id

        kind = self.kind.value

        channel = self.channel.value

        journey = self.journey

        natural_key = self.natural_key

        template_key = self.template_key

        template_version = self.template_version

        locale = self.locale

        subject: None | str
        subject = self.subject

        status = self.status.value

        reason: None | str
        reason = self.reason

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        due_at = self.due_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        released_at: None | str
        if isinstance(self.released_at, datetime.datetime):
            released_at = self.released_at.isoformat()
        else:
            released_at = self.released_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "member_id": member_id,
                "kind": kind,
                "channel": channel,
                "journey": journey,
                "natural_key": natural_key,
                "template_key": template_key,
                "template_version": template_version,
                "locale": locale,
                "subject": subject,
                "status": status,
                "reason": reason,
                "attempts": attempts,
                "created_at": created_at,
                "due_at": due_at,
                "next_attempt_at": next_attempt_at,
                "released_at": released_at,
                "finished_at": finished_at,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_change_read import StatusChangeRead  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        member_id = d.pop("member_id")

        kind = MessageKind(d.pop("kind"))

        channel = MessageChannel(d.pop("channel"))

        journey = d.pop("journey")

        natural_key = d.pop("natural_key")

        template_key = d.pop("template_key")

        template_version = d.pop("template_version")

        locale = d.pop("locale")

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        status = MessageStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_released_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                released_at_type_0 = datetime.datetime.fromisoformat(data)

                return released_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        released_at = _parse_released_at(d.pop("released_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = StatusChangeRead.from_dict(history_item_data)

            history.append(history_item)

        message_read = cls(
            id=id,
            member_id=member_id,
            kind=kind,
            channel=channel,
            journey=journey,
            natural_key=natural_key,
            template_key=template_key,
            template_version=template_version,
            locale=locale,
            subject=subject,
            status=status,
            reason=reason,
            attempts=attempts,
            created_at=created_at,
            due_at=due_at,
            next_attempt_at=next_attempt_at,
            released_at=released_at,
            finished_at=finished_at,
            history=history,
        )

        message_read.additional_properties = d
        return message_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
