from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.locale import Locale
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent_read import ConsentRead
    from ..models.member_read_attributes import MemberReadAttributes


T = TypeVar("T", bound="MemberRead")


@_attrs_define
class MemberRead:
    """A member. Staff without the ``members.read_pii`` permission get e-mail, phone, last
    name and birthday masked (``a***@e***.ru``, ``+7*******12``, ``Ф.``, ``--05``: the
    month only) and the masked fields named in ``masked``; ``POST
    /api/v1/members/{id}/reveal`` shows one field in full, audited.

        Attributes:
            id (str):
            email (None | str):
            phone (None | str):
            first_name (None | str):
            last_name (None | str):
            birthday (datetime.date | None | str): the date, or `--MM` (the month only) when masked
            locale (Locale):
            timezone (None | str):
            enrolled_at (datetime.datetime | None):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            consents (list[ConsentRead]):
            attributes (MemberReadAttributes):
            segments (list[str]):
            erased_at (datetime.datetime | None | Unset): set when the member's personal data was erased: the member is then
                an opaque shell keeping the books, without personal data
            masked (list[str] | Unset): the fields shown masked (empty: none)
    """

    id: str
    email: None | str
    phone: None | str
    first_name: None | str
    last_name: None | str
    birthday: datetime.date | None | str
    locale: Locale
    timezone: None | str
    enrolled_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    consents: list[ConsentRead]
    attributes: MemberReadAttributes
    segments: list[str]
    erased_at: datetime.datetime | None | Unset = UNSET
    masked: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email: None | str
        email = self.email

        phone: None | str
        phone = self.phone

        first_name: None | str
        first_name = self.first_name

        last_name: None | str
        last_name = self.last_name

        birthday: None | str
        if isinstance(self.birthday, datetime.date):
            birthday = self.birthday.isoformat()
        else:
            birthday = self.birthday

        locale = self.locale.value

        timezone: None | str
        timezone = self.timezone

        enrolled_at: None | str
        if isinstance(self.enrolled_at, datetime.datetime):
            enrolled_at = self.enrolled_at.isoformat()
        else:
            enrolled_at = self.enrolled_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        consents = []
        for consents_item_data in self.consents:
            consents_item = consents_item_data.to_dict()
            consents.append(consents_item)

        attributes = self.attributes.to_dict()

        segments = self.segments

        erased_at: None | str | Unset
        if isinstance(self.erased_at, Unset):
            erased_at = UNSET
        elif isinstance(self.erased_at, datetime.datetime):
            erased_at = self.erased_at.isoformat()
        else:
            erased_at = self.erased_at

        masked: list[str] | Unset = UNSET
        if not isinstance(self.masked, Unset):
            masked = self.masked

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "phone": phone,
                "first_name": first_name,
                "last_name": last_name,
                "birthday": birthday,
                "locale": locale,
                "timezone": timezone,
                "enrolled_at": enrolled_at,
                "created_at": created_at,
                "updated_at": updated_at,
                "consents": consents,
                "attributes": attributes,
                "segments": segments,
            }
        )
        if erased_at is not UNSET:
            field_dict["erased_at"] = erased_at
        if masked is not UNSET:
            field_dict["masked"] = masked

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_read import ConsentRead  # noqa: PLC0415
        from ..models.member_read_attributes import MemberReadAttributes  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        def _parse_first_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        first_name = _parse_first_name(d.pop("first_name"))

        def _parse_last_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_name = _parse_last_name(d.pop("last_name"))

        def _parse_birthday(data: object) -> datetime.date | None | str:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birthday_type_0 = datetime.date.fromisoformat(data)

                return birthday_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | str, data)

        birthday = _parse_birthday(d.pop("birthday"))

        locale = Locale(d.pop("locale"))

        def _parse_timezone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timezone = _parse_timezone(d.pop("timezone"))

        def _parse_enrolled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                enrolled_at_type_0 = datetime.datetime.fromisoformat(data)

                return enrolled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        enrolled_at = _parse_enrolled_at(d.pop("enrolled_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        consents = []
        _consents = d.pop("consents")
        for consents_item_data in _consents:
            consents_item = ConsentRead.from_dict(consents_item_data)

            consents.append(consents_item)

        attributes = MemberReadAttributes.from_dict(d.pop("attributes"))

        segments = cast(list[str], d.pop("segments"))

        def _parse_erased_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                erased_at_type_0 = datetime.datetime.fromisoformat(data)

                return erased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        erased_at = _parse_erased_at(d.pop("erased_at", UNSET))

        masked = cast(list[str], d.pop("masked", UNSET))

        member_read = cls(
            id=id,
            email=email,
            phone=phone,
            first_name=first_name,
            last_name=last_name,
            birthday=birthday,
            locale=locale,
            timezone=timezone,
            enrolled_at=enrolled_at,
            created_at=created_at,
            updated_at=updated_at,
            consents=consents,
            attributes=attributes,
            segments=segments,
            erased_at=erased_at,
            masked=masked,
        )

        member_read.additional_properties = d
        return member_read

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
