from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateIn")


@_attrs_define
class GenerateIn:
    """Generate ``count`` unique codes; the same ``request_key`` again resumes, never doubles.

    Attributes:
        count (int):
        request_key (str):
        length (int | Unset):  Default: 10.
        prefix (str | Unset):  Default: ''.
        group (int | Unset): hyphen every N characters; 0 none Default: 0.
    """

    count: int
    request_key: str
    length: int | Unset = 10
    prefix: str | Unset = ""
    group: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        request_key = self.request_key

        length = self.length

        prefix = self.prefix

        group = self.group

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "request_key": request_key,
            }
        )
        if length is not UNSET:
            field_dict["length"] = length
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if group is not UNSET:
            field_dict["group"] = group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        request_key = d.pop("request_key")

        length = d.pop("length", UNSET)

        prefix = d.pop("prefix", UNSET)

        group = d.pop("group", UNSET)

        generate_in = cls(
            count=count,
            request_key=request_key,
            length=length,
            prefix=prefix,
            group=group,
        )

        return generate_in
