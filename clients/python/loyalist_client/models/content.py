from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.locale_text import LocaleText


T = TypeVar("T", bound="Content")


@_attrs_define
class Content:
    """What a message says: a campaign template's key, or inline sources per locale
    (``subject`` and ``body`` (plain text; the email's HTML is made from it in the brand's
    layout unless ``html`` is given); ``short``: the SMS/push text). Every part is a
    sandboxed Jinja2 template over the campaign context (``messages.contexts``).

        Attributes:
            template (None | str | Unset):
            subject (LocaleText | None | Unset):
            body (LocaleText | None | Unset):
            html (LocaleText | None | Unset):
            short (LocaleText | None | Unset):
    """

    template: None | str | Unset = UNSET
    subject: LocaleText | None | Unset = UNSET
    body: LocaleText | None | Unset = UNSET
    html: LocaleText | None | Unset = UNSET
    short: LocaleText | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.locale_text import LocaleText  # noqa: PLC0415

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        subject: dict[str, Any] | None | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        elif isinstance(self.subject, LocaleText):
            subject = self.subject.to_dict()
        else:
            subject = self.subject

        body: dict[str, Any] | None | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        elif isinstance(self.body, LocaleText):
            body = self.body.to_dict()
        else:
            body = self.body

        html: dict[str, Any] | None | Unset
        if isinstance(self.html, Unset):
            html = UNSET
        elif isinstance(self.html, LocaleText):
            html = self.html.to_dict()
        else:
            html = self.html

        short: dict[str, Any] | None | Unset
        if isinstance(self.short, Unset):
            short = UNSET
        elif isinstance(self.short, LocaleText):
            short = self.short.to_dict()
        else:
            short = self.short

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if template is not UNSET:
            field_dict["template"] = template
        if subject is not UNSET:
            field_dict["subject"] = subject
        if body is not UNSET:
            field_dict["body"] = body
        if html is not UNSET:
            field_dict["html"] = html
        if short is not UNSET:
            field_dict["short"] = short

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.locale_text import LocaleText  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        def _parse_subject(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                subject_type_0 = LocaleText.from_dict(data)

                return subject_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_body(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                body_type_0 = LocaleText.from_dict(data)

                return body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        def _parse_html(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                html_type_0 = LocaleText.from_dict(data)

                return html_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        html = _parse_html(d.pop("html", UNSET))

        def _parse_short(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                short_type_0 = LocaleText.from_dict(data)

                return short_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        short = _parse_short(d.pop("short", UNSET))

        content = cls(
            template=template,
            subject=subject,
            body=body,
            html=html,
            short=short,
        )

        return content
