from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.endpoint_read import EndpointRead


T = TypeVar("T", bound="SecretRead")


@_attrs_define
class SecretRead:
    """The endpoint and its new signing secret: shown this once, never again.

    Attributes:
        endpoint (EndpointRead):
        secret (str): whsec_… (Standard Webhooks); keep it, it is not shown again
    """

    endpoint: EndpointRead
    secret: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint.to_dict()

        secret = self.secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "endpoint": endpoint,
                "secret": secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.endpoint_read import EndpointRead  # noqa: PLC0415

        d = dict(src_dict)
        endpoint = EndpointRead.from_dict(d.pop("endpoint"))

        secret = d.pop("secret")

        secret_read = cls(
            endpoint=endpoint,
            secret=secret,
        )

        secret_read.additional_properties = d
        return secret_read

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
