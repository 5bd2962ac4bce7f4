"""A campaign's own content: its stored keys, plain text made HTML (escaped, paragraphs,
clickable links) in the brand layout, HTML made text, and the campaign context."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages.contexts import TemplateKey, campaign_template_key, spec_key
from loyalist.messages.rendering import (
    BrandKit,
    TemplateSource,
    html_to_text,
    render_message,
    text_to_html,
)
from loyalist.messages.samples import sample_context

BRAND = BrandKit(shop_name="Brew & Co", legal_address="Torstraße 1, Berlin")
#: What ``text_to_html`` itself writes; anything else in its output is escaped text.
OWN_TAGS = re.compile(r'</?p>|<br>|<a href="[^"<>]*">|</a>')


def render(source: TemplateSource, locale: str = "en") -> tuple[str, str, str | None]:
    rendered = render_message(
        TemplateKey.CAMPAIGN,
        source,
        sample_context(TemplateKey.CAMPAIGN, locale),
        locale=locale,
        time_zone="Asia/Tokyo",
        brand=BRAND,
        unsubscribe_url="https://shop.example/u/x",
        name="campaign:bf/main",
    )
    assert rendered.html is not None
    return rendered.text, rendered.html, rendered.short


def test_stored_keys_have_the_campaign_templates_parts_and_context() -> None:
    assert campaign_template_key("bf", "main") == "campaign:bf/main"
    assert campaign_template_key("bf", "last_day", "b") == "campaign:bf/last_day/b"
    assert spec_key("campaign:bf/main/b") is TemplateKey.CAMPAIGN
    assert spec_key("campaign") is TemplateKey.CAMPAIGN
    assert spec_key("win_back") is TemplateKey.WIN_BACK
    assert spec_key("campaign:") is None
    assert spec_key("nope") is None


PIECES = [*"ab <>&\"'\n:/.h", "https://x.io/?a=1&b", "\n\n", " \n"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_text_becomes_html_that_shows_exactly_the_text(text: str) -> None:
    html = text_to_html(text)
    assert "<" not in OWN_TAGS.sub("", html)
    shown = unescape(OWN_TAGS.sub("", html.replace("<br>\n", "\n").replace("</p>\n<p>", "\n\n")))
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]
    assert shown == "\n\n".join(paragraphs)


def test_links_are_clickable_without_the_sentences_punctuation() -> None:
    html = text_to_html("See https://shop.example/sale?a=1&b=2. Or (https://x.io/a)!")
    assert html == (
        '<p>See <a href="https://shop.example/sale?a=1&amp;b=2">'
        "https://shop.example/sale?a=1&amp;b=2</a>. "
        'Or (<a href="https://x.io/a">https://x.io/a</a>)!</p>'
    )


def test_html_becomes_text_a_line_per_block() -> None:
    html = "<style>p {}</style><h1>Sale &amp; more</h1><p>One<br>two</p><ul><li>a</li></ul>"
    assert html_to_text(html) == "Sale & more\n\nOne\ntwo\n\na"


def test_a_body_alone_is_the_text_and_in_the_brand_layout_the_html() -> None:
    body = "Hello {{ member.first_name }} & co,\n\ncode {{ offer.coupon.code }}: {{ shop_url }}"
    text, html, short = render(TemplateSource(subject="Sale", text=body), "ru")
    assert text.startswith("Hello Анна & co,\n\ncode BF26-K7Q2M: https://shop.example\n\n--\n")
    assert "Отписаться от рассылки" in text
    assert ">Hello Анна &amp; co,</p>" in html
    assert '<a href="https://shop.example" style="color: #1f6feb;">' in html
    assert "Brew &amp; Co" in html  # the brand layout
    assert 'display: none; max-height: 0; overflow: hidden;">Hello Анна &amp; co,</div>' in html
    assert short == ""


def test_a_short_text_alone_is_content_enough_for_sms_and_push() -> None:
    text, _, short = render(
        TemplateSource(short="{{ offer.coupon.code }} until {{ campaign.ends_at|date }}")
    )
    assert short == "BF26-K7Q2M until December 1"  # 20:59 UTC is past midnight in Tokyo
    assert text.startswith("--\n")
