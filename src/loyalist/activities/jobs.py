"""Activities' due work: importing the files of events uploaded in the console (wired in
``bootstrap``)."""

from __future__ import annotations

import functools
from typing import Any

import orjson

from loyalist.activities import service
from loyalist.activities.schemas import Line, ParsedEvent, parse_event
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, FieldError
from loyalist.settings import ProgramPolicy


def run_imports(db: Database, _program: ProgramPolicy, limit: int) -> int:
    """Import the next ``limit`` records of the oldest unfinished import.

    An import does not stop at a bad line: the good lines of the chunk are applied in one
    unit with the import's progress; if the shop's data refuses one of them (an unknown
    member, an id reused with another body), each is applied in a unit of its own so only
    the refused ones are reported. Events are idempotent by id, so a file uploaded again
    (or a chunk repeated after a crash) imports nothing twice. Returns the records read.
    """
    chunk = db.read(lambda uow: service.next_import_chunk(uow, max(limit, 1)))
    if chunk is None:
        return 0
    errors: list[dict[str, Any]] = []
    parsed: list[tuple[Line, ParsedEvent]] = []
    for line in chunk.lines:
        if line.problem is not None:
            errors.append(_error(line, FieldError("", line.problem), "line_invalid"))
            continue
        if b"\\u0000" in orjson.dumps(line.raw):
            # PostgreSQL stores no NUL in text (the events API refuses it too).
            errors.append(_error(line, FieldError("", "contains U+0000"), "request_invalid"))
            continue
        try:
            parsed.append((line, parse_event(line.raw)))
        except DomainError as exc:
            errors.extend(_errors(line, exc))
    try:
        db.write(lambda uow: _apply(uow, chunk, [ev for _, ev in parsed], errors))
    except DomainError:
        imported = replayed = 0
        for line, event in parsed:
            try:
                outcome = db.write(functools.partial(_ingest_one, event=event))
            except DomainError as exc:
                errors.extend(_errors(line, exc))
            else:
                replayed += outcome.replayed
                imported += not outcome.replayed
        errors.sort(key=lambda e: int(e["line"]))
        db.write(
            lambda uow: service.record_import_chunk(
                uow, chunk, imported=imported, replayed=replayed, errors=errors
            )
        )
    return len(chunk.lines) or 1


def _ingest_one(uow: UnitOfWork, *, event: ParsedEvent) -> service.EventOutcome:
    return service.ingest_events(uow, [event])[0]


def _apply(
    uow: UnitOfWork,
    chunk: service.ImportChunk,
    events: list[ParsedEvent],
    errors: list[dict[str, Any]],
) -> None:
    outcomes = service.ingest_events(uow, events) if events else []
    replayed = sum(o.replayed for o in outcomes)
    service.record_import_chunk(
        uow, chunk, imported=len(outcomes) - replayed, replayed=replayed, errors=errors
    )


def _errors(line: Line, exc: DomainError) -> list[dict[str, Any]]:
    return [_error(line, field, exc.code) for field in exc.errors or [FieldError("", exc.detail)]]


def _error(line: Line, field: FieldError, code: str) -> dict[str, Any]:
    """A bad line: its number, the field's pointer and what is wrong (not its values)."""
    return {"line": line.number, "pointer": field.pointer, "detail": field.detail, "code": code}
