"""``loyalist program check|apply|export`` with journey settings and templates: a file of
journeys only, problems with file and line and nothing written, export → apply idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import JourneySetting, MessageTemplate
from loyalist.rules.models import RuleVersion
from loyalist.rules.programfile import parse_file
from tests.cli.conftest import Cli, sqlite_only

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BAD_JOURNEYS = """\
version: 1
journeys:
  welcome:
    enabled: true
    delay_hours: -2
  post_purchase:
    nps_url: https://s.example/{order_id}
"""

TEMPLATES = """\
version: 1
templates:
  points_matured:
    en:
      subject: "{{ matured_points|points }} ready"
      text: |
        Hi {{ member.first_name }},
        {{ matured_points|points }} are yours: {{ portal_url }}
      html: |
        <p>Hi {{ member.first_name }},</p>
        <p>{{ member.nickname }}</p>
"""


def _count(app: Loyalist, model: type) -> int:
    return app.db.read(
        lambda uow: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
    )


def test_a_file_of_journeys_only_applies_and_leaves_the_rules(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    example = parse_file((EXAMPLES / "program.yaml").read_text()).data
    rules_only = tmp_path / "rules.yaml"
    rules_only.write_text(
        yaml.safe_dump({name: example[name] for name in ("version", "rules", "tiers")})
    )
    rules = cli.run("program", "apply", str(rules_only))
    assert rules.code == 0, rules.stderr
    applied = cli.run("program", "apply", str(EXAMPLES / "journeys.yaml"))
    assert applied.code == 0, applied.stderr
    assert "journeys changed: welcome, post_purchase, points, tier, rewards_referrals," in (
        applied.stdout
    )
    assert "rule" not in applied.stdout
    assert _count(app, RuleVersion) == 13
    config = app.db.read(journeys)
    assert config.post_purchase.tips[0].title.ru == "Мелите перед самой варкой"
    again = cli.run("program", "apply", str(EXAMPLES / "journeys.yaml"))
    assert "journeys changed: -" in again.stdout, again.stdout


def test_bad_journeys_name_file_and_line_and_apply_nothing(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_JOURNEYS)
    for command in ("check", "apply"):
        result = cli.run("program", command, str(path))
        assert result.code == 2
        assert result.stderr.startswith("error[program_invalid]")
        assert f"{path}:5: /journeys/welcome/delay_hours: " in result.stderr
        assert f"{path}:7: /journeys/post_purchase/nps_url: " in result.stderr
        assert "{order_id}" in result.stderr
    assert _count(app, JourneySetting) == 0


@sqlite_only
def test_a_journey_naming_a_missing_rule_is_refused_at_apply_with_its_line(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "gift.yaml"
    path.write_text(
        "version: 1\njourneys:\n  welcome: {enabled: true}\n  birthday:\n    gift_rule: gift\n"
    )
    result = cli.run("program", "apply", str(path))
    assert result.code == 2
    assert result.stderr.startswith("error[journey_settings_invalid]")
    assert f"{path}:5: /journeys/birthday/gift_rule: no live rule has this key" in result.stderr
    assert _count(app, JourneySetting) == 0


@sqlite_only
def test_a_template_with_an_unknown_variable_names_its_part_and_line(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "templates.yaml"
    path.write_text(TEMPLATES)
    result = cli.run("program", "apply", str(path))
    assert result.code == 2
    assert f"{path}:9: /templates/points_matured/en/html: " in result.stderr
    assert "nickname" in result.stderr
    assert "(en, html), line 2:" in result.stderr  # the line in the template
    assert _count(app, MessageTemplate) == 0


@sqlite_only
def test_export_then_apply_creates_no_version(cli: Cli, app: Loyalist, tmp_path: Path) -> None:
    path = tmp_path / "templates.yaml"
    path.write_text(TEMPLATES.replace("<p>{{ member.nickname }}</p>", "<p>Thanks</p>"))
    applied = cli.run("program", "apply", str(path))
    assert applied.code == 0, applied.stderr
    assert "template versions created: points_matured/en v1" in applied.stdout
    cli.run("program", "apply", str(EXAMPLES / "program.yaml"))
    cli.run("program", "apply", str(EXAMPLES / "journeys.yaml"))

    out = tmp_path / "out.yaml"
    assert cli.run("program", "export", "-o", str(out)).code == 0
    document = yaml.safe_load(out.read_text())
    assert set(document) >= {"version", "rules", "tiers", "journeys", "templates", "campaigns"}
    assert list(document["templates"]) == ["points_matured"]
    assert list(document["campaigns"]) == ["we-miss-you"]
    again = cli.run("program", "apply", str(out))
    assert again.code == 0, again.stderr
    assert "0 new rule versions" in again.stdout
    assert "journeys changed: -" in again.stdout
    assert "template versions created: -" in again.stdout
    assert "campaigns changed: -" in again.stdout
    assert _count(app, MessageTemplate) == 1
