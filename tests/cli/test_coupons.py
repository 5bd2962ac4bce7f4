"""``loyalist coupons generate|export``: codes in bulk with progress, resuming, CSV export,
and errors as ``error[code]`` with their exit codes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.coupons import generation
from loyalist.coupons import service as coupons
from loyalist.coupons.codes import normalize
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn, GenerateIn
from loyalist.db.uow import UnitOfWork
from tests.cli.conftest import Cli, sqlite_only

SPRING: dict[str, Any] = {
    "name": {"en": "Spring sale", "ru": "Весенняя распродажа"},
    "discount": {"type": "percent", "percent": "10"},
}


def put_campaign(app: Loyalist, key: str = "spring", **overrides: Any) -> None:
    spec = CampaignIn.model_validate(SPRING | overrides)
    app.db.write(lambda uow: coupons.put_campaign(uow, key, spec))


def stored_codes(app: Loyalist) -> list[str]:
    def op(uow: UnitOfWork) -> list[str]:
        return list(uow.session.scalars(select(CouponCode.code).order_by(CouponCode.id)))

    return app.db.read(op)


def csv_codes(text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all((r["uses"], r["max_uses"], r["member_id"]) == ("0", "1", "") for r in rows)
    return [normalize(row["code"]) for row in rows]


GENERATE = ("coupons", "generate", "spring", "--count", "3000", "--prefix", "SP", "--group", "4")


class TestGenerate:
    def test_generates_resumes_and_exports_the_codes(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        put_campaign(app)
        interrupted = GenerateIn(count=3_000, prefix="SP", group=4, request_key="r1")
        batch_id = app.db.write(
            lambda uow: generation.start_or_resume(uow, "spring", interrupted).id
        )
        app.db.write(lambda uow: generation.add_chunk(uow, batch_id, size=1_000))

        resumed = cli.run(*GENERATE, "--request-key", "r1")
        assert resumed.code == 0, resumed.stderr
        assert re.search(
            r"^generated 2,000 codes for spring \(resumed\) in [\d.]+ s: [\d,]+ codes/s; "
            r"batch \d+ is ready with 3,000$",
            resumed.stdout,
            re.MULTILINE,
        ), resumed.stdout
        assert "generating codes for spring" in resumed.stderr
        stored = stored_codes(app)
        assert len(stored) == len(set(stored)) == 3_000

        again = cli.run(*GENERATE, "--request-key", "r1")
        assert again.code == 0, again.stderr
        assert "already holds its 3,000 codes: nothing added" in again.stdout
        assert stored_codes(app) == stored

        target = tmp_path / "codes.csv"
        exported = cli.run("coupons", "export", "spring", "--out", str(target))
        assert exported.code == 0, exported.stderr
        assert f"exported 3,000 codes of spring to {target}" in exported.stderr
        text = target.read_text()
        assert re.match(r"^code,uses,max_uses,member_id,valid_until\nSP-\w{4}-\w{4}-\w{2},", text)
        assert csv_codes(text) == stored
        assert not target.with_name("codes.csv.part").exists()

        to_stdout = cli.run("coupons", "export", "spring")
        assert to_stdout.code == 0, to_stdout.stderr
        assert to_stdout.stdout == text


@sqlite_only
class TestErrors:
    def test_each_error_prints_its_code_and_exits_with_its_status(
        self, cli: Cli, app: Loyalist
    ) -> None:
        put_campaign(app)
        put_campaign(app, "generic", code_mode="generic", code="HELLO26")
        first = cli.run("coupons", "generate", "spring", "--count", "10", "--request-key", "k")
        assert first.code == 0, first.stderr
        cases = {
            ("generate", "nope", "--count", "10", "--request-key", "k"): (3, "campaign_not_found"),
            ("generate", "spring", "--count", "11", "--request-key", "k"): (4, "batch_key_reused"),
            ("generate", "generic", "--count", "1", "--request-key", "k"): (
                2,
                "campaign_not_unique",
            ),
            ("generate", "spring", "--count", "1", "--request-key", "x", "--length", "40"): (
                2,
                "request_invalid",
            ),
            ("export", "nope"): (3, "campaign_not_found"),
        }
        results = {args: cli.run("coupons", *args) for args in cases}
        assert {
            args: (r.code, re.findall(r"error\[(\w+)\]", r.stderr)) for args, r in results.items()
        } == {args: (status, [code]) for args, (status, code) in cases.items()}
        bad_length = results[
            ("generate", "spring", "--count", "1", "--request-key", "x", "--length", "40")
        ]
        assert "--length: Input should be less than or equal to 32" in bad_length.stderr
        assert len(stored_codes(app)) == 11  # the ten generated and the generic code
