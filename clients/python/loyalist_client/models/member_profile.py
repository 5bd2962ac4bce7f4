from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.locale import Locale
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_profile_attributes_type_0 import MemberProfileAttributesType0
    from ..models.member_profile_consents_type_0 import MemberProfileConsentsType0


T = TypeVar("T", bound="MemberProfile")


@_attrs_define
class MemberProfile:
    """Profile fields; on update only the fields present are changed (``null`` clears one).

    Attributes:
        email (None | str | Unset):
        phone (None | str | Unset):
        first_name (None | str | Unset):
        last_name (None | str | Unset):
        birthday (datetime.date | None | Unset):
        locale (Locale | None | Unset):
        timezone (None | str | Unset):
        consents (MemberProfileConsentsType0 | None | Unset):
        attributes (MemberProfileAttributesType0 | None | Unset): The shop's own member attributes; rules read them as
            `member.attributes`. On update the keys sent replace the stored ones; `null` for a key removes it.
    """

    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET
    birthday: datetime.date | None | Unset = UNSET
    locale: Locale | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    consents: MemberProfileConsentsType0 | None | Unset = UNSET
    attributes: MemberProfileAttributesType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.member_profile_attributes_type_0 import MemberProfileAttributesType0  # noqa: PLC0415
        from ..models.member_profile_consents_type_0 import MemberProfileConsentsType0  # noqa: PLC0415

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        birthday: None | str | Unset
        if isinstance(self.birthday, Unset):
            birthday = UNSET
        elif isinstance(self.birthday, datetime.date):
            birthday = self.birthday.isoformat()
        else:
            birthday = self.birthday

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        elif isinstance(self.locale, Locale):
            locale = self.locale.value
        else:
            locale = self.locale

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        consents: dict[str, Any] | None | Unset
        if isinstance(self.consents, Unset):
            consents = UNSET
        elif isinstance(self.consents, MemberProfileConsentsType0):
            consents = self.consents.to_dict()
        else:
            consents = self.consents

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, MemberProfileAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if birthday is not UNSET:
            field_dict["birthday"] = birthday
        if locale is not UNSET:
            field_dict["locale"] = locale
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if consents is not UNSET:
            field_dict["consents"] = consents
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_profile_attributes_type_0 import MemberProfileAttributesType0  # noqa: PLC0415
        from ..models.member_profile_consents_type_0 import MemberProfileConsentsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("first_name", UNSET))

        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("last_name", UNSET))

        def _parse_birthday(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birthday_type_0 = datetime.date.fromisoformat(data)

                return birthday_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        birthday = _parse_birthday(d.pop("birthday", UNSET))

        def _parse_locale(data: object) -> Locale | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locale_type_0 = Locale(data)

                return locale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Locale | None | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_consents(data: object) -> MemberProfileConsentsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                consents_type_0 = MemberProfileConsentsType0.from_dict(data)

                return consents_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberProfileConsentsType0 | None | Unset, data)

        consents = _parse_consents(d.pop("consents", UNSET))

        def _parse_attributes(data: object) -> MemberProfileAttributesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = MemberProfileAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberProfileAttributesType0 | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        member_profile = cls(
            email=email,
            phone=phone,
            first_name=first_name,
            last_name=last_name,
            birthday=birthday,
            locale=locale,
            timezone=timezone,
            consents=consents,
            attributes=attributes,
        )

        return member_profile
