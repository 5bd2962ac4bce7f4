from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adjustment_read import AdjustmentRead


T = TypeVar("T", bound="WebhookAnswer")


@_attrs_define
class WebhookAnswer:
    """What a platform webhook came to: the Loyalist events accepted (new) and replayed (seen
    before, changed nothing), what the adapter adjusted, or why it was ignored.

        Attributes:
            topic (None | str):
            ignored (None | str | Unset): why nothing was booked
            accepted (list[str] | Unset): ids of new events
            replayed (list[str] | Unset): ids of events seen before
            adjustments (list[AdjustmentRead] | Unset):
    """

    topic: None | str
    ignored: None | str | Unset = UNSET
    accepted: list[str] | Unset = UNSET
    replayed: list[str] | Unset = UNSET
    adjustments: list[AdjustmentRead] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        topic: None | str
        topic = self.topic

        ignored: None | str | Unset
        if isinstance(self.ignored, Unset):
            ignored = UNSET
        else:
            ignored = self.ignored

        accepted: list[str] | Unset = UNSET
        if not isinstance(self.accepted, Unset):
            accepted = self.accepted

        replayed: list[str] | Unset = UNSET
        if not isinstance(self.replayed, Unset):
            replayed = self.replayed

        adjustments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.adjustments, Unset):
            adjustments = []
            for adjustments_item_data in self.adjustments:
                adjustments_item = adjustments_item_data.to_dict()
                adjustments.append(adjustments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "topic": topic,
            }
        )
        if ignored is not UNSET:
            field_dict["ignored"] = ignored
        if accepted is not UNSET:
            field_dict["accepted"] = accepted
        if replayed is not UNSET:
            field_dict["replayed"] = replayed
        if adjustments is not UNSET:
            field_dict["adjustments"] = adjustments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adjustment_read import AdjustmentRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_topic(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        topic = _parse_topic(d.pop("topic"))

        def _parse_ignored(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ignored = _parse_ignored(d.pop("ignored", UNSET))

        accepted = cast(list[str], d.pop("accepted", UNSET))

        replayed = cast(list[str], d.pop("replayed", UNSET))

        _adjustments = d.pop("adjustments", UNSET)
        adjustments: list[AdjustmentRead] | Unset = UNSET
        if _adjustments is not UNSET:
            adjustments = []
            for adjustments_item_data in _adjustments:
                adjustments_item = AdjustmentRead.from_dict(adjustments_item_data)

                adjustments.append(adjustments_item)

        webhook_answer = cls(
            topic=topic,
            ignored=ignored,
            accepted=accepted,
            replayed=replayed,
            adjustments=adjustments,
        )

        webhook_answer.additional_properties = d
        return webhook_answer

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
