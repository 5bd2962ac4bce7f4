"""Program file errors point at the field, without pydantic's union tags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.programfile import load as load_program
from loyalist.rules.errors import ProgramFileError
from loyalist.rules.programfile import dump_program, parse_file

PROGRAM = """\
rules:
  - key: thank-you-sample
    name: {en: A sample with your order, ru: Пробник к заказу}
    on: order.paid
    effects:
      - {type: reward, reward: sample-box}
"""


def test_loads_a_reward_effect() -> None:
    (rule,) = load_program(PROGRAM).rules or []
    assert [effect.model_dump() for effect in rule.effects] == [
        {"type": "reward", "reward": "sample-box"}
    ]


@pytest.mark.parametrize(
    ("effect", "pointer"),
    [
        ("{type: reward, reward: Sample Box}", "/rules/0/effects/0/reward"),
        ("{type: badge, badge: Big Spender}", "/rules/0/effects/0/badge"),
        ("{type: fixed, points: -1}", "/rules/0/effects/0/points"),
    ],
)
def test_points_at_the_effects_field_even_when_it_is_named_like_its_type(
    effect: str, pointer: str
) -> None:
    text = PROGRAM.replace("{type: reward, reward: sample-box}", effect)
    with pytest.raises(ProgramFileError) as caught:
        load_program(text, "program.yaml")
    assert [e.pointer for e in caught.value.errors] == [pointer]
    assert caught.value.errors[0].detail.startswith("program.yaml:6: ")


@settings(max_examples=500, deadline=None)
@given(
    st.text(st.characters(exclude_characters="\x00", codec="utf-8"), max_size=30)
    | st.from_regex(r"[-+.0-9a-zA-Z_:~]{1,8}", fullmatch=True)
)
def test_any_text_export_writes_reads_back_as_it_was(value: str) -> None:
    """Export writes what the loader (YAML 1.2 numbers and booleans) reads back as text."""
    assert parse_file(dump_program({"text": value})).data == {"text": value}


def test_a_nul_anywhere_is_refused_with_its_line() -> None:
    text = PROGRAM.replace("Пробник к заказу", '"Проб\\0ник"')
    with pytest.raises(ProgramFileError) as caught:
        load_program(text, "program.yaml")
    assert [(e.pointer, e.detail) for e in caught.value.errors] == [
        ("/rules/0/name/ru", "program.yaml:3: text must not contain the NUL character (U+0000)")
    ]
