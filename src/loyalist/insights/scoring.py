"""Per-member scores: RFM, churn risk and lifetime value computed from a snapshot, stored in
``member_scores`` in bulk, and turned into the members' computed segments.

The member segments insights owns are the RFM keys of :data:`loyalist.insights.rfm.SEGMENTS`
and :data:`CHURN_RISK_HIGH`; a recompute replaces those on every member and keeps any other
key a member holds. Members without a purchase get no RFM segment; members whose CLV could
not be scored get no churn segment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

import polars as pl

from loyalist.db.uow import UnitOfWork
from loyalist.errors import InvalidRequestError
from loyalist.insights import clv, repository, rfm
from loyalist.insights.export import export_snapshot, stream
from loyalist.insights.snapshot import Snapshot
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy

#: The segment of members whose churn risk is at least :data:`CHURN_RISK_THRESHOLD`.
CHURN_RISK_HIGH: Final = "churn_risk_high"
CHURN_RISK_THRESHOLD: Final = 0.7
#: Every member segment a recompute writes (and so replaces).
OWNED_SEGMENTS: Final = (*rfm.SEGMENTS, CHURN_RISK_HIGH)

LIFETIME_COLUMNS: Final = (
    "p_alive",
    "churn_risk",
    "expected_purchases_90",
    "expected_purchases_365",
    "expected_spend",
    "clv",
)
SCORE_COLUMNS: Final = (
    "member_id",
    "computed_at",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "segment",
    *LIFETIME_COLUMNS,
    "currency",
)
_LIFETIME_SCHEMA: Final = {name: pl.Float64 for name in LIFETIME_COLUMNS}
_KEYS: Final = pl.List(pl.String)


def score_members(
    snapshot: Snapshot, *, now: datetime, zone: ZoneInfo, currency: str
) -> pl.DataFrame:
    """RFM and lifetime scores of every member with a purchase (columns of
    :data:`SCORE_COLUMNS` but ``computed_at`` and ``currency``), sorted by ``member_id``.

    The lifetime models are fitted on the same purchases (one transaction per member and
    program-local day, amounts in whole units of ``currency``) as of the local day of
    ``now``; when they cannot be fitted (no repeat purchase yet) those columns are null.
    ``churn_risk`` = 1 − ``p_alive``.
    """
    scored = rfm.rfm_scores(snapshot.orders, as_of=now)
    lifetime = _lifetime(snapshot.orders, now=now, zone=zone, currency=currency)
    return scored.join(lifetime, on="member_id", how="left").sort("member_id")


def _lifetime(
    orders: pl.DataFrame, *, now: datetime, zone: ZoneInfo, currency: str
) -> pl.DataFrame:
    scale = 10.0 ** minor_unit_exponent(currency)
    cutoff = pl.lit(now).cast(pl.Datetime("us", "UTC"))
    transactions = orders.filter((pl.col("amount") > 0) & (pl.col("paid_at") <= cutoff)).select(
        pl.col("member_id").cast(pl.String).alias("customer_id"),
        pl.col("paid_at").dt.convert_time_zone(str(zone)).dt.date().alias("date"),
        (pl.col("amount") / scale).alias("amount"),
    )
    empty = pl.DataFrame(schema={"member_id": pl.Int64, **_LIFETIME_SCHEMA})
    if transactions.is_empty():
        return empty
    try:
        scores = clv.score_customers(transactions, as_of=now.astimezone(zone).date())
    except InvalidRequestError:
        return empty
    return (
        lifetime_columns(scores.frame)
        .with_columns(pl.col("customer_id").cast(pl.Int64))
        .rename({"customer_id": "member_id"})
    )


def lifetime_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``customer_id`` and the lifetime columns of a :class:`loyalist.insights.clv.Scores`
    frame, probabilities clipped to [0, 1] and ``churn_risk`` = 1 − ``p_alive``."""
    p_alive = pl.col("p_alive").cast(pl.Float64).clip(0.0, 1.0)
    return frame.select(
        "customer_id",
        p_alive.alias("p_alive"),
        (1.0 - p_alive).alias("churn_risk"),
        *[pl.col(name).cast(pl.Float64) for name in LIFETIME_COLUMNS[2:]],
    )


def segment_changes(
    current: pl.DataFrame, scores: pl.DataFrame, *, threshold: float = CHURN_RISK_THRESHOLD
) -> pl.DataFrame:
    """The new segment list (``after``) of each member (``member_id``) whose segments
    change, by member. (A frame, not Python lists: a million members' lists would make
    the collector's full passes long enough to stall the writer.)

    ``current``: ``member_id``, ``segments`` (list of keys or null), one row per member;
    ``scores``: ``member_id``, ``segment``, ``churn_risk`` (either may be null). Each member
    keeps the keys insights does not own, plus its RFM segment and :data:`CHURN_RISK_HIGH`
    when ``churn_risk ≥ threshold``; lists are sorted and without repeats.
    """
    owned = pl.lit(list(OWNED_SEGMENTS), dtype=pl.List(pl.String))
    joined = current.select("member_id", "segments").join(
        scores.select("member_id", "segment", "churn_risk"), on="member_id", how="left"
    )
    had = pl.col("segments").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    own = pl.concat_list(
        pl.col("segment"),
        pl.when(pl.col("churn_risk") >= threshold).then(pl.lit(CHURN_RISK_HIGH)),
    ).list.drop_nulls()
    changed = (
        joined.with_columns(
            had.list.unique().list.sort().alias("before"),
            pl.concat_list(had.list.set_difference(owned), own)
            .list.unique()
            .list.sort()
            .alias("after"),
        )
        .filter(pl.col("before") != pl.col("after"))
        .select("member_id", "after")
        .sort("member_id")
    )
    return changed


#: The steps of a recompute, as reported to ``progress``.
RECOMPUTE_STEPS: Final = ("reading the data", "scoring", "storing scores", "updating segments")

Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class Recompute:
    """Scores computed from a snapshot (columns of :data:`SCORE_COLUMNS`), not stored yet."""

    rows: pl.DataFrame

    @property
    def scored(self) -> int:
        return self.rows.height


def compute_scores(
    uow: UnitOfWork, program: ProgramPolicy, *, now: datetime, progress: Progress | None = None
) -> Recompute:
    """Score every member from a fresh snapshot (reads only: a reader unit of work is
    enough).

    ``progress(done, step)`` is called before the first two of :data:`RECOMPUTE_STEPS`.
    """
    report = progress or (lambda _done, _step: None)
    report(0, RECOMPUTE_STEPS[0])
    snapshot = export_snapshot(uow, currency=program.currency, zone=program.zone)
    report(1, RECOMPUTE_STEPS[1])
    scores = score_members(snapshot, now=now, zone=program.zone, currency=program.currency)
    rows = scores.with_columns(
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.lit(program.currency).alias("currency"),
    ).select(SCORE_COLUMNS)
    return Recompute(rows)


# -- storing a recompute: a generation staged in chunks, published at once -----------------
def begin_generation(uow: UnitOfWork, computed_at: datetime) -> int:
    """A new generation to stage scores under (invisible until published); its id."""
    return repository.add_generation(uow.session, computed_at)


def stage_scores(uow: UnitOfWork, generation: int, rows: pl.DataFrame) -> None:
    """Store some of a recompute's rows under ``generation`` (not published yet)."""
    repository.insert_scores(
        uow.session, rows.with_columns(generation=pl.lit(generation, dtype=pl.Int64))
    )


def publish_scores(uow: UnitOfWork, generation: int) -> bool:
    """Readers see ``generation`` from now on (its segments follow: ``pending_segments``);
    False when a newer generation is published already and this one stays invisible."""
    return repository.GENERATIONS.publish(uow.session, generation, uow.now)


# -- the members' segments follow the current generation -----------------------------------
def pending_segments(uow: UnitOfWork) -> tuple[int, pl.DataFrame] | None:
    """The current generation when the members' segments do not follow it yet, with the
    segment lists that change (see :func:`segment_changes`); None when they do. Reads
    only: a reader unit of work is enough."""
    current = repository.current_generation(uow.session)
    if current is None or current[1] is not None:
        return None
    held = stream(
        repository.members(uow.session),
        {"member_id": pl.Int64, "enrolled_at": pl.Datetime("us", "UTC"), "segments": _KEYS},
    )
    scores = stream(
        repository.generation_segments(uow.session),
        {"member_id": pl.Int64, "segment": pl.String, "churn_risk": pl.Float64},
    )
    return current[0], segment_changes(held, scores)


def apply_segments(uow: UnitOfWork, part: pl.DataFrame) -> int:
    """Give these members (some rows of :func:`segment_changes`) the insights-owned
    segments of their new lists, keeping the other keys they hold now (read again in this
    unit: a key set meanwhile is kept). Returns the members whose segments changed."""
    changes = dict(zip(part["member_id"].to_list(), part["after"].to_list(), strict=True))
    held = repository.member_segments(uow.session, changes)
    owned = set(OWNED_SEGMENTS)
    updates: dict[int, list[str]] = {}
    for member, wanted in changes.items():
        now = held.get(member)
        if now is None:  # deleted meanwhile
            continue
        after = sorted({k for k in now if k not in owned} | {k for k in wanted if k in owned})
        if after != sorted(set(now)):
            updates[member] = after
    members.set_segments(uow, updates)
    return len(updates)


def segments_followed(uow: UnitOfWork, generation: int) -> None:
    """The members' segments follow ``generation`` now."""
    repository.segments_applied(uow.session, generation, uow.now)


def save_lifetime_scores(
    uow: UnitOfWork, scores: pl.DataFrame, *, computed_at: datetime, currency: str | None = None
) -> int:
    """Store the lifetime columns of a :class:`loyalist.insights.clv.Scores` frame keyed by
    member external id (``customer_id``), keeping members' RFM columns; customers that are
    no member are skipped. ``currency`` names the unit of the amounts (None: unknown, as in
    a file from elsewhere). Returns the members written.

    The rows go into the current generation (one unit of work: an import, not a job);
    before the first recompute, into a new generation published at once (the members'
    segments are left as they are: the daily recompute sets them)."""
    frame = lifetime_columns(scores)
    ids = members.member_ids(uow, frame["customer_id"].to_list())
    if not ids:
        return 0
    keyed = pl.DataFrame(
        {"customer_id": list(ids), "member_id": list(ids.values())},
        schema={"customer_id": pl.String, "member_id": pl.Int64},
    )
    current = repository.current_generation(uow.session)
    if current is None:
        generation = repository.add_generation(uow.session, computed_at)
        repository.GENERATIONS.publish(uow.session, generation, uow.now)
        repository.segments_applied(uow.session, generation, uow.now)
    else:
        generation = current[0]
    columns = ("generation", "member_id", "computed_at", *LIFETIME_COLUMNS, "currency")
    rows = (
        frame.join(keyed, on="customer_id", how="inner")
        .unique("member_id", keep="last")
        .with_columns(
            pl.lit(computed_at).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
            pl.lit(currency, dtype=pl.String).alias("currency"),
            generation=pl.lit(generation, dtype=pl.Int64),
        )
        .select(columns)
        .sort("member_id")
    )
    repository.upsert_scores(uow.session, rows)
    return rows.height
