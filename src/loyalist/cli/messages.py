"""``loyalist messages list|show|resend|preview``: what members were sent, resending a failed
message, and a template rendered without sending anything."""

from __future__ import annotations

import getpass
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from loyalist.cli.context import cli_errors, err, open_app
from loyalist.db.uow import UnitOfWork
from loyalist.messages import previews
from loyalist.messages import service as messages
from loyalist.messages.models import MessageStatus
from loyalist.messages.schemas import MessageRead, PreviewIn, PreviewRead

_HELP = "Messages: what members were sent, resending a failed one, template previews."
app = typer.Typer(
    help=_HELP,
    no_args_is_help=True,
)
# Soft wrap: piped output keeps every character of a body on its line. Tables piped to a
# file or another program are laid out 200 columns wide (a terminal: its own width), so
# ids and reasons are not cut or folded.
out = Console(soft_wrap=True)
if not out.is_terminal:
    out.width = 200

Member = Annotated[str, typer.Option("--member", help="the member's id")]
MessageId = Annotated[str, typer.Argument(help="the message's id (msg_…)")]


class Locale(StrEnum):
    EN = "en"
    RU = "ru"


class Part(StrEnum):
    SUBJECT = "subject"
    TEXT = "text"
    HTML = "html"


def _when(message: MessageRead) -> str:
    return message.created_at.isoformat(timespec="seconds")


@app.command("list")
def list_messages(
    member: Annotated[str | None, typer.Option(help="only this member's messages")] = None,
    status: Annotated[
        MessageStatus | None, typer.Option(help="only messages in this status")
    ] = None,
    journey: Annotated[str | None, typer.Option(help="only this journey's messages")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="at most this many")] = 50,
) -> None:
    """List messages, newest first: id, member, journey, channel, status and its reason."""
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.read(
            lambda uow: messages.find_messages(
                uow, member=member, status=status, journey=journey, limit=limit
            )
        )
    columns = ("id", "member", "created", "journey", "kind", "channel", "status")
    table = Table(
        *(Column(name, no_wrap=True) for name in columns), Column("reason", overflow="fold")
    )
    for message in found:
        table.add_row(
            message.id,
            message.member_id,
            _when(message),
            message.journey,
            message.kind,
            message.channel,
            message.status,
            message.reason or "",
        )
    out.print(table, markup=False, highlight=False)
    err.print(f"{len(found)} messages", markup=False)


@app.command()
def show(message_id: MessageId, member: Member) -> None:
    """Show one message of a member with its status history."""
    with cli_errors(), open_app() as loyalist:
        message = loyalist.db.read(lambda uow: messages.get_message(uow, member, message_id))
    _print_message(message)


def _print_message(message: MessageRead) -> None:
    fields = {
        "id": message.id,
        "member": message.member_id,
        "journey": f"{message.journey} ({message.natural_key})",
        "kind": message.kind,
        "channel": message.channel,
        "template": f"{message.template_key} v{message.template_version} {message.locale}",
        "subject": message.subject if message.subject is not None else "(not rendered yet)",
        "status": message.status + (f": {message.reason}" if message.reason else ""),
        "attempts": str(message.attempts),
        "created": _when(message),
    }
    for name, value in fields.items():
        out.print(f"{name + ':':<10} {value}", markup=False, highlight=False)
    table = Table("changed", "status", Column("reason", overflow="fold"), title="status history")
    for change in message.history:
        table.add_row(
            change.changed_at.isoformat(timespec="seconds"), change.status, change.reason or ""
        )
    out.print(table, markup=False, highlight=False)


def _operator() -> str:
    try:
        return f"the command line ({getpass.getuser()})"
    except (OSError, KeyError):  # no user name in this environment
        return "the command line"


@app.command()
def resend(
    message_id: MessageId,
    member: Member,
    reason: Annotated[
        str | None, typer.Option(help="why it is resent (kept in its history)")
    ] = None,
) -> None:
    """Resend a failed or not_configured message (same id); the worker sends it after the
    send-time check (consent, suppression, quiet hours, caps)."""
    by = _operator()
    with cli_errors(), open_app() as loyalist:
        message = loyalist.db.write(
            lambda uow: messages.resend(uow, member, message_id, by=by, why=reason)
        )
    out.print(f"message {message.id} of {message.member_id} is queued again", markup=False)


@app.command()
def preview(
    key: Annotated[str, typer.Argument(help="the template's key, e.g. order_confirmation")],
    locale: Annotated[Locale, typer.Option(help="the language to render")] = Locale.EN,
    member: Annotated[
        str | None, typer.Option(help="render with this member's details (else sample data)")
    ] = None,
    part: Annotated[
        Part | None, typer.Option(help="print only this part (html only this way)")
    ] = None,
) -> None:
    """Render a template without sending anything: the subject and text, or one part."""
    with cli_errors(), open_app() as loyalist:
        brand = messages.brand_kit(loyalist.settings)
        program = loyalist.program

        def op(uow: UnitOfWork) -> PreviewRead:
            body = PreviewIn(member_id=member)
            return previews.preview_template(uow, key, body, brand=brand, program=program)

        rendered = loyalist.db.read(op).renderings[locale.value]
    if part is None:
        out.print(f"Subject: {rendered.subject}\n\n{rendered.text}", markup=False, highlight=False)
    elif part == Part.HTML:
        if rendered.html is None:
            err.print(f"{key} has no HTML part", markup=False)
        else:
            out.print(rendered.html, markup=False, highlight=False)
    else:
        out.print(getattr(rendered, part.value), markup=False, highlight=False)
