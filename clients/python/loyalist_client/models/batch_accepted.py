from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_accepted import EventAccepted


T = TypeVar("T", bound="BatchAccepted")


@_attrs_define
class BatchAccepted:
    """The answer for a batch: one result per event, in order, and the counts.

    Attributes:
        results (list[EventAccepted]):
        accepted (int): events applied by this call
        replayed (int): events stored before (nothing changed for them)
    """

    results: list[EventAccepted]
    accepted: int
    replayed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        accepted = self.accepted

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "accepted": accepted,
                "replayed": replayed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_accepted import EventAccepted  # noqa: PLC0415

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = EventAccepted.from_dict(results_item_data)

            results.append(results_item)

        accepted = d.pop("accepted")

        replayed = d.pop("replayed")

        batch_accepted = cls(
            results=results,
            accepted=accepted,
            replayed=replayed,
        )

        batch_accepted.additional_properties = d
        return batch_accepted

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
