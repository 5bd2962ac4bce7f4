from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preview_in_context_type_0 import PreviewInContextType0


T = TypeVar("T", bound="PreviewIn")


@_attrs_define
class PreviewIn:
    """What to render a template with; an empty body renders the shipped sample data.

    Attributes:
        member_id (None | str | Unset): a member whose name, balance, tier and time zone replace the sample's (or the
            given context's) member and time zone
        context (None | PreviewInContextType0 | Unset): the template's whole context (its shape: GET the OpenAPI schema
            of the key's context in docs, messages/contexts.py); dates as ISO text. Absent: the shipped sample data of each
            locale
    """

    member_id: None | str | Unset = UNSET
    context: None | PreviewInContextType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.preview_in_context_type_0 import PreviewInContextType0  # noqa: PLC0415

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        context: dict[str, Any] | None | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, PreviewInContextType0):
            context = self.context.to_dict()
        else:
            context = self.context

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_in_context_type_0 import PreviewInContextType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))

        def _parse_context(data: object) -> None | PreviewInContextType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = PreviewInContextType0.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreviewInContextType0 | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        preview_in = cls(
            member_id=member_id,
            context=context,
        )

        return preview_in
