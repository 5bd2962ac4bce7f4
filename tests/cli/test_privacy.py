"""``loyalist privacy export|erase|acts``: the bundle to a file only its owner reads, an
erasure after which ``ledger verify`` stays clean, and the acts as CSV and JSON."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import orjson

from loyalist.bootstrap import Loyalist
from tests.cli.conftest import Cli
from tests.conftest import START, event, order_body
from tests.integration.helpers import send

EMAIL = "otto.brackenbury@example.org"


def _member(app: Loyalist) -> None:
    send(
        app,
        event("e1", "member.enrolled", "M1", START, email=EMAIL, first_name="Otto"),
        event("e2", "order.paid", "M1", START, **order_body("O1", ("BOOK", 1, 5000))),
    )


class TestExport:
    def test_writes_the_bundle_to_a_file_only_its_owner_reads(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        _member(app)
        out = tmp_path / "m1.json"

        result = cli.run("privacy", "export", "M1", "--out", str(out))

        assert result.code == 0, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        bundle = orjson.loads(out.read_bytes())
        assert (bundle["format"], bundle["member"]["profile"]["email"]) == (
            "loyalist.member-export",
            EMAIL,
        )
        assert [o["order_id"] for o in bundle["orders"]] == ["O1"]
        assert "exported member M1" in result.stderr

    def test_an_unknown_member_exits_3(self, cli: Cli) -> None:
        result = cli.run("privacy", "export", "NOBODY")

        assert result.code == 3
        assert result.stderr.startswith("error[member_not_found]:")
        assert result.stdout == ""


class TestEraseAndActs:
    def test_erases_once_keeps_the_ledger_clean_and_files_the_act(
        self, cli: Cli, app: Loyalist
    ) -> None:
        _member(app)

        first = cli.run("privacy", "erase", "M1", "--reference", "DSR-1", "--note", "by letter")
        again = cli.run("privacy", "erase", "M1")
        verify = cli.run("ledger", "verify")
        as_csv = cli.run("privacy", "acts")
        as_json = cli.run("privacy", "acts", "--format", "json", "--since", "2000-01-01")

        assert (first.code, again.code, verify.code) == (0, 0, 0), first.stderr + again.stderr
        record = orjson.loads(first.stdout)
        assert record == orjson.loads(again.stdout)
        assert "already erased" in again.stderr
        assert (record["reference"], record["note"], record["actor"]["kind"]) == (
            "DSR-1",
            "by letter",
            "system",
        )
        assert record["actor"]["label"].startswith("cli:")
        assert "ledger consistent" in verify.stdout
        [row] = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert (row["id"], row["subject"], row["legal_basis"], row["reference"]) == (
            str(record["id"]),
            record["subject"],
            "subject_request",
            "DSR-1",
        )
        assert orjson.loads(row["categories"])["profile_fields"] == ["email", "first_name"]
        assert orjson.loads(as_json.stdout) == [record]
        assert EMAIL not in as_csv.stdout + as_json.stdout

    def test_the_retention_ground_is_refused_and_nothing_is_erased(
        self, cli: Cli, app: Loyalist
    ) -> None:
        _member(app)

        refused = cli.run("privacy", "erase", "M1", "--legal-basis", "retention_expired")
        acts = cli.run("privacy", "acts", "--format", "json")

        assert refused.code == 2
        assert refused.stderr.startswith("error[request_invalid]: --legal-basis:")
        assert orjson.loads(acts.stdout) == []
