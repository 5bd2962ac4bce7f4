"""``loyalist privacy export|erase|acts``: a member's export bundle, erasure, and the
destruction records (the acts) as CSV or JSON."""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console

from loyalist.cli.context import cli_actor, cli_errors, open_app, print_error
from loyalist.db.files import private_opener
from loyalist.errors import RequestInvalidError
from loyalist.privacy import service as privacy
from loyalist.privacy.models import LegalBasis
from loyalist.privacy.schemas import DestructionRecordRead, ErasureIn

app = typer.Typer(
    help="Privacy: a member's data export and erasure, the destruction records (acts).",
    no_args_is_help=True,
)
err = Console(stderr=True, soft_wrap=True)

MemberArg = Annotated[str, typer.Argument(help="the shop's member id")]
OutFile = Annotated[
    Path | None,
    typer.Option("--out", "-o", dir_okay=False, help="file to write (default: standard output)"),
]
_JSON = orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
#: The acts' CSV columns, in order.
ACT_COLUMNS = (
    "id",
    "performed_at",
    "subject",
    "kind",
    "legal_basis",
    "reference",
    "note",
    "categories",
    "method",
    "points_closed",
    "actor_kind",
    "actor_id",
    "actor_label",
    "audit_seq",
)


class ActsFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def _emit(data: bytes, out_file: Path | None) -> str:
    """Write ``data`` to the file (owner-only, replaced whole) or standard output; returns
    where it went."""
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return "standard output"
    partial = out_file.with_name(out_file.name + ".part")
    try:
        with open(partial, "wb", opener=private_opener) as handle:
            handle.write(data)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out_file)
    return str(out_file)


@app.command()
def export(member_id: MemberArg, out_file: OutFile = None) -> None:
    """Everything held about a member as one JSON document (docs/privacy.md), recorded in
    the audit trail (privacy.export). A file is written readable by its owner only."""
    with cli_errors(), open_app() as loyalist:
        document = loyalist.db.write(lambda uow: privacy.export_member(uow, member_id, cli_actor()))
    where = _emit(orjson.dumps(document, option=_JSON) + b"\n", out_file)
    err.print(f"exported member {member_id} to {where}", markup=False)


@app.command()
def erase(
    member_id: MemberArg,
    legal_basis: Annotated[
        LegalBasis, typer.Option(help="the ground of the erasure (docs/privacy.md)")
    ] = LegalBasis.SUBJECT_REQUEST,
    reference: Annotated[
        str | None, typer.Option(help="your number for the request (your register links it)")
    ] = None,
    note: Annotated[str | None, typer.Option(help="why, in words")] = None,
) -> None:
    """Erase a member's personal data keeping the books exact, and print the destruction
    record. Erasing again prints the first record and changes nothing."""
    try:
        request = ErasureIn(legal_basis=legal_basis, reference=reference, note=note)
    except ValidationError as exc:
        first = exc.errors()[0]
        option = str(first["loc"][0]).replace("_", "-")
        print_error(RequestInvalidError.code, f"--{option}: {first['msg']}")
        raise typer.Exit(2) from None
    with cli_errors(), open_app() as loyalist:
        record, created = loyalist.db.write(
            lambda uow: privacy.erase_member(uow, member_id, request, cli_actor())
        )
        if created:
            loyalist.db.checkpoint()
    typer.echo(orjson.dumps(record.model_dump(mode="json"), option=_JSON).decode())
    err.print(
        f"{'erased' if created else 'already erased'}: member {member_id} is now "
        f"{record.subject} ({record.points_closed} points closed)",
        markup=False,
    )


@app.command()
def acts(
    fmt: Annotated[ActsFormat, typer.Option("--format", help="csv or json")] = ActsFormat.CSV,
    since: Annotated[
        datetime | None, typer.Option(help="performed at or after (ISO 8601, UTC if naive)")
    ] = None,
    until: Annotated[datetime | None, typer.Option(help="performed before")] = None,
    out_file: OutFile = None,
) -> None:
    """The destruction records (what was destroyed of whom, how, when, by whom and on what
    ground), oldest first, as CSV or JSON: the acts to file."""
    with cli_errors(), open_app() as loyalist:
        records = loyalist.db.read(
            lambda uow: list(privacy.acts(uow, since=_utc(since), until=_utc(until)))
        )
    if fmt == ActsFormat.JSON:
        data = orjson.dumps([r.model_dump(mode="json") for r in records], option=_JSON) + b"\n"
    else:
        data = _csv(records).encode()
    where = _emit(data, out_file)
    err.print(f"exported {len(records):,} destruction records to {where}", markup=False)


def _utc(moment: datetime | None) -> datetime | None:
    """An option's time, read as UTC when it names no zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _csv(records: list[DestructionRecordRead]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(ACT_COLUMNS)
    for record in records:
        row: dict[str, Any] = record.model_dump(mode="json")
        actor = row.pop("actor")
        row |= {f"actor_{k}": v for k, v in actor.items()}
        row["categories"] = orjson.dumps(row["categories"], option=orjson.OPT_SORT_KEYS).decode()
        writer.writerow(["" if row[c] is None else row[c] for c in ACT_COLUMNS])
    return text.getvalue()
