"""Regressions found in review of the insights commands."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from typer.testing import CliRunner

from loyalist.bootstrap import Loyalist
from loyalist.cli.app import app as cli
from loyalist.cli.insights_kpis import print_kpis
from loyalist.insights import service
from loyalist.insights.nps import Dimension
from loyalist.members import service as members
from tests.conftest import START, event, order_body
from tests.integration.helpers import member_pk, send


def test_kpis_refuses_a_currency_that_is_not_a_three_letter_code() -> None:
    # Before: "--currency euro" was upper-cased and quietly matched no order at all.
    result = CliRunner().invoke(cli, ["insights", "kpis", "--currency", "euro"])

    assert result.exit_code == 2
    assert "not a three-letter currency code" in result.output


def test_kpi_tables_show_a_segment_name_with_brackets_as_text(app: Loyalist) -> None:
    day = START - timedelta(days=3)
    send(
        app,
        event("e1", "member.enrolled", "M1", day),
        event("e2", "order.paid", "M1", day, **order_body("O1", ("SKU-1", 1, 2500))),
    )
    pk = member_pk(app, "M1")
    app.db.write(lambda uow: members.set_segments(uow, {pk: ["a[/]b"]}))
    program = app.program
    report = app.db.read(lambda uow: service.kpi_report(uow, program, by=Dimension.SEGMENT))
    console = Console(width=200, record=True, file=io.StringIO())

    print_kpis(report, console)  # Rich read "[/]" as a closing tag: MarkupError

    assert "segment: a[/]b" in console.export_text()
