"""Review of the program section: a rule's YAML that the YAML library cannot turn into
values (an impossible date, a wrong explicit tag, nesting without end, aliases that make a
short text huge or a loop) is a refusal at its line, not a server error nor minutes of
work — in the program file's reader and in the console's editor."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.rules.errors import ProgramFileError
from loyalist.rules.programfile import parse_file
from loyalist.settings import ProgramPolicy
from loyalist.web.app import create_app
from tests.api.staff_helpers import staff_app
from tests.integration.test_campaign_personal import counted
from tests.web.review_a import console_client
from tests.web.test_console_members import _admin


def _laughs(levels: int) -> str:
    """Each level nine aliases of the one before: 9**levels values from a few lines."""
    text, previous = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n", "l0"
    for level in range(1, levels + 1):
        text += f"l{level}: &l{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = f"l{level}"
    return text


UNREADABLE = {
    "impossible date": "on: order.paid\nvalidity: {starts_at: 2026-13-45}\n",
    "impossible day": "key: 2026-02-30\n",
    "wrong int tag": "priority: !!int abc\n",
    "wrong float tag": "priority: !!float x\n",
    "endless nesting": "key: " + "[" * 5000 + "]" * 5000 + "\n",
    "alias loop": "key: &a [*a]\n",
    "alias bomb": _laughs(8),
}


@pytest.mark.parametrize("text", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_yaml_without_values_is_a_problem_of_the_file(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(ProgramFileError) as refused:
        parse_file(text, "rule.yaml")
    assert time.monotonic() - started < 2
    assert refused.value.problems[0].line >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]{}&*:,- \nax0129!.#'\"|>?"), max_size=60))
def test_any_text_is_read_or_refused_as_a_file_problem(text: str) -> None:
    with contextlib.suppress(ProgramFileError):
        parse_file(text, "rule.yaml")


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    yield loyalist
    loyalist.close()


@pytest.fixture
def owner(app: Loyalist, clock: ManualClock) -> Iterator[tuple[TestClient, str]]:
    with console_client(app, clock, "owner", "/console/program/rules/new") as (client, headers):
        yield client, headers["X-CSRF-Token"]


@pytest.mark.parametrize("action", ["sync", "dry-run", "backtest", "publish"])
def test_the_editor_shows_unreadable_yaml_at_its_line(
    owner: tuple[TestClient, str], action: str
) -> None:
    client, token = owner
    for name, text in UNREADABLE.items():
        answer = client.post(
            f"/console/program/rules/{action}",
            data={"yaml": text, "source": "yaml"},
            headers={"X-CSRF-Token": token, "HX-Request": "true"},
        )
        assert answer.status_code in (200, 422), (name, answer.status_code)
        assert "data-line=" in answer.text, name


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "yaml",
                "source",
                "effect_count",
                "dry-at",
                "dry-amount",
                "dry-currency",
                "dry-trigger",
                "bt-from",
                "bt-to",
                "priority",
            ]
        ),
        st.text(max_size=40)
        | st.sampled_from(["2026-13-45", "1e999", "form", "-0", "999999999999999999999"]),
    )
)
def test_the_editor_never_fails_on_any_form(
    owner: tuple[TestClient, str], form: dict[str, str]
) -> None:
    client, token = owner
    for action in ("sync", "dry-run", "backtest"):
        answer = client.post(
            f"/console/program/rules/{action}",
            data=form,
            headers={"X-CSRF-Token": token, "HX-Request": "true"},
        )
        assert answer.status_code < 500, (action, form, answer.text[:300])


def _rewards(app: Loyalist, count: int) -> None:
    with TestClient(create_app(app, embedded_worker=False), base_url="https://testserver") as api:
        admin = _admin(app)
        for i in range(count):
            reward = {
                "name": {"en": f"Reward {i}", "ru": f"Награда {i}"},
                "description": {"en": "Off", "ru": "Скидка"},
                "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                "cost_points": 100 + i,
                "stock": 10,
            }
            put = api.put(f"/api/v1/rewards/reward-{i}", json=reward, headers=admin)
            assert put.status_code in (200, 201), put.text


def test_the_overview_reads_the_rewards_stock_in_a_fixed_number_of_queries(
    app: Loyalist, owner: tuple[TestClient, str]
) -> None:
    client, _ = owner
    _rewards(app, 2)
    with counted() as few:
        assert client.get("/console/program").status_code == 200
    _rewards(app, 12)
    with counted() as many:
        shown = client.get("/console/program")
    assert shown.status_code == 200
    assert "Reward 11" in shown.text
    assert len(many) == len(few)
