"""``loyalist campaigns`` commands: list, show, pause, resume, cancel, the seasonal calendar
(launch and estimate in ``campaigns_send``, the report in ``campaigns_report``)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Campaigns: audiences, offers, A/B variants with a control group, launches, reports.",
    no_args_is_help=True,
)


# Commands defined beside this module, registered on the same ``campaigns`` group.
from loyalist.cli import campaigns_report, campaigns_send  # noqa: E402,F401
