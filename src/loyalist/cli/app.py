"""``loyalist``: set up, serve, run the worker, manage keys, import, demo, verify.

Commands load lazily: ``loyalist --help`` lists them from ``COMMANDS`` without importing
them, and a command's module (and with it the application: every domain, SQLAlchemy, the
database drivers) is imported only when that command runs or shows its own help.
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from loyalist.db.files import restrict_umask

if TYPE_CHECKING:
    # Typer vendors Click as ``typer._click``; its groups are typed with these classes.
    from typer._click import Command, Context


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a command is defined (a ``typer.Typer`` group or a command function) and the
    first paragraph of its help, which the top-level listing shows."""

    module: str
    attribute: str
    summary: str


#: Every top-level command, in the order ``loyalist --help`` lists them. A test checks each
#: summary against the help of the command it stands for.
COMMANDS: Final[dict[str, LazyCommand]] = {
    "serve": LazyCommand(
        "loyalist.cli.runtime",
        "serve",
        "Serve the API, console and portal (/docs, /console/, /portal/); on SQLite the worker too.",
    ),
    "worker": LazyCommand(
        "loyalist.cli.runtime",
        "worker",
        "Mature pending points, expire points and time out holds, forever (or --once).",
    ),
    "demo": LazyCommand(
        "loyalist.cli.events",
        "demo",
        "Generate a realistic shop and send it through the ingest path; print a summary.",
    ),
    "init": LazyCommand(
        "loyalist.cli.runtime",
        "init",
        "Create the secret key file (unless LOYALIST_SECRET_KEY is set) and migrate the database.",
    ),
    "apikeys": LazyCommand("loyalist.cli.apikeys", "app", "API keys for the shop's back end."),
    "audit": LazyCommand("loyalist.cli.audit", "app", "The audit trail: verify its hash chain."),
    "campaigns": LazyCommand(
        "loyalist.cli.campaigns",
        "app",
        "Campaigns: audiences, offers, A/B variants with a control group, launches, reports.",
    ),
    "connectors": LazyCommand(
        "loyalist.cli.connectors",
        "app",
        "Shop connectors: Shopify, WooCommerce, Saleor webhooks.",
    ),
    "consents": LazyCommand(
        "loyalist.cli.consents",
        "app",
        "Consent: purposes, versioned consent texts, a member's consents with evidence.",
    ),
    "coupons": LazyCommand(
        "loyalist.cli.coupons", "app", "Coupon codes: generate unique codes in bulk, export them."
    ),
    "import": LazyCommand("loyalist.cli.events", "app", "Import data from files."),
    "export": LazyCommand(
        "loyalist.cli.exports",
        "app",
        "Export members, ledger postings, balances or orders to CSV or Parquet.",
    ),
    "insights": LazyCommand(
        "loyalist.cli.insights",
        "app",
        "Insights: KPIs, cohorts, journey, NPS, RFM segments, lifetime value, recommendations.",
    ),
    "keys": LazyCommand("loyalist.cli.keys", "app", "Master keys: rotation."),
    "ledger": LazyCommand("loyalist.cli.ledger", "app", "The points ledger."),
    "messages": LazyCommand(
        "loyalist.cli.messages",
        "app",
        "Messages: what members were sent, resending a failed one, template previews.",
    ),
    "privacy": LazyCommand(
        "loyalist.cli.privacy",
        "app",
        "Privacy: a member's data export and erasure, the destruction records (acts).",
    ),
    "program": LazyCommand(
        "loyalist.cli.program",
        "app",
        "The loyalty program file: rules, tiers, rewards, coupons, referrals, gamification, "
        "journeys, templates and campaigns.",
    ),
    "rules": LazyCommand("loyalist.cli.program", "rules_app", "Earning rules."),
    "staff": LazyCommand("loyalist.cli.staff", "app", "Staff users who sign in to the console."),
}


class Listed(TyperCommand):
    """A command as the top-level listing shows it, before its module is imported."""


class LazyGroup(TyperGroup):
    """The top-level group: lists ``COMMANDS`` by their summaries and builds a command from
    its module when the command line resolves to it."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, entry in COMMANDS.items():
            self.add_command(Listed(name=name, help=entry.summary))

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, Listed):
            command = load_command(name)
            self.add_command(command, name)
        return name, command, rest


def load_command(name: str) -> Command:
    """Import ``COMMANDS[name]`` and build it as ``app.add_typer(group, name=name)`` or
    ``app.command(name)(function)`` would."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if isinstance(target, typer.Typer):
        return get_group_from_info(
            TyperInfo(target, name=name),
            pretty_exceptions_short=app.pretty_exceptions_short,
            suggest_commands=app.suggest_commands,
            rich_markup_mode=app.rich_markup_mode,
        )
    return get_command_from_info(
        CommandInfo(name=name, callback=target),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def loyalist() -> None:
    """Loyalist: customer loyalty, referral and retention platform."""


# The callback makes Typer build a group although no command is registered on ``app``.
app = typer.Typer(
    name="loyalist",
    cls=LazyGroup,
    callback=loyalist,
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Whatever this process and its server processes create is its owner's only (set here,
    # not in a command, so an in-process caller keeps its own umask).
    restrict_umask()
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
