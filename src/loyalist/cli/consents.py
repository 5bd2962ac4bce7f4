"""``loyalist consents texts|purposes|show``: the consent registry from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from loyalist.audit.models import Actor, ActorKind
from loyalist.cli.context import cli_errors, open_app, valid_options
from loyalist.cli.errors import OptionInvalidError
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.models import Locale
from loyalist.members.schemas import ConsentTextIn, MemberConsentsRead, PurposeIn, TextRef

app = typer.Typer(
    help="Consent: purposes, versioned consent texts, a member's consents with evidence.",
    no_args_is_help=True,
)
texts_app = typer.Typer(help="Consent texts: every version with its SHA-256.", no_args_is_help=True)
purposes_app = typer.Typer(help="What members consent to.", no_args_is_help=True)
app.add_typer(texts_app, name="texts")
app.add_typer(purposes_app, name="purposes")
out = Console(soft_wrap=True)

#: Who acts from the command line: the operator at the server (audited as such).
OPERATOR = Actor(ActorKind.SYSTEM, label="command line")


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    # Fold rather than cut with an ellipsis: piped output keeps every character.
    table = Table(*(Column(name, overflow="fold") for name in columns))
    for row in rows:
        table.add_row(*row)
    out.print(table)


@texts_app.command()
def publish(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="UTF-8 text file")
    ],
    purpose: Annotated[str, typer.Option(help="processing, email, sms, push, transfer.<…>")],
    locale: Annotated[Locale, typer.Option(help="the text's language")],
) -> None:
    """Publish the file's text (without its final line breaks) as the purpose's next
    version in that language; the newest version's text again publishes nothing."""
    with cli_errors():
        try:
            wording = path.read_text(encoding="utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise OptionInvalidError(
                f"{path} is not UTF-8 text", errors=[FieldError("PATH", "not UTF-8")]
            ) from None
        body = valid_options(ConsentTextIn, purpose=purpose, locale=locale, text=wording)
        with open_app() as loyalist:
            found, created = loyalist.db.write(
                lambda uow: consents.publish_text(uow, body, actor=OPERATOR)
            )
    what = "published" if created else "unchanged, the newest version is this text:"
    typer.echo(f"{what} {found.purpose} {found.locale} version {found.version} {found.sha256}")


@texts_app.command("list")
def list_texts(
    purpose: Annotated[str | None, typer.Option(help="only this purpose")] = None,
    locale: Annotated[Locale | None, typer.Option(help="only this language")] = None,
) -> None:
    """Every published version, newest first per purpose and language."""
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.read(lambda uow: consents.list_texts(uow, purpose, locale))
    _table(
        ("purpose", "locale", "version", "sha256", "published", "by"),
        [
            (
                t.purpose,
                t.locale.value,
                str(t.version),
                t.sha256,
                t.published_at.isoformat(timespec="seconds"),
                t.published_by or "",
            )
            for t in found
        ],
    )


@purposes_app.command("list")
def list_purposes() -> None:
    """The built-in purposes, then the transfers to processors added."""
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.read(consents.list_purposes)
    _table(
        ("code", "kind", "channel or processor", "title"),
        [(p.code, p.kind.value, p.channel or p.processor or "", p.title) for p in found],
    )


@purposes_app.command()
def add(
    processor: Annotated[str, typer.Option(help="the processor's code, e.g. smsru")],
    title: Annotated[str, typer.Option(help="who it is, for staff")],
) -> None:
    """Add the purpose "transfer of personal data to a processor" (transfer.<processor>)."""
    with cli_errors():
        body = valid_options(PurposeIn, processor=processor, title=title)
        with open_app() as loyalist:
            added = loyalist.db.write(lambda uow: consents.add_purpose(uow, body, actor=OPERATOR))
    typer.echo(f"added {added.code}")


def _shown(text: TextRef | None) -> str:
    return f"{text.locale.value} v{text.version} {text.sha256[:12]}" if text else ""


@app.command()
def show(
    member: Annotated[str, typer.Argument(help="the shop's member id")],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="trail entries")] = 100,
) -> None:
    """The member's consent for every purpose with its evidence, then the trail (newest
    first)."""

    def op(uow: UnitOfWork) -> MemberConsentsRead:
        found = members.get_member_id(uow, member)
        return consents.member_consents(uow, found, member, limit=limit)

    with cli_errors(), open_app() as loyalist:
        shown = loyalist.db.read(op)
    columns = ("purpose", "granted", "changed", "source", "ip", "text")
    _table(
        columns,
        [
            (
                p.purpose,
                "yes" if p.is_granted else "no",
                p.changed_at.isoformat(timespec="seconds") if p.changed_at else "",
                p.source or "",
                p.ip or "",
                _shown(p.text),
            )
            for p in shown.purposes
        ],
    )
    _table(
        columns,
        [
            (
                h.purpose,
                "yes" if h.is_granted else "no",
                h.changed_at.isoformat(timespec="seconds"),
                h.source,
                h.ip or "",
                _shown(h.text),
            )
            for h in shown.history
        ],
    )
