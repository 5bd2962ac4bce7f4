from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_status import BatchStatus

T = TypeVar("T", bound="BatchRead")


@_attrs_define
class BatchRead:
    """A generation batch; its codes are valid once ``status`` is ``ready``.

    Attributes:
        id (int):
        campaign (str):
        request_key (str):
        length (int):
        prefix (str):
        group (int):
        requested (int):
        generated (int):
        status (BatchStatus): Codes of a batch still being generated are not valid yet.
        created_at (datetime.datetime):
        finished_at (datetime.datetime | None):
        added (int): codes this request stored (0 when it replayed a batch)
    """

    id: int
    campaign: str
    request_key: str
    length: int
    prefix: str
    group: int
    requested: int
    generated: int
    status: BatchStatus
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    added: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        campaign = self.campaign

        request_key = self.request_key

        length = self.length

        prefix = self.prefix

        group = self.group

        requested = self.requested

        generated = self.generated

        status = self.status.value

        created_at = self.created_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        added = self.added

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "campaign": campaign,
                "request_key": request_key,
                "length": length,
                "prefix": prefix,
                "group": group,
                "requested": requested,
                "generated": generated,
                "status": status,
                "created_at": created_at,
                "finished_at": finished_at,
                "added": added,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        campaign = d.pop("campaign")

        request_key = d.pop("request_key")

        length = d.pop("length")

        prefix = d.pop("prefix")

        group = d.pop("group")

        requested = d.pop("requested")

        generated = d.pop("generated")

        status = BatchStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        added = d.pop("added")

        batch_read = cls(
            id=id,
            campaign=campaign,
            request_key=request_key,
            length=length,
            prefix=prefix,
            group=group,
            requested=requested,
            generated=generated,
            status=status,
            created_at=created_at,
            finished_at=finished_at,
            added=added,
        )

        batch_read.additional_properties = d
        return batch_read

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
