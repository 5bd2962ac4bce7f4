"""``loyalist import events --on-error skip``: every valid line imported, the rejected ones
in a report with their line numbers and errors."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import read_jsonl
from loyalist.bootstrap import Loyalist
from loyalist.cli.events import Rejections, _import
from tests.cli.conftest import Cli, sqlite_only
from tests.cli.helpers import activity_ids, csv_row, imported, jsonl_line, write_csv
from tests.conftest import event, order_body
from tests.integration.helpers import assert_ledger_consistent, points


def _recent(days_ago: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)


_GOOD = [
    event("g0", "member.enrolled", "Q1", _recent(9)),
    event("g1", "order.placed", "Q1", _recent(8), **order_body("O1", ("shoe", 1, 4000))),
    event("g2", "order.paid", "Q1", _recent(7.9), order_id="O1"),
    *(
        event(f"g{i}", "x.page_viewed", "Q1", _recent(7 - i / 10), page=f"/{i}")
        for i in range(3, 8)
    ),
]


def _report(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class TestImportSkip:
    def test_every_valid_line_is_imported_and_the_bad_ones_reported(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        no_lines = event("bad-a", "order.placed", "Q1", _recent(6), order_id="O2")
        unknown = event("bad-b", "order.teleported", "Q1", _recent(6))
        lines = [jsonl_line(ev) for ev in _GOOD[:4]]
        lines += [jsonl_line(no_lines), '{"id": "bad-c",', jsonl_line(unknown)]
        lines += [jsonl_line(ev) for ev in _GOOD[4:]]
        path = tmp_path / "events.jsonl"
        path.write_text("\n".join(lines) + "\n")

        result = cli.run("import", "events", str(path), "--batch-size", "3", "--on-error", "skip")

        assert result.code == 0, result.stderr
        assert imported(result.stdout) == (8, 0)
        assert activity_ids(app) == {ev["id"] for ev in _GOOD}
        report = tmp_path / "events.jsonl.rejected.csv"
        assert f"rejected 3 lines: see {report}" in result.stdout
        rows = _report(report)
        assert sorted({int(r["line"]) for r in rows}) == [5, 6, 7]
        by_line = {int(r["line"]): r for r in rows}
        assert by_line[6]["code"] == "line_invalid"
        assert by_line[5]["code"] == "event_invalid"
        assert by_line[5]["pointer"]
        assert by_line[7]["error"]
        assert points(app, "Q1")["pending"] == 40
        assert_ledger_consistent(app)

    @sqlite_only
    def test_a_line_the_ledger_refuses_is_left_out_and_its_batch_applied(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        unknown_sku = event(
            "bad", "order.returned", "Q1", _recent(1), order_id="O1",
            lines=[{"sku": "boot", "quantity": 1}],
        )  # fmt: skip
        rows = [*(csv_row(ev) for ev in _GOOD[:5]), csv_row(unknown_sku, indent=True)]
        rows += [csv_row(ev) for ev in _GOOD[5:]]
        path = write_csv(tmp_path / "events.csv", rows)
        report = tmp_path / "out" / "rejected.csv"
        report.parent.mkdir()

        result = cli.run(
            "import", "events", str(path), "--batch-size", "4",
            "--on-error", "skip", "--report", str(report),
        )  # fmt: skip

        assert result.code == 0, result.stderr
        assert activity_ids(app) == {ev["id"] for ev in _GOOD}
        assert _report(report) == [
            {
                "line": "7",
                "code": "return_sku_unknown",
                "pointer": "/data/lines/0/sku",
                "error": _report(report)[0]["error"],
            }
        ]

    @sqlite_only
    def test_stop_is_the_default_and_writes_no_report(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = tmp_path / "events.jsonl"
        path.write_text("\n".join([jsonl_line(_GOOD[0]), "{"]) + "\n")

        result = cli.run("import", "events", str(path))

        assert result.code == 2
        assert f"{path}:2: error[line_invalid]" in result.stderr
        assert not (tmp_path / "events.jsonl.rejected.csv").exists()
        assert activity_ids(app) == set()


class TestSkipInvariant:
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        kinds=st.lists(st.sampled_from(["good", "fields", "json", "type"]), min_size=1, max_size=9),
        batch_size=st.integers(1, 4),
    )
    def test_valid_lines_imported_and_only_the_bad_ones_reported(
        self, app: Loyalist, tmp_path: Path, kinds: list[str], batch_size: int
    ) -> None:
        run = uuid.uuid4().hex[:8]
        lines, good, bad = [], set(), set()
        when = app.clock.now() - timedelta(hours=1)
        for number, kind in enumerate(kinds, start=1):
            ident = f"{run}-{number}"
            if kind == "good":
                good.add(ident)
                lines.append(jsonl_line(event(ident, "member.enrolled", f"Q{ident}", when)))
            else:
                bad.add(number)
                lines.append(
                    {
                        "fields": jsonl_line(event(ident, "order.placed", "Q9", when)),
                        "json": '{"id": "' + ident,
                        "type": jsonl_line(event(ident, "order.teleported", "Q9", when)),
                    }[kind]
                )
        path = tmp_path / f"{run}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        rejected = Rejections(tmp_path / f"{run}.csv")

        with path.open("rb") as handle:
            applied, replayed = _import(
                app, read_jsonl(handle), path, batch_size, path.stat().st_size, rejected
            )

        assert {row[0] for row in rejected.rows} <= bad, rejected.rows
        assert (applied, replayed) == (len(good), 0)
        assert {i for i in activity_ids(app) if i.startswith(run)} == good
        assert {row[0] for row in rejected.rows} == bad
        assert rejected.lines == len(bad)
