"""The whole program file in process: the rich example and the demo on top of it (every
capability working, breakage not zero), and the diff's invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from loyalist import programfile
from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.cli.events import load_demo
from loyalist.demo import ShopSpec
from loyalist.gamification.models import MemberBadge
from loyalist.ledger.balances import program_totals
from loyalist.referrals.models import Referral
from loyalist.rewards.models import RewardRedemption
from tests.conftest import START

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "program.yaml"
ACTOR = Actor(ActorKind.SYSTEM, label="test")


def _count(app: Loyalist, model: type) -> int:
    return app.db.read(
        lambda uow: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
    )


def test_the_demo_on_the_example_shows_every_capability_and_breakage(app: Loyalist) -> None:
    program = programfile.load(EXAMPLE.read_text(), str(EXAMPLE))
    app.db.write(
        lambda uow: programfile.apply(uow, program, actor="test", by=ACTOR, policy=app.program)
    )
    spec = ShopSpec(members=120, months=18, end=START.date())

    load_demo(app, spec, show_progress=False)

    totals = app.db.read(program_totals)
    assert totals["spent"] > 0  # at checkout and on rewards
    assert totals["expired"] > 0  # eighteen months: the oldest points expired
    assert _count(app, RewardRedemption) > 0
    assert _count(app, Referral) == 6
    assert _count(app, MemberBadge) > 0
    # Again: nothing of the showcase is done twice.
    before = (_count(app, RewardRedemption), _count(app, Referral))
    load_demo(app, spec, show_progress=False)
    assert (_count(app, RewardRedemption), _count(app, Referral)) == before


_ITEM = st.dictionaries(
    st.sampled_from(["name", "points", "is_active", "status"]),
    st.one_of(st.integers(0, 3), st.booleans(), st.sampled_from(["active", "paused"])),
    max_size=3,
)
_SECTION = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), _ITEM, max_size=4)
_DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "rewards": _SECTION,
        "badges": _SECTION,
        "rules": st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(
            lambda keys: [{"key": k} for k in keys]
        ),
        "referral_program": _ITEM,
    },
)


def _keys(name: str, section: Any) -> set[str]:
    if section is None:
        return set()
    if name == "referral_program":
        return {name}
    if name == "rules":
        return {rule["key"] for rule in section}
    return set(section)


@settings(max_examples=200, deadline=None)
@given(before=_DOCUMENT, after=_DOCUMENT)
def test_the_diff_accounts_for_every_key_once(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    assert programfile.diff(before, before) == {}
    changes = programfile.diff(before, after)
    back = programfile.diff(after, before)
    for name in _DOCUMENT_SECTIONS:
        old, new = _keys(name, before.get(name)), _keys(name, after.get(name))
        found = changes.get(name, programfile.Changes())
        listed = [*found.added, *found.changed, *found.retired]
        assert len(listed) == len(set(listed))  # each key in one list only
        assert set(found.added) == new - old
        assert old - new <= set(found.retired)
        assert set(listed) == {k for k in old | new if k not in old or k not in new} | {
            k for k in old & new if before[name] != after[name] and _differs(name, k, before, after)
        }
        # Backwards, what was added is gone.
        assert set(found.added) <= set(back.get(name, programfile.Changes()).retired)


_DOCUMENT_SECTIONS = ("rewards", "badges", "rules", "referral_program")


def _differs(name: str, key: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    if name == "referral_program":
        return bool(before[name] != after[name])
    if name == "rules":
        return False  # rules here are keys only
    return bool(before[name][key] != after[name][key])
