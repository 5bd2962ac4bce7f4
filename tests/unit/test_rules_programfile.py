"""Program file errors point at the field, without pydantic's union tags."""

from __future__ import annotations

import pytest

from loyalist.rules.errors import ProgramFileError
from loyalist.rules.programfile import load_program

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
