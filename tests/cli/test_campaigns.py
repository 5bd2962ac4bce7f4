"""``loyalist campaigns list|show|history|pause|resume|cancel|seasons|copy`` and the program
file's ``campaigns:`` section (``program check|apply|export``): problems with file and
line, nothing written on error, export → apply changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.models import CampaignState, ChangeAction
from tests.cli.conftest import Cli, sqlite_only

CAMPAIGNS = """\
version: 1
campaigns:
  spring:
    name: {en: Spring, ru: Весна}
    audience:
      condition: member.tier == 'gold'
      tiers: [gold]
    subject: {en: Spring is here, ru: Пришла весна}
    body:
      en: "Hi {{ member.first_name }}"
      ru: "Привет, {{ member.first_name }}"
    control_percent: 15
    offer:
      points: {multiplier: 2}
    send_at: 2026-03-01T10:00:00
    ends_at: 2026-03-08T00:00:00+03:00
    follow_ups:
      - key: last_day
        hours_before_end: 24
        content:
          short: {en: Last day, ru: Последний день}
"""

BAD = """\
version: 1
campaigns:
  spring:
    name: {en: Spring, ru: Весна}
    template: campaign
    control_percent: 60
    variants:
      - key: control
  summer:
    name: {en: Summer, ru: Лето}
    template: campaign
    audience:
      condition: "member.tier =="
  Bad Key:
    name: {en: x, ru: x}
    template: campaign
"""


def _campaigns(app: Loyalist) -> dict[str, tuple[str, int]]:
    found = app.db.read(campaigns.list_campaigns)
    return {c.key: (str(c.state), c.revision) for c in found}


def test_a_file_of_campaigns_applies_exports_and_applies_again_unchanged(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "campaigns.yaml"
    path.write_text(CAMPAIGNS, encoding="utf-8")

    checked = cli.run("program", "check", str(path))
    assert checked.code == 0, checked.stderr
    assert "1 campaigns" in checked.stdout
    applied = cli.run("program", "apply", str(path))
    assert applied.code == 0, applied.stderr
    assert "campaigns changed: spring" in applied.stdout
    assert _campaigns(app) == {"spring": ("draft", 1)}
    spec = app.db.read(lambda uow: campaigns.spec_of(campaigns.get(uow, "spring")))
    assert str(spec.control_percent) == "15"
    assert spec.send_at is not None
    assert spec.send_at.tzinfo is None  # each member's local time

    exported = cli.run("program", "export", "-o", str(tmp_path / "export.yaml"))
    assert exported.code == 0, exported.stderr
    text = (tmp_path / "export.yaml").read_text(encoding="utf-8")
    assert "campaigns:" in text
    assert "quiet_hours" not in text  # defaults left out
    again = cli.run("program", "apply", str(tmp_path / "export.yaml"))
    assert again.code == 0, again.stderr
    assert "campaigns changed: -" in again.stdout
    assert _campaigns(app) == {"spring": ("draft", 1)}

    app.db.write(
        lambda uow: campaigns.record_change(
            uow,
            campaigns.lock(uow, "spring"),
            ChangeAction.STARTED,
            "job",
            state=CampaignState.RUNNING,
        )
    )
    path.write_text(CAMPAIGNS.replace("control_percent: 15", "control_percent: 5"))
    refused = cli.run("program", "apply", str(path))
    assert refused.code == 4, refused.stderr
    assert refused.stderr.startswith("error[campaign_not_editable]")
    assert f"{path}:3: /campaigns/spring: campaign 'spring' is running" in refused.stderr
    assert _campaigns(app) == {"spring": ("running", 2)}


@sqlite_only
def test_bad_campaigns_name_file_and_line_and_apply_nothing(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    for command in ("check", "apply"):
        result = cli.run("program", command, str(path))
        assert result.code == 2
        assert result.stderr.startswith("error[program_invalid]")
        assert f"{path}:6: /campaigns/spring/control_percent: " in result.stderr
        assert f"{path}:8: /campaigns/spring/variants/0/key: " in result.stderr
        assert f"{path}:14: " in result.stderr  # the key that is not one
        assert f"{path}:13: /campaigns/summer/audience/condition: " in result.stderr
        assert "`member.tier ==`" in result.stderr
    assert _campaigns(app) == {}


def test_the_commands_copy_list_show_move_and_explain_refusals(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    seasons = cli.run("campaigns", "seasons", "--json")
    assert seasons.code == 0, seasons.stderr
    listed = json.loads(seasons.stdout)
    assert {"new_year", "womens_day", "black_friday", "back_to_school"} <= {
        e["key"] for e in listed
    }
    table = cli.run("campaigns", "seasons")
    assert "black_friday" in table.stdout

    copied = cli.run("campaigns", "copy", "black_friday", "--key", "bf")
    assert copied.code == 0, copied.stderr
    assert copied.stdout.startswith("copied black_friday to draft bf: send ")
    assert _campaigns(app) == {"bf": ("draft", 1)}
    taken = cli.run("campaigns", "copy", "new_year", "--key", "bf")
    assert (taken.code, taken.stderr.split(":")[0]) == (4, "error[campaign_exists]")
    unknown = cli.run("campaigns", "copy", "easter", "--key", "easter")
    assert (unknown.code, unknown.stderr.split(":")[0]) == (3, "error[campaign_season_not_found]")
    bad_key = cli.run("campaigns", "copy", "new_year", "--key", "New Year")
    assert (bad_key.code, bad_key.stderr.split(":")[0]) == (2, "error[campaign_invalid]")

    shown = cli.run("campaigns", "show", "bf")
    assert shown.code == 0, shown.stderr
    assert shown.stdout.startswith("bf: Black Friday / Чёрная пятница\nstate draft, revision 1")
    as_json = json.loads(cli.run("campaigns", "show", "bf", "--json").stdout)
    assert as_json["spec"]["offer"]["points"]["multiplier"] == "3"
    assert "bf" in cli.run("campaigns", "list").stdout
    assert [c["key"] for c in json.loads(cli.run("campaigns", "list", "--json").stdout)] == ["bf"]

    refused = cli.run("campaigns", "pause", "bf")
    assert (refused.code, refused.stderr.split(":")[0]) == (4, "error[campaign_state_conflict]")
    app.db.write(
        lambda uow: campaigns.record_change(
            uow, campaigns.lock(uow, "bf"), ChangeAction.STARTED, "job", state=CampaignState.RUNNING
        )
    )
    assert cli.run("campaigns", "pause", "bf").stdout.strip() == "paused bf: paused"
    assert cli.run("campaigns", "resume", "bf").stdout.strip() == "resumed bf: running"
    assert cli.run("campaigns", "cancel", "bf").stdout.strip() == "cancelled bf: cancelled"
    history = json.loads(cli.run("campaigns", "history", "bf", "--json").stdout)
    assert [h["action"] for h in history] == [
        "created",
        "started",
        "paused",
        "resumed",
        "cancelled",
    ]
    assert history[2]["actor"].startswith("cli:")
    assert "cancelled" in cli.run("campaigns", "history", "bf").stdout

    missing = cli.run("campaigns", "show", "nothing")
    assert (missing.code, missing.stderr.split(":")[0]) == (
        3,
        "error[marketing_campaign_not_found]",
    )
