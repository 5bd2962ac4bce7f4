"""Render limits: a template cannot run away in output size, loop steps, calls or time."""

from __future__ import annotations

import pytest

from loyalist.messages.contexts import TemplateKey
from loyalist.messages.errors import TemplateOutputTooLargeError, TemplateRenderTooLongError
from loyalist.messages.rendering import BrandKit, Rendered, TemplateSource, render_message
from loyalist.messages.samples import sample_context
from loyalist.messages.sandbox import Limits

BRAND = BrandKit(shop_name="Shop", legal_address="Street 1")
SMALL = Limits(max_output_chars=10_000, max_steps=2_000, max_seconds=5.0)


def _text(template: str, limits: Limits = SMALL) -> Rendered:
    return render_message(
        TemplateKey.DELIVERED,
        TemplateSource(subject="s", text=template, html="<p>h</p>"),
        sample_context(TemplateKey.DELIVERED, "en"),
        locale="en",
        time_zone="UTC",
        brand=BRAND,
        limits=limits,
    )


def test_ordinary_loops_and_calls_stay_within_the_limits() -> None:
    rendered = _text("{% for i in range(100) %}{{ i }},{% endfor %}{{ 'ab'.upper() * 10 }}")
    assert rendered.text.startswith("0,1,2,")


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(100000) %}{% endfor %}",
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(40) }}",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "{% for x in [1, 2, 3]|batch(2) %}{% for i in range(999) %}{% endfor %}{% endfor %}",
    ],
)
def test_too_many_steps_stop_the_render(template: str) -> None:
    with pytest.raises(TemplateRenderTooLongError) as caught:
        _text(template)
    assert caught.value.extra["template"] == "delivered"
    assert caught.value.extra["part"] == "text"


def test_the_deadline_stops_a_render_at_its_next_step() -> None:
    with pytest.raises(TemplateRenderTooLongError, match="longer than 0 s"):
        _text("{% for i in range(3) %}{{ i }}{% endfor %}", Limits(max_seconds=0.0))


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(1000) %}{{ 'x' * 50 }}{% endfor %}",
        "{{ 'x' * 1000000000 }}",
        "{{ [0] * 1000000000 }}",
        "{{ 2 ** 100000000 }}",
        "{{ (10 ** 100) ** 100 }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set x %}{{ ns.s }}{{ ns.s }}"
        "{% endset %}{% set ns.s = x %}{% endfor %}",
        "{% macro two(s) %}{{ s }}{{ s }}{% endmacro %}{% set ns = namespace(s='ab') %}"
        "{% for i in range(64) %}{% set ns.s = two(ns.s) %}{% endfor %}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(1000000000, true) }}",
        "{{ '%0999999999d'|format(1) }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ 'x'.ljust(999999999) }}",
        "{{ ('x' * 5000)|replace('x', 'yyyy') }}",
        "{{ ('x' * 5000).replace('x', 'yyyy') }}",
        "{{ [1]|batch(999999999, 0)|list }}",
    ],
)
def test_values_and_output_past_the_size_limit_stop_the_render(template: str) -> None:
    with pytest.raises(TemplateOutputTooLargeError):
        _text(template)


def test_a_long_html_body_is_cut_by_the_output_limit_of_its_layout_part() -> None:
    with pytest.raises(TemplateOutputTooLargeError) as caught:
        render_message(
            TemplateKey.DELIVERED,
            TemplateSource(
                subject="s", text="t", html="{% for i in range(1500) %}<p>{{ i }}</p>{% endfor %}"
            ),
            sample_context(TemplateKey.DELIVERED, "en"),
            locale="en",
            time_zone="UTC",
            brand=BRAND,
            limits=SMALL,
        )
    assert caught.value.extra["part"] == "html"
