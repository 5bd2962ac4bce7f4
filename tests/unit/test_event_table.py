"""The event table in ``bootstrap``: complete, typed, ordered where it matters, and the
source of docs/architecture.md (regenerate with ``LOYALIST_WRITE_DOCS=1 pytest`` on this
file)."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import os
import pkgutil
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import loyalist
from loyalist.activities.events import OrderLineFact
from loyalist.bootstrap import Handler, event_handlers, waves
from loyalist.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"


#: Dataclasses in an ``events.py`` that are parts of events, not events.
_PARTS = {OrderLineFact}
_ENTRY_POINTS = {"api", "cli"}


def _event_classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.iter_modules(loyalist.__path__):
        if info.name in _ENTRY_POINTS or not info.ispkg:
            continue
        if importlib.util.find_spec(f"loyalist.{info.name}.events") is None:
            continue
        module = importlib.import_module(f"loyalist.{info.name}.events")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and dataclasses.is_dataclass(value):
                found.append(value)
    return [c for c in found if c not in _PARTS]


def _handled_type(handler: Handler) -> Any:
    hints = typing.get_type_hints(handler)
    parameters = list(inspect.signature(handler).parameters)
    return typing.get_args(hints[parameters[1]])[0]


def _name(handler: Handler) -> str:
    return f"{handler.__module__.removeprefix('loyalist.')}.{handler.__name__}"


def test_every_event_type_of_every_domain_has_a_row() -> None:
    table = event_handlers(Settings())
    classes = _event_classes()
    assert classes, "no events found"
    missing = sorted(c.__qualname__ for c in classes if c not in table)
    assert missing == []


def test_every_event_says_what_happened() -> None:
    for event_type in event_handlers(Settings()):
        doc = event_type.__doc__ or ""
        assert not doc.startswith(f"{event_type.__name__}("), event_type.__name__


def test_every_handler_receives_only_its_own_event_type() -> None:
    for event_type, handlers in event_handlers(Settings()).items():
        for handler in handlers:
            assert _handled_type(handler) is event_type, _name(handler)


def test_handlers_live_in_their_domains_handlers_module() -> None:
    for handlers in event_handlers(Settings()).values():
        for handler in handlers:
            assert handler.__module__.endswith(".handlers"), _name(handler)
            assert handler.__name__.startswith("on_"), _name(handler)


def _position(event_type: str, name: str) -> int:
    rows = {t.__name__: [_name(h) for h in hs] for t, hs in event_handlers(Settings()).items()}
    return rows[event_type].index(name)


def test_rules_decide_a_paid_order_before_tiers_count_it() -> None:
    # The points of an order are decided at the tier the member had before the order.
    assert _position("OrderPaid", "rules.handlers.on_order_paid") < _position(
        "OrderPaid", "tiers.handlers.on_order_paid"
    )


def test_gamification_reacts_to_a_paid_order_after_tiers_and_points() -> None:
    rows = {t.__name__: [_name(h) for h in hs] for t, hs in event_handlers(Settings()).items()}
    assert rows["OrderPaid"][-3] == "gamification.handlers.on_order_paid"


def test_messages_confirm_a_paid_order_after_every_other_domain_reacted() -> None:
    # Campaigns' attribution only reads the facts (it writes conversions nobody else reads
    # in the unit), so it may come after.
    rows = {t.__name__: [_name(h) for h in hs] for t, hs in event_handlers(Settings()).items()}
    assert rows["OrderPaid"][-2:] == [
        "messages.handlers.on_order_paid",
        "campaigns.handlers.on_order_paid",
    ]


def test_campaigns_attribute_goal_events_last() -> None:
    rows = {t.__name__: [_name(h) for h in hs] for t, hs in event_handlers(Settings()).items()}
    assert rows["ActivityRecorded"][-1] == "campaigns.handlers.on_activity_recorded"


def test_a_paid_plan_changes_the_tier_before_the_rules_of_the_activity_run() -> None:
    assert _position("ActivityRecorded", "tiers.handlers.on_activity_recorded") < _position(
        "ActivityRecorded", "rules.handlers.on_activity_recorded"
    )


def test_the_ledger_reverses_first_when_an_order_comes_back() -> None:
    assert _position("OrderReturned", "ledger.handlers.on_order_returned") == 0
    assert _position("OrderCancelled", "ledger.handlers.on_order_cancelled") == 0


@dataclasses.dataclass(frozen=True)
class _A:
    member_id: int
    n: int


@dataclasses.dataclass(frozen=True)
class _B:
    member_id: int
    n: int


@dataclasses.dataclass(frozen=True)
class _C:
    n: int


def test_waves_hold_one_event_per_member_in_the_order_raised() -> None:
    events: Sequence[Any] = [_A(1, 1), _B(2, 2), _A(1, 3), _C(4), _B(1, 5), _A(3, 6)]
    assert list(waves(events)) == [
        {_A: [_A(1, 1), _A(3, 6)], _B: [_B(2, 2)], _C: [_C(4)]},
        {_A: [_A(1, 3)]},
        {_B: [_B(1, 5)]},
    ]


# -- docs/architecture.md ----------------------------------------------------------------
def _first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def render() -> str:
    table = event_handlers(Settings())
    lines = [
        "# Architecture: how facts flow",
        "",
        "<!-- Generated by tests/unit/test_event_table.py from the event table in",
        "     src/loyalist/bootstrap.py; do not edit by hand. -->",
        "",
        "A domain tells higher domains what happened through typed, past-tense events",
        "(`<domain>/events.py`), emitted through the unit of work. `bootstrap.event_handlers()`",
        "is the one table of who reacts: each handler (`<domain>/handlers.py`) receives only",
        "its own event type, in batches, inside the same transaction. The dispatcher hands a",
        "unit's events over in *waves* that hold at most one event per member, so all",
        "reactions to a member's event (and the events they raise, handled before the next",
        "handler runs) are done before that member's next event: the outcome does not",
        "depend on batching. Lower domains never call higher ones; higher domains call lower",
        "domains' services and react to their events.",
        "",
        "## The walk of an `order.paid`",
        "",
        "1. `activities.service.ingest_events` stores the event, rebuilds the order from its",
        "   facts (`activities/books.py`), locks the batch's members in key order",
        "   (`members.service.lock_members`) and emits `OrderPaid` once the order is paid and",
        "   its lines are known.",
        "2. `rules.handlers.on_order_paid` reads the member's tier (`tiers.service.status`) and",
        "   statistics, decides the awards (`rules.policy.decide`, pure, over the compiled CEL",
        "   program of `rules.engine`), books them with `ledger.service.award_points` and",
        "   issues granted coupons through `coupons.service`; badges and rewards granted by",
        "   rules leave as `BadgeGranted` / `RewardGranted`.",
        "3. The ledger books the lots and postings (`ledger/books.py`) and emits",
        "   `PointsAwarded`; `tiers.handlers.on_points_awarded` counts the qualifying points.",
        "4. `tiers.handlers.on_order_paid` counts spend and the order (an upgrade applies at",
        "   once and emits `TierUpgraded`), then checkout confirms the order's hold, referrals",
        "   attribute and qualify, gamification counts statistics, quests, streaks and badges.",
        "5. Each domain's working set (`<domain>/books.py`) writes its rows in bulk",
        "   (`db/bulk.py`) when the unit finishes; the entry point commits.",
        "",
        "## The event table",
        "",
        "| event | emitted by | what it says | handlers, in order |",
        "| --- | --- | --- | --- |",
    ]
    for event_type, handlers in table.items():
        domain = event_type.__module__.split(".")[1]
        reactions = "<br>".join(f"`{_name(h)}`" for h in handlers) or "—"
        lines.append(
            f"| `{event_type.__name__}` | {domain} | {_first_line(event_type)} | {reactions} |"
        )
    lines += ["", "## Handlers", ""]
    for event_type, handlers in table.items():
        for handler in handlers:
            lines.append(f"- `{_name(handler)}` (`{event_type.__name__}`): {_first_line(handler)}")
    return "\n".join(lines) + "\n"


def test_architecture_doc_is_generated_from_the_table() -> None:
    expected = render()
    if os.environ.get("LOYALIST_WRITE_DOCS") == "1":
        DOC.write_text(expected)
    if not DOC.exists() or DOC.read_text() != expected:
        pytest.fail(
            "docs/architecture.md is stale: run "
            "LOYALIST_WRITE_DOCS=1 .venv/bin/pytest tests/unit/test_event_table.py"
        )
