"""``loyalist consents``: publish consent texts from files, add a processor, show a
member's consents with their evidence."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from tests.cli.conftest import Cli, sqlite_only
from tests.conftest import START, event
from tests.integration.helpers import send

pytestmark = sqlite_only
WORDING = "Я даю согласие на обработку персональных данных."


def wide(cli: Cli) -> Cli:
    """The commands with room for a whole digest on one table row."""
    return Cli(cli.home, cli.database_url, {"COLUMNS": "240"})


def test_publishes_a_file_as_the_next_version_and_lists_every_version(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    first = tmp_path / "v1.txt"
    first.write_text(WORDING + "\n", encoding="utf-8")
    second = tmp_path / "v2.txt"
    second.write_text(WORDING + " Срок — 5 лет.\n", encoding="utf-8")
    digest = hashlib.sha256(WORDING.encode()).hexdigest()

    published = cli.run("consents", "texts", "publish", str(first), "--purpose", "processing",
                        "--locale", "ru")  # fmt: skip
    again = cli.run("consents", "texts", "publish", str(first), "--purpose", "processing",
                    "--locale", "ru")  # fmt: skip
    cli.run("consents", "texts", "publish", str(second), "--purpose", "processing",
            "--locale", "ru")  # fmt: skip
    listed = wide(cli).run("consents", "texts", "list", "--purpose", "processing")

    assert published.code == 0, published.stderr
    assert published.stdout == f"published processing ru version 1 {digest}\n"
    assert again.stdout == (
        f"unchanged, the newest version is this text: processing ru version 1 {digest}\n"
    )
    assert listed.code == 0, listed.stderr
    assert digest in listed.stdout
    assert listed.stdout.index("│ 2 ") < listed.stdout.index("│ 1 ")
    actions = app.db.read(
        lambda uow: [
            (r.action, r.actor_kind, r.actor_label)
            for r in uow.session.query(AuditRecord).order_by(AuditRecord.seq)
        ]
    )
    assert actions == [("consent_text.published", "system", "command line")] * 2


def test_refuses_an_unknown_purpose_and_a_bad_language_with_their_codes(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "text.txt"
    path.write_text("I agree.", encoding="utf-8")
    unknown = cli.run("consents", "texts", "publish", str(path), "--purpose", "transfer.x",
                      "--locale", "en")  # fmt: skip
    bad = cli.run("consents", "purposes", "add", "--processor", "SMS RU", "--title", "SMS.ru")
    assert unknown.code == 3
    assert unknown.stderr.startswith("error[consent_purpose_not_found]: ")
    assert bad.code == 2
    assert bad.stderr.startswith("error[option_invalid]: ")
    assert "--processor" in bad.stderr


def test_adds_a_processor_and_shows_a_members_consents_with_their_evidence(
    cli: Cli, app: Loyalist
) -> None:
    added = cli.run("consents", "purposes", "add", "--processor", "smsru", "--title", "SMS.ru")
    send(
        app,
        event("e1", "member.enrolled", "M1", START - timedelta(days=1), consents={"sms": True}),
    )
    purposes = cli.run("consents", "purposes", "list")
    shown = wide(cli).run("consents", "show", "M1")
    missing = cli.run("consents", "show", "ghost")

    assert added.stdout == "added transfer.smsru\n"
    assert "transfer.smsru" in purposes.stdout
    assert shown.code == 0, shown.stderr
    [sms] = [line for line in shown.stdout.splitlines() if "│ sms " in line][:1]
    assert "yes" in sms
    assert "2026-01-14T12:00:00+00:00" in sms
    assert "member.enrolled" in sms
    assert missing.code == 3
    assert missing.stderr.startswith("error[member_not_found]: ")
