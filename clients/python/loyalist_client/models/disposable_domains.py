from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisposableDomains")


@_attrs_define
class DisposableDomains:
    """Edits to the shipped list of disposable e-mail domains.

    Attributes:
        add (list[str] | Unset):
        exceptions (list[str] | Unset):
    """

    add: list[str] | Unset = UNSET
    exceptions: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        add: list[str] | Unset = UNSET
        if not isinstance(self.add, Unset):
            add = self.add

        exceptions: list[str] | Unset = UNSET
        if not isinstance(self.exceptions, Unset):
            exceptions = self.exceptions

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if add is not UNSET:
            field_dict["add"] = add
        if exceptions is not UNSET:
            field_dict["exceptions"] = exceptions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        add = cast(list[str], d.pop("add", UNSET))

        exceptions = cast(list[str], d.pop("exceptions", UNSET))

        disposable_domains = cls(
            add=add,
            exceptions=exceptions,
        )

        return disposable_domains
