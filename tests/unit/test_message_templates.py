"""The shipped lifecycle templates and their rendering: both locales, brand layout, inlined
CSS, plain-text alternatives, strict variables, previews and context checks."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.header import Header, decode_header
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from loyalist.messages.contexts import SPECS, Layout, Part, TemplateKey, validate_context
from loyalist.messages.errors import (
    BrandInvalidError,
    TemplateContextInvalidError,
    TemplateRenderFailedError,
    TemplateSyntaxInvalidError,
    TemplateUnsafeError,
    TemplateVariableUndefinedError,
)
from loyalist.messages.rendering import (
    BrandKit,
    Rendered,
    TemplateSource,
    check_template,
    message_locale,
    preview,
    render_message,
    shipped_template,
)
from loyalist.messages.samples import sample_context

BRAND = BrandKit(
    shop_name="Brew & Co",
    legal_address="Brew & Co GmbH, Torstraße 1, 10119 Berlin",
    logo_url="https://shop.example/logo.png",
    website_url="https://shop.example",
    support_email="help@shop.example",
    primary_colour="#0a7",
)
LOCALES = ("en", "ru")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
CASES = [(key, locale) for key in TemplateKey for locale in LOCALES]


def _render(
    key: TemplateKey, locale: str, source: TemplateSource | None = None, **context: Any
) -> Rendered:
    return render_message(
        key,
        source or shipped_template(key, locale),
        {**sample_context(key, locale), **context},
        locale=locale,
        time_zone="Europe/Berlin",
        brand=BRAND,
        unsubscribe_url="https://loyalty.shop.example/u/opaque-token",
    )


@pytest.mark.parametrize(("key", "locale"), CASES)
def test_every_shipped_template_renders_with_its_sample_data(key: TemplateKey, locale: str) -> None:
    spec = SPECS[key]
    rendered = _render(key, locale)
    outputs = [rendered.subject, rendered.text, rendered.html or "", rendered.short or ""]
    assert not any(marker in out for out in outputs for marker in ("{{", "}}", "{%", "%}"))
    assert (rendered.html is not None) is (Part.HTML in spec.parts)
    assert (rendered.short is not None) is (Part.SHORT in spec.parts)
    if Part.SUBJECT in spec.parts:
        assert rendered.subject
        assert "\n" not in rendered.subject
        assert len(rendered.subject) < 120
        assert not TAG.search(rendered.subject)
    if Part.TEXT in spec.parts:
        assert not TAG.search(rendered.text), rendered.text
        assert "\n\n\n" not in rendered.text
        assert BRAND.legal_address in rendered.text
        assert "https://loyalty.shop.example/u/opaque-token" in rendered.text
    if rendered.short is not None:
        assert "\n" not in rendered.short
        assert 0 < len(rendered.short) <= 320


@pytest.mark.parametrize(("key", "locale"), CASES)
def test_every_html_has_its_css_inlined_into_the_brand_layout(
    key: TemplateKey, locale: str
) -> None:
    html = _render(key, locale).html
    assert html is not None
    # Only at-rules (media queries, the print page) are left in <style>: the body is styled
    # by style attributes alone.
    for style in re.findall(r"<style>(.*?)</style>", html, re.DOTALL):
        assert style.strip().startswith("@"), style
        assert re.sub(r"@[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style).strip() == ""
    body = html[html.index("<body") :]
    for element in re.findall(r"<(?:h1|p|a|td)\b[^>]*\bclass=[^>]*>", body):
        assert "style=" in element, element
    assert f'lang="{locale}"' in html
    assert "Brew &amp; Co" in html
    assert "Torstraße 1" in html
    assert "#0a7" in body
    if SPECS[key].layout is Layout.EMAIL:
        assert 'href="https://loyalty.shop.example/u/opaque-token"' in body
        assert 'src="https://shop.example/logo.png"' in body
    else:
        assert "@page" in html
        assert "opaque-token" not in html


def test_every_part_of_every_template_is_shipped_and_nothing_else() -> None:
    suffix = {Part.SUBJECT: "subject", Part.TEXT: "txt", Part.HTML: "html", Part.SHORT: "short"}
    root = resources.files("loyalist.messages").joinpath("templates")
    for locale in LOCALES:
        shipped = {entry.name for entry in root.joinpath(locale).iterdir()}
        expected = {
            f"{spec.key.value}.{suffix[part]}.j2" for spec in SPECS.values() for part in spec.parts
        }
        assert shipped == expected, locale
    assert set(SPECS) == set(TemplateKey)


@pytest.mark.parametrize(("key", "locale"), CASES)
def test_sample_data_fits_the_context_spec(key: TemplateKey, locale: str) -> None:
    sample = sample_context(key, locale)
    assert validate_context(key, sample) == sample


def test_russian_templates_use_the_right_plural_forms() -> None:
    expiring = _render(TemplateKey.POINTS_EXPIRING, "ru", expiring_points=1, days_left=7)
    assert expiring.subject == "Через 7 дней сгорит 1\u00a0балл"
    expiring = _render(TemplateKey.POINTS_EXPIRING, "ru", expiring_points=342, days_left=3)
    assert expiring.subject == "Через 3 дня сгорят 342\u00a0балла"
    expiring = _render(TemplateKey.POINTS_EXPIRING, "ru", expiring_points=25, days_left=1)
    assert expiring.subject == "Через 1 день сгорят 25\u00a0баллов"
    english = _render(TemplateKey.POINTS_EXPIRING, "en", expiring_points=1, days_left=1)
    assert english.subject == "1\u00a0point expires in 1 day"
    matured = _render(TemplateKey.POINTS_MATURED, "ru", matured_points=21)
    assert matured.subject.startswith("21\u00a0балл стал доступен")


def test_a_russian_subject_survives_as_unicode_and_through_rfc_2047() -> None:
    subject = _render(TemplateKey.ORDER_CONFIRMATION, "ru").subject
    assert subject == "Заказ 10482 принят: 61\u00a0балл уже в пути"
    encoded = Header(subject, "utf-8").encode()
    assert encoded.isascii()
    assert "".join(
        part.decode(charset or "ascii") if isinstance(part, bytes) else part
        for part, charset in decode_header(encoded)
    ) == (subject)


def test_the_members_language_chooses_else_the_programs_default() -> None:
    assert message_locale("ru-RU", "en") == "ru"
    assert message_locale("en_GB", "ru") == "en"
    assert message_locale("de", "ru") == "ru"
    assert message_locale(None, "ru") == "ru"
    assert message_locale("de", "fr") == "en"


def test_moments_show_in_the_members_time_zone() -> None:
    placed = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    key, locale = TemplateKey.ORDER_CONFIRMATION, "ru"
    order = {**sample_context(key, locale)["order"], "placed_at": placed}
    context = {**sample_context(key, locale), "order": order}
    moscow = render_message(
        key,
        shipped_template(key, locale),
        context,
        locale=locale,
        time_zone="Europe/Moscow",
        brand=BRAND,
    )
    assert "29 мар. 2026\u202fг., 04:30" in moscow.text
    assert "03:30" in _render(key, locale, order=order).text  # Berlin, just after DST began


def test_html_escapes_member_data_and_text_keeps_it_verbatim() -> None:
    member = {**sample_context(TemplateKey.WELCOME, "en")["member"], "first_name": "<b>Ann</b>"}
    rendered = _render(TemplateKey.WELCOME, "en", member=member)
    assert "&lt;b&gt;Ann&lt;/b&gt;" in (rendered.html or "")
    assert "<b>Ann</b>" not in (rendered.html or "")
    assert "Hi <b>Ann</b>," in rendered.text
    assert rendered.subject.endswith(", <b>Ann</b>")


def test_a_member_without_a_first_name_is_greeted_without_one() -> None:
    member = {**sample_context(TemplateKey.WIN_BACK, "ru")["member"], "first_name": ""}
    rendered = _render(TemplateKey.WIN_BACK, "ru", member=member)
    assert rendered.text.startswith("Здравствуйте!\n\n")
    assert rendered.subject.startswith("Мы скучаем")


def test_an_unknown_variable_fails_naming_template_locale_part_and_variable() -> None:
    source = TemplateSource(
        subject="Hi", text="Hi {{ member.first_name }},\n\n{{ member.frist_name }}", html="<p>x</p>"
    )
    with pytest.raises(TemplateVariableUndefinedError) as caught:
        _render(TemplateKey.DELIVERED, "ru", source)
    problem = caught.value
    assert problem.code == "template_variable_undefined"
    assert problem.extra == {
        "template": "delivered",
        "locale": "ru",
        "part": "text",
        "line": 3,
        "variable": "frist_name",
    }
    assert "template delivered (ru, text), line 3" in problem.detail
    assert "frist_name" in problem.detail


def test_an_unknown_top_level_name_fails_in_the_subject_too() -> None:
    source = TemplateSource(subject="{{ nobody }} says hi", text="x", html="<p>x</p>")
    with pytest.raises(TemplateVariableUndefinedError) as caught:
        _render(TemplateKey.DELIVERED, "en", source)
    assert caught.value.extra["variable"] == "nobody"
    assert caught.value.extra["part"] == "subject"


def test_a_broken_template_is_refused_with_the_part_as_pointer() -> None:
    source = TemplateSource(subject="ok", text="ok", html="<p>{% if member %}</p>")
    with pytest.raises(TemplateSyntaxInvalidError) as caught:
        check_template(TemplateKey.DELIVERED, source, "en")
    assert [error.pointer for error in caught.value.errors] == ["/html"]
    with pytest.raises(TemplateSyntaxInvalidError):
        check_template(
            TemplateKey.DELIVERED, TemplateSource("{{ x|nosuchfilter }}", "t", "h"), "en"
        )
    for locale in LOCALES:
        for key in TemplateKey:
            check_template(key, shipped_template(key, locale), locale)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ member.__class__ }}",
        "{{ recommendations.append(1) }}",
        "{{ member.update({'tier': 'Gold'}) }}",
        "{{ brand.__init__ }}",
    ],
)
def test_the_sandbox_refuses_private_attributes_and_mutation(expression: str) -> None:
    source = TemplateSource(subject=expression, text="x", html="<p>x</p>")
    with pytest.raises(TemplateUnsafeError):
        _render(TemplateKey.SHIPPED, "en", source, recommendations=[])


def test_a_filter_given_a_wrong_value_fails_the_render_clearly() -> None:
    source = TemplateSource(subject="{{ order.number|points }}", text="x", html="<p>x</p>")
    with pytest.raises(TemplateRenderFailedError, match="whole number"):
        _render(TemplateKey.DELIVERED, "en", source)


def test_preview_renders_both_locales_from_samples_or_a_json_context() -> None:
    both = preview(TemplateKey.ORDER_CONFIRMATION, brand=BRAND)
    assert set(both) == {"en", "ru"}
    assert both["en"].subject.startswith("Order 10482 confirmed")
    assert both["ru"].subject.startswith("Заказ 10482 принят")
    body = json.loads(json.dumps(sample_context(TemplateKey.ORDER_CONFIRMATION, "en"), default=str))
    body["member"]["first_name"] = "Zoë"
    context = validate_context(TemplateKey.ORDER_CONFIRMATION, body)
    given = preview(TemplateKey.ORDER_CONFIRMATION, brand=BRAND, context=context)
    assert "Zoë" in given["en"].text
    assert "Zoë" in given["ru"].text
    stored = {"ru": TemplateSource(subject="Свой заголовок", text="Текст", html="<p>Тело</p>")}
    custom = preview(TemplateKey.DELIVERED, brand=BRAND, sources=stored)
    assert custom["ru"].subject == "Свой заголовок"
    assert custom["en"].subject.startswith("Your order 10482 has arrived")


def test_a_preview_context_of_the_wrong_shape_is_refused_with_pointers() -> None:
    body = json.loads(json.dumps(sample_context(TemplateKey.SHIPPED, "en"), default=str))
    del body["shipment"]["carrier"]
    body["order"]["number"] = 10482
    with pytest.raises(TemplateContextInvalidError) as caught:
        validate_context(TemplateKey.SHIPPED, body)
    assert {error.pointer for error in caught.value.errors} == {
        "/shipment/carrier",
        "/order/number",
    }


def test_the_survey_links_carry_the_survey_id_and_a_score() -> None:
    html = _render(TemplateKey.NPS_SURVEY, "en").html or ""
    links = re.findall(r'href="(https://shop\.example/survey[^"]*)"', html)
    assert len(links) == 11
    queries = [parse_qs(urlsplit(link.replace("&amp;", "&")).query) for link in links]
    assert all(query["id"] == ["srv_5f2c"] for query in queries)
    assert sorted(int(query["score"][0]) for query in queries) == list(range(11))


def test_the_packing_note_is_a_printable_thank_you() -> None:
    rendered = _render(TemplateKey.PACKING_NOTE, "ru")
    html = rendered.html or ""
    assert rendered.subject == rendered.text == ""
    for expected in ("Спасибо, Анна!", "10482", "61\u00a0балл", "Помол под способ", "Ручная"):
        assert expected in html.replace("&nbsp;", "\u00a0"), expected
    assert "@page" in html


def test_a_brand_kit_refuses_colours_and_links_that_could_break_the_layout() -> None:
    with pytest.raises(BrandInvalidError) as caught:
        BrandKit(
            shop_name="Shop",
            legal_address="Street 1",
            primary_colour="red; background:url(x)",
            logo_url="javascript:alert(1)",
        )
    assert {error.pointer for error in caught.value.errors} == {"/primary_colour", "/logo_url"}
