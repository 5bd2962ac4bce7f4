from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content import Content
    from ..models.offer import Offer


T = TypeVar("T", bound="Variant")


@_attrs_define
class Variant:
    """An arm of an A/B test: its weight, and the content and/or offer it changes (what
    it leaves out is the campaign's).

        Attributes:
            key (str):
            weight (int | Unset):  Default: 1.
            content (Content | Unset): What a message says: a campaign template's key, or inline sources per locale
                (``subject`` and ``body`` (plain text; the email's HTML is made from it in the brand's
                layout unless ``html`` is given); ``short``: the SMS/push text). Every part is a
                sandboxed Jinja2 template over the campaign context (``messages.contexts``).
            offer (None | Offer | Unset):
    """

    key: str
    weight: int | Unset = 1
    content: Content | Unset = UNSET
    offer: None | Offer | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.offer import Offer  # noqa: PLC0415

        key = self.key

        weight = self.weight

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        offer: dict[str, Any] | None | Unset
        if isinstance(self.offer, Unset):
            offer = UNSET
        elif isinstance(self.offer, Offer):
            offer = self.offer.to_dict()
        else:
            offer = self.offer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
            }
        )
        if weight is not UNSET:
            field_dict["weight"] = weight
        if content is not UNSET:
            field_dict["content"] = content
        if offer is not UNSET:
            field_dict["offer"] = offer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content import Content  # noqa: PLC0415
        from ..models.offer import Offer  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        weight = d.pop("weight", UNSET)

        _content = d.pop("content", UNSET)
        content: Content | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = Content.from_dict(_content)

        def _parse_offer(data: object) -> None | Offer | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offer_type_0 = Offer.from_dict(data)

                return offer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Offer | Unset, data)

        offer = _parse_offer(d.pop("offer", UNSET))

        variant = cls(
            key=key,
            weight=weight,
            content=content,
            offer=offer,
        )

        return variant
