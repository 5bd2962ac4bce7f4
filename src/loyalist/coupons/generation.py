"""Bulk generation of unique coupon codes in resumable chunks, and their export.

A run is a ``CouponBatch`` named by the caller's ``request_key``. ``start_or_resume``
creates it once. ``add_chunk`` then fills it, one transaction of up to ``CHUNK_SIZE`` codes
at a time, made and sorted as one numpy block and written by one statement (PostgreSQL: a
``COPY``, or ``INSERT … ON CONFLICT (code) DO NOTHING`` when a code already exists; see
``repository.insert_codes``). A chunk counts only the rows really inserted: a code that
collided with a stored one is simply made again by a later chunk. The chunk that completes
the batch marks it READY. Until then ``coupons.service`` treats the batch's codes as
unknown, so an interrupted run leaves nothing usable, and the same request resumes it
without adding a code twice.

Codes are stored normalised (prefix + random body, no separators); the batch keeps its
pattern, and only the export (and people) see the grouped display form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from loyalist.coupons import codes, repository
from loyalist.coupons.errors import (
    BatchKeyReusedError,
    BatchNotFoundError,
    CampaignNotUniqueError,
    CodeSpaceTooSmallError,
)
from loyalist.coupons.models import BatchStatus, CodeMode, CouponBatch, CouponCampaign
from loyalist.coupons.schemas import GenerateIn
from loyalist.coupons.service import get_campaign, show
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import service as members

#: Codes per transaction: ~0.3–0.5 s of the SQLite writer (other writes wait that long at
#: most), large enough that the per-transaction cost does not show.
CHUNK_SIZE = 50_000
#: Codes per page of an export (one short read transaction each).
EXPORT_PAGE = 5_000
#: A full space could make a run loop forever; this many chunks in a row that add nothing
#: stop it. Below the 1% fill limit a chunk adds nothing with a chance of at most 1% (one
#: code missing, and it collides), so twenty in a row means the space really is full.
_BARREN_CHUNKS = 20
#: A batch this large refreshes PostgreSQL's statistics when it completes (see
#: ``repository.refresh_code_statistics``); smaller ones are left to autovacuum.
_ANALYZE_FROM = 10_000
CSV_HEADER = ("code", "uses", "max_uses", "member_id", "valid_until")


@dataclass(frozen=True, slots=True)
class BatchView:
    """A batch's state as plain values (usable after its unit of work closed)."""

    id: int
    campaign: str
    request_key: str
    pattern: codes.CodePattern
    requested: int
    generated: int
    status: BatchStatus
    created_at: datetime
    finished_at: datetime | None

    @property
    def is_ready(self) -> bool:
        return self.status == BatchStatus.READY

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "campaign": self.campaign,
            "request_key": self.request_key,
            "length": self.pattern.length,
            "prefix": self.pattern.prefix,
            "group": self.pattern.group,
            "requested": self.requested,
            "generated": self.generated,
            "status": self.status,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
        }


@dataclass(frozen=True, slots=True)
class Chunk:
    """What one chunk did: the batch after it and the codes it stored."""

    batch: BatchView
    inserted: int


@dataclass(frozen=True, slots=True)
class GenerationRun:
    """A whole ``generate`` call: the batch at the end, whether this call started it, and
    the codes this call stored (fewer than requested when it resumed a batch)."""

    batch: BatchView
    created: bool
    added: int


def pattern_of(batch: CouponBatch) -> codes.CodePattern:
    spec = batch.pattern
    return codes.CodePattern(
        length=int(spec["length"]), prefix=str(spec["prefix"]), group=int(spec["group"])
    )


def _pattern_doc(pattern: codes.CodePattern) -> dict[str, Any]:
    return {"length": pattern.length, "prefix": pattern.prefix, "group": pattern.group}


def view(batch: CouponBatch, campaign_key: str) -> BatchView:
    return BatchView(
        id=batch.id,
        campaign=campaign_key,
        request_key=batch.request_key,
        pattern=pattern_of(batch),
        requested=batch.requested,
        generated=batch.generated,
        status=BatchStatus(batch.status),
        created_at=batch.created_at,
        finished_at=batch.finished_at,
    )


# -- generation ---------------------------------------------------------------------------
def start_or_resume(uow: UnitOfWork, campaign_key: str, spec: GenerateIn) -> CouponBatch:
    """The batch of ``spec.request_key``: created (no codes yet) on first use; the same
    request again returns it as it stands, ready or still to be filled.

    Raises:
        NotFoundError: ``campaign_not_found``.
        InvalidRequestError: ``campaign_not_unique`` (a generic campaign has one shared
            code); ``code_space_too_small`` (the codes stored in the pattern's space plus
            ``count`` would fill more than 1% of it: guessing would get too easy).
        ConflictError: ``batch_key_reused``, the key was used with other parameters.
    """
    return _start_or_resume(uow, campaign_key, spec)[0]


def _start_or_resume(
    uow: UnitOfWork, campaign_key: str, spec: GenerateIn
) -> tuple[CouponBatch, bool]:
    campaign = get_campaign(uow, campaign_key)
    if campaign.code_mode != CodeMode.UNIQUE:
        raise CampaignNotUniqueError(
            f"campaign {campaign_key!r} has one shared code; unique codes are generated only "
            "for campaigns with code_mode unique"
        )
    pattern = spec.pattern()
    wanted = _pattern_doc(pattern)
    batch = repository.batch_by_key(uow.session, campaign.id, spec.request_key)
    if batch is not None:
        if batch.pattern != wanted or batch.requested != spec.count:
            used = pattern_of(batch)
            raise BatchKeyReusedError(
                f"request key {spec.request_key!r} already names a batch of "
                f"{batch.requested:,} codes of length {used.length}, prefix "
                f"{used.prefix or 'none'}, group {used.group}; use a new key for other "
                "parameters"
            )
        return batch, False
    stored = repository.codes_in_space(uow.session, pattern.prefix, pattern.length)
    limit = codes.space(pattern.length) // 100
    if stored + spec.count > limit:
        after = f" after {pattern.prefix}" if pattern.prefix else ""
        detail = (
            f"{spec.count:,} more codes would fill more than 1% of the {pattern.length}-character "
            f"space{after} ({stored:,} stored, at most {limit:,}): use longer codes"
        )
        raise CodeSpaceTooSmallError(detail, errors=[FieldError("/length", detail)])
    batch = CouponBatch(
        campaign_id=campaign.id,
        request_key=spec.request_key,
        pattern=wanted,
        requested=spec.count,
        generated=0,
        status=BatchStatus.GENERATING,
        created_at=uow.now,
        finished_at=None,
    )
    uow.session.add(batch)
    uow.session.flush()
    return batch, True


def add_chunk(uow: UnitOfWork, batch_id: int, *, size: int = CHUNK_SIZE) -> Chunk:
    """Store up to ``size`` more codes of the batch (never more than it still misses) and
    mark it READY, with ``finished_at``, once it holds every code requested.

    The batch row is locked first, so two runs resuming the same batch take turns and
    never overshoot. Codes already stored anywhere are skipped and not counted.

    Raises:
        NotFoundError: ``batch_not_found``.
    """
    batch = repository.batch_for_update(uow.session, batch_id)
    if batch is None:
        raise BatchNotFoundError(f"coupon batch {batch_id} does not exist")
    campaign = uow.session.get(CouponCampaign, batch.campaign_id)
    assert campaign is not None
    inserted = 0
    missing = batch.requested - batch.generated
    if missing > 0:
        pattern = pattern_of(batch)
        # Sorted: neighbouring inserts touch neighbouring index pages (~30% faster), and
        # a repeat within the chunk goes once.
        inserted = repository.insert_codes(
            uow.session,
            campaign_id=campaign.id,
            batch_id=batch.id,
            max_uses=campaign.uses_per_code,
            codes=codes.fresh_codes(min(size, missing), pattern),
            space=codes.space(pattern.length),
        )
        batch.generated += inserted
    if batch.generated >= batch.requested and batch.status != BatchStatus.READY:
        batch.status = BatchStatus.READY
        batch.finished_at = uow.now
        if batch.requested >= _ANALYZE_FROM:
            repository.refresh_code_statistics(uow.session)
    uow.session.flush()
    return Chunk(view(batch, campaign.key), inserted)


def generate(
    db: Database,
    campaign_key: str,
    spec: GenerateIn,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> GenerationRun:
    """Generate (or finish generating) the batch of ``spec``: each chunk in its own unit of
    work, ``progress(generated, requested)`` after the start and after every chunk.

    Interrupted anywhere, the same call resumes: committed chunks stay, the batch turns
    READY only with its last code.

    Raises:
        as ``start_or_resume``; InvalidRequestError ``code_space_too_small`` when chunk
        after chunk adds nothing (the space is full of other codes).
    """

    def start(uow: UnitOfWork) -> tuple[BatchView, bool]:
        batch, created = _start_or_resume(uow, campaign_key, spec)
        return view(batch, campaign_key), created

    batch, created = db.write(start)
    if progress is not None:
        progress(batch.generated, batch.requested)
    added = barren = 0
    batch_id = batch.id
    while not batch.is_ready:
        chunk = db.write(lambda uow: add_chunk(uow, batch_id, size=chunk_size))
        batch, added = chunk.batch, added + chunk.inserted
        barren = 0 if chunk.inserted else barren + 1
        if progress is not None:
            progress(batch.generated, batch.requested)
        if barren >= _BARREN_CHUNKS and not batch.is_ready:
            raise CodeSpaceTooSmallError(
                f"{barren} chunks in a row found no free code: the {batch.pattern.length}"
                "-character space is full; use longer codes",
                errors=[FieldError("/length", "too short for the codes already stored")],
            )
    return GenerationRun(batch, created, added)


def campaign_batches(uow: UnitOfWork, campaign_key: str) -> list[BatchView]:
    """The campaign's batches, oldest first.

    Raises:
        NotFoundError: ``campaign_not_found``.
    """
    campaign = get_campaign(uow, campaign_key)
    return [view(b, campaign.key) for b in repository.batches(uow.session, campaign.id)]


def get_batch(uow: UnitOfWork, campaign_key: str, batch_id: int) -> BatchView:
    """A batch of the campaign as it stands (how many of its codes are stored).

    Raises:
        NotFoundError: ``campaign_not_found``; ``batch_not_found``, also for a batch of
            another campaign.
    """
    campaign = get_campaign(uow, campaign_key)
    found = repository.batch(uow.session, campaign.id, batch_id)
    if found is None:
        raise BatchNotFoundError(f"campaign {campaign_key!r} has no coupon batch {batch_id}")
    return view(found, campaign.key)


def progress_chunk(count: int) -> int:
    """The chunk size that shows a run's progress: about twenty steps (at least 1,000
    codes each, at most ``CHUNK_SIZE``), so a progress bar moves without many tiny
    transactions."""
    return min(CHUNK_SIZE, max(1_000, -(-count // 20)))


# -- export -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportedCode:
    """A usable code as people see it, with its uses and owner."""

    code: str
    uses: int
    max_uses: int | None
    member_id: str | None
    valid_until: datetime | None


def export_codes(
    db: Database, campaign_key: str, *, page_size: int = EXPORT_PAGE
) -> Iterator[ExportedCode]:
    """The campaign's usable codes in id order: codes of READY batches (in their batch's
    display form), the shared code, personal codes (in groups of five). Pages of
    ``page_size`` rows are read by keyset pagination, each in its own short read, so
    memory stays flat however many codes there are.

    Raises (at once, before the first code):
        NotFoundError: ``campaign_not_found``.
    """
    campaign_id = db.read(lambda uow: get_campaign(uow, campaign_key).id)
    return _export(db, campaign_id, page_size)


def _export(db: Database, campaign_id: int, page_size: int) -> Iterator[ExportedCode]:
    patterns: dict[int, Callable[[str], str]] = {}
    after = 0
    while True:
        found, last = db.read(
            partial(_page, campaign_id=campaign_id, after=after, limit=page_size, patterns=patterns)
        )
        yield from found
        if last is None or len(found) < page_size:
            return
        after = last


def _page(
    uow: UnitOfWork,
    *,
    campaign_id: int,
    after: int,
    limit: int,
    patterns: dict[int, Callable[[str], str]],
) -> tuple[list[ExportedCode], int | None]:
    """One page of the export and the id to continue after (None when it is empty)."""
    rows = repository.export_page(uow.session, campaign_id, after, limit)
    if any(row.batch_id is not None and row.batch_id not in patterns for row in rows):
        patterns.update(
            (b.id, display(pattern_of(b))) for b in repository.batches(uow.session, campaign_id)
        )
    owners = members.external_ids(uow, {row.member_id for row in rows if row.member_id})
    return [_shown(row, patterns, owners) for row in rows], rows[-1].id if rows else None


def display(pattern: codes.CodePattern) -> Callable[[str], str]:
    """``pattern.show`` of a stored code (prefix + body), its slices worked out once: an
    export formats every code, and this is about three times faster."""
    head = f"{pattern.prefix}-" if pattern.prefix else ""
    start = len(pattern.prefix)
    if not pattern.group:
        return lambda code: head + code[start:]
    cuts = [
        slice(start + i, start + i + pattern.group) for i in range(0, pattern.length, pattern.group)
    ]
    return lambda code: head + "-".join([code[cut] for cut in cuts])


def _shown(
    row: repository.ExportRow,
    patterns: dict[int, Callable[[str], str]],
    owners: dict[int, str],
) -> ExportedCode:
    _id, batch_id, code, uses, max_uses, member_id, valid_until = row
    if batch_id is not None:
        text = patterns[batch_id](code)
    elif member_id is not None:
        text = show(code)
    else:
        text = code  # a generic campaign's shared code, as the shop chose it
    return ExportedCode(
        code=text,
        uses=uses,
        max_uses=max_uses,
        member_id=owners.get(member_id) if member_id is not None else None,
        valid_until=valid_until,
    )


#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet shows as text: the shop's member ids are not ours to trust."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(rows: Iterable[ExportedCode], *, rows_per_chunk: int = EXPORT_PAGE) -> Iterator[str]:
    """CSV text (header ``code,uses,max_uses,member_id,valid_until``) in pieces of up to
    ``rows_per_chunk`` rows, for streaming; empty cells for no limit, owner or expiry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    pending = 0
    for row in rows:
        until = row.valid_until.isoformat().replace("+00:00", "Z") if row.valid_until else ""
        writer.writerow(
            (
                row.code,
                row.uses,
                "" if row.max_uses is None else row.max_uses,
                spreadsheet_safe(row.member_id or ""),
                until,
            )
        )
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()
