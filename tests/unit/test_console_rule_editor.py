"""The rule editor's two panes (web.console.program): the form laid over the YAML, the YAML
read into the form, and the domain's problems placed at the form's fields."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from loyalist.web.console.program import Editor, from_form

YAML = """key: happy-hour
name:
  en: Happy hour
  ru: Счастливый час
'on':
- order.paid
effects:
- type: fixed
  points: 20
limits:
  per_member:
    week: 40
validity:
  hours:
  - from: '18:00'
    to: '20:00'
"""
FORM = {
    "key": "happy-hour",
    "name-en": "Happy hour",
    "name-ru": "Счастливый час",
    "on": "order.paid",
    "condition": "",
    "effect_count": "1",
    "effects-0-type": "fixed",
    "effects-0-points": "20",
    "limits-per_member-week": "40",
    "qualifying": "on",
    "is_active": "on",
}


def edited(source: str, yaml: str = YAML, **fields: str) -> Editor:
    items: list[tuple[str, str | UploadFile]] = [
        *{**FORM, **fields}.items(),
        ("yaml", yaml),
        ("source", source),
    ]
    return from_form(FormData(items))


def test_the_unchanged_form_writes_the_same_yaml() -> None:
    editor = edited("form")

    assert editor.text == YAML
    assert editor.problems == []


def test_a_form_change_keeps_what_only_the_yaml_shows() -> None:
    editor = edited("form", **{"effects-0-points": "35", "condition": "order.total > 1000"})

    assert "points: 35" in editor.text
    assert "condition: order.total > 1000\neffects:" in editor.text  # the schema's order
    assert "from: '18:00'" in editor.text
    assert editor.problems == []


def test_a_value_the_schema_refuses_shows_at_its_field_and_line() -> None:
    editor = edited("form", **{"effects-0-points": "abc", "limits-per_member-week": "-1"})

    assert editor.errors("/effects/0/points") == [
        "Input should be a valid integer, unable to parse string as an integer"
    ]
    assert editor.errors("/limits/per_member/week") == ["Input should be greater than 0"]
    assert [(p.line, p.pointer) for p in editor.problems] == [
        (9, "/effects/0/points"),
        (12, "/limits/per_member/week"),
    ]


def test_a_cel_error_shows_at_the_condition() -> None:
    editor = edited("form", condition="order.totl > 1")

    assert editor.errors("/condition")[0].startswith("order has no field 'totl'")
    assert editor.general == []


def test_the_yaml_rewrites_the_form() -> None:
    editor = edited("yaml", YAML.replace("points: 20", "points: 25"))

    assert editor.value("/effects/0/points") == "25"
    assert editor.value("/limits/per_member/week") == "40"


def test_yaml_that_does_not_read_keeps_the_form_and_says_where() -> None:
    broken = YAML.replace("- type: fixed", "- type: [fixed")

    editor = edited("yaml", broken)

    assert editor.text == broken
    assert editor.value("/name/en") == "Happy hour"
    assert editor.problems[0].message.startswith("not valid YAML")


def test_effects_are_added_and_removed() -> None:
    added = edited("form", add_effect="badge")
    removed = edited("form", **{"effects-0-remove": "on", "add_effect": "multiplier"})

    assert added.effects == [(0, "fixed"), (1, "badge")]
    assert added.errors("/effects/1/badge") == ["Field required"]
    assert removed.effects == [(0, "multiplier")]
    assert removed.errors("/effects/0/factor") == ["Field required"]


def test_a_rule_level_problem_is_shown_above_the_form() -> None:
    editor = edited(
        "form", on="birthday", **{"effects-0-type": "per_unit", "effects-0-rates": "EUR 1"}
    )

    assert any("need an order" in message for message in editor.general)
