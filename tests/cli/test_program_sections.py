"""``loyalist program check|diff|apply|export`` with coupon campaigns, rewards, the referral
program, badges, quests, streaks and levels: the example applied whole, diff before apply,
retiring what a section no longer lists, a problem anywhere applying nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponCampaign
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind, GameDefinition
from loyalist.referrals import service as referrals
from loyalist.rewards import catalogue
from loyalist.rewards.models import Reward
from loyalist.rules.models import RuleVersion
from loyalist.rules.programfile import parse_file
from tests.auditing import audit_rows
from tests.cli.conftest import Cli, sqlite_only

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "program.yaml"


def _count(app: Loyalist, model: type) -> int:
    return app.db.read(
        lambda uow: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
    )


def _example() -> dict[str, Any]:
    """The example as data (``on`` a key, as the program file's own loader reads it)."""
    return parse_file(EXAMPLE.read_text()).data


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    return path


def _state(uow: UnitOfWork) -> dict[str, Any]:
    return {
        "coupon_campaigns": {
            c.key: c.status for c in coupons.list_campaigns(uow) if c.origin == "campaign"
        },
        "rewards": {r.key: (r.status, r.cost_points) for r in catalogue.list_rewards(uow)},
        "badges": {
            r.key: r.is_active for r in gamification.list_definitions(uow, DefinitionKind.BADGE)
        },
        "levels": len(gamification.list_definitions(uow, DefinitionKind.LEVEL)),
        "referral": referrals.current_config(uow),
    }


def test_the_example_is_diffed_applied_and_exported_back_whole(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    checked = cli.run("program", "check", str(EXAMPLE))
    assert checked.code == 0, checked.stderr
    assert "3 coupon campaigns, 5 rewards, 7 badges, 2 quests, 1 streaks, 4 levels" in (
        checked.stdout
    )

    preview = cli.run("program", "diff", str(EXAMPLE), "--json")
    assert preview.code == 0, preview.stderr
    changes = json.loads(preview.stdout)
    assert changes["rewards"] == {
        "added": ["five-off", "free-shipping", "gold-fitting", "ten-percent", "tote-bag"],
        "changed": [],
        "retired": [],
    }
    assert changes["referral_program"]["added"] == ["referral_program"]
    assert len(changes["rules"]["added"]) == 13
    assert set(changes) >= {"coupon_campaigns", "badges", "quests", "streaks", "levels"}
    assert _count(app, Reward) == 0  # a diff writes nothing
    assert _count(app, RuleVersion) == 0
    assert audit_rows(app) == []

    applied = cli.run("program", "apply", str(EXAMPLE))
    assert applied.code == 0, applied.stderr
    assert "rewards: 5 added (five-off, free-shipping, gold-fitting, ten-percent, tote-bag)" in (
        applied.stdout
    )
    assert "referral_program: added" in applied.stdout
    state = app.db.read(_state)
    assert state["coupon_campaigns"] == {
        "friend-welcome": "active",
        "quest-free-shipping": "active",
        "welcome10": "active",
    }
    assert state["rewards"]["tote-bag"] == ("active", 1500)
    assert state["levels"] == 4
    assert state["referral"].referrer_reward.points == 300
    assert app.db.read(lambda uow: coupons.find_campaign(uow, "reward-tote-bag")) is not None
    [row] = audit_rows(app, "program.applied")
    assert row["after"]["changes"]["badges"]["added"][0] == "ambassador"

    again = cli.run("program", "diff", str(EXAMPLE))
    assert again.code == 0, again.stderr
    assert again.stdout.strip() == f"{EXAMPLE}: no change"

    out = tmp_path / "out.yaml"
    assert cli.run("program", "export", "-o", str(out)).code == 0
    document = yaml.safe_load(out.read_text())
    assert list(document["rewards"]) == sorted(_example()["rewards"])
    assert "reward-five-off" not in document["coupon_campaigns"]  # the reward's own
    assert document["coupon_campaigns"]["welcome10"]["code"] == "WELCOME10"
    assert document["referral_program"]["friend_reward"]["coupon_campaign"] == "friend-welcome"
    back = cli.run("program", "diff", str(out))
    assert back.stdout.strip() == f"{out}: no change", back.stdout + back.stderr


def test_what_a_section_no_longer_lists_is_retired_and_shown_first(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    assert cli.run("program", "apply", str(EXAMPLE)).code == 0
    document = _example()
    del document["rewards"]["tote-bag"]
    document["rewards"]["five-off"]["cost_points"] = 450
    del document["badges"]["critic"]
    del document["coupon_campaigns"]["welcome10"]
    document["levels"]["legend"]["name"]["en"] = "Living legend"
    path = _write(tmp_path / "next.yaml", document)

    preview = cli.run("program", "diff", str(path))
    assert preview.code == 0, preview.stderr
    assert "  coupon_campaigns: 1 retired (welcome10)" in preview.stdout
    assert "  rewards: 1 changed (five-off), 1 retired (tote-bag)" in preview.stdout
    assert "  badges: 1 retired (critic)" in preview.stdout
    assert "  levels: 1 changed (legend)" in preview.stdout
    assert "rules" not in preview.stdout
    assert app.db.read(_state)["rewards"]["tote-bag"] == ("active", 1500)

    applied = cli.run("program", "apply", str(path))
    assert applied.code == 0, applied.stderr
    state = app.db.read(_state)
    assert state["rewards"]["tote-bag"] == ("paused", 1500)
    assert state["rewards"]["five-off"] == ("active", 450)
    assert state["badges"]["critic"] is False
    assert state["coupon_campaigns"]["welcome10"] == "paused"

    # The export keeps what was retired, as retired: applied again it changes nothing.
    out = tmp_path / "out.yaml"
    assert cli.run("program", "export", "-o", str(out)).code == 0
    exported = yaml.safe_load(out.read_text())
    assert exported["rewards"]["tote-bag"]["status"] == "paused"
    assert exported["badges"]["critic"]["is_active"] is False
    assert exported["coupon_campaigns"]["welcome10"]["status"] == "paused"
    assert cli.run("program", "diff", str(out)).stdout.strip() == f"{out}: no change"
    # The original file offers them again.
    restored = cli.run("program", "diff", str(EXAMPLE))
    assert "rewards: 2 changed (five-off, tote-bag)" in restored.stdout


BAD_QUEST = """\
version: 1
rewards:
  five-off:
    name: {en: €5 off, ru: Скидка €5}
    description: {en: €5 off, ru: Скидка €5}
    discount: {type: fixed, amount: 500, currency: EUR}
    cost_points: 500
rules:
  - key: base
    name: {en: Base, ru: База}
    on: order.paid
    effects:
      - {type: per_unit, base: true, rates: {EUR: 1}}
quests:
  monthly:
    name: {en: Order twice, ru: Два заказа}
    steps: [{event: order.paid, count: 2}]
    period: {type: month}
    reward:
      coupon: no-such-campaign
"""


def test_a_problem_found_while_applying_names_its_line_and_writes_nothing(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_QUEST)
    assert cli.run("program", "check", str(path)).code == 0  # only the database knows
    for command in ("diff", "apply"):
        result = cli.run("program", command, str(path))
        assert result.code == 2, result.stdout
        assert result.stderr.startswith("error[gamification_invalid]")
        assert f"{path}:20: /quests/monthly/reward/coupon: no coupon campaign has this key" in (
            result.stderr
        )
    assert _count(app, Reward) == 0
    assert _count(app, CouponCampaign) == 0
    assert _count(app, RuleVersion) == 0
    assert _count(app, GameDefinition) == 0
    assert audit_rows(app) == []


BAD_SECTIONS = """\
version: 1
coupon_campaigns:
  spring:
    name: {en: Spring, ru: Весна}
    discount: {type: percent, percent: 120}
rewards:
  Bad Key:
    name: {en: X, ru: Х}
    description: {en: X, ru: Х}
    discount: {type: free_shipping}
    cost_points: -1
referral_program:
  attribution_window_days: 0
badges:
  broken:
    name: {en: Broken, ru: Сломан}
    criteria: member.orders >
streaks:
  weekly:
    name: {en: Weekly, ru: Еженедельно}
    period: day
    on: [order.paid]
"""


@sqlite_only
def test_check_reports_every_problem_of_every_section_with_its_line(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_SECTIONS)
    for command in ("check", "diff", "apply"):
        result = cli.run("program", command, str(path))
        assert result.code == 2
        assert result.stderr.startswith("error[program_invalid]")
        for line, pointer in (
            (5, "/coupon_campaigns/spring/discount/percent/percent"),
            (7, "/rewards/Bad Key"),
            (11, "/rewards/Bad Key/cost_points"),
            (13, "/referral_program/attribution_window_days"),
            (17, "/badges/broken/criteria"),
            (21, "/streaks/weekly/period"),
        ):
            assert f"{path}:{line}: {pointer}" in result.stderr, (pointer, result.stderr)
    assert _count(app, GameDefinition) == 0


@sqlite_only
def test_the_rules_example_alone_still_leaves_the_other_sections(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    """A file without the new sections leaves them as they are (nothing retired)."""
    assert cli.run("program", "apply", str(EXAMPLE)).code == 0
    document = {name: _example()[name] for name in ("version", "rules", "tiers")}
    path = _write(tmp_path / "rules.yaml", document)
    result = cli.run("program", "apply", str(path))
    assert result.code == 0, result.stderr
    assert "13 unchanged" in result.stdout
    state = app.db.read(_state)
    assert set(state["rewards"].values()) == {("active", c) for c in (500, 900, 300, 1500, 0)}
    assert all(state["badges"].values())


@sqlite_only
def test_a_conflict_names_the_item_and_its_line_and_writes_nothing(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    assert cli.run("program", "apply", str(EXAMPLE)).code == 0
    document = _example()
    del document["coupon_campaigns"]["welcome10"]["code"]
    document["coupon_campaigns"]["welcome10"]["code_mode"] = "unique"
    document["rewards"]["five-off"]["cost_points"] = 1  # would change, but nothing is written
    path = _write(tmp_path / "mode.yaml", document)

    result = cli.run("program", "apply", str(path))

    assert result.code == 4, result.stdout
    assert result.stderr.startswith("error[coupon_campaign_mode_fixed]"), result.stderr
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "welcome10:" in text
    )
    assert f"{path}:{line}: /coupon_campaigns/welcome10: " in result.stderr
    assert app.db.read(_state)["rewards"]["five-off"] == ("active", 500)
