"""Recommendation use cases: refresh the models, serve also-bought, personal picks and
favourites.

Stored by a refresh: item neighbours (lift, cosine, support), item popularity and the ALS
item factors. Computed per request from the member's own purchase lines: exclusions, the
member's ALS factor (one least-squares solve against the stored item factors), the
item-kNN sums and the favourites. API processes keep the last ALS model in memory,
keyed by the refresh's token.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar, cast

import polars as pl
from polars._typing import PolarsDataType

from loyalist.activities import service as activities
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.recommendations import repository
from loyalist.recommendations.cooccurrence import build_baskets, score_pairs
from loyalist.recommendations.favourites import Favourite, favourites
from loyalist.recommendations.models import Method, RecommendationRun
from loyalist.recommendations.personal import (
    AlsModel,
    fill_up,
    fit_als,
    order_counts,
    popular_items,
    top_scored,
)
from loyalist.recommendations.policy import (
    PURCHASES_SCHEMA,
    RecommendationSettings,
    excluded_skus,
)
from loyalist.recommendations.schemas import (
    AlsoBoughtRead,
    FavouriteCategoryRead,
    FavouriteProductRead,
    FavouritesRead,
    MemberRecommendationsRead,
    NeighbourRead,
    PairScore,
    RecommendationRead,
    RefreshReport,
)

K = TypeVar("K")

_RAW_COLUMNS: dict[str, PolarsDataType] = {
    "order_key": pl.Int64,
    "member_id": pl.Int64,
    "paid_at": PURCHASES_SCHEMA["paid_at"],
    "currency": pl.String,
    "sku": pl.String,
    "category": pl.String,
    "quantity": pl.Int64,
    "returned_quantity": pl.Int64,
    "unit_price": pl.Int64,
    "discount": pl.Int64,
}
_RAW_SCHEMA = pl.Schema(_RAW_COLUMNS)
_CHUNK = 100_000
#: Members whose purchase lines one read of ``favourites_of`` asks for (an ``IN`` list).
_MEMBERS_PER_READ = 5_000


def load_purchases(
    uow: UnitOfWork, *, member_id: int | None = None, member_ids: Collection[int] | None = None
) -> pl.DataFrame:
    """Purchase lines of paid, not cancelled orders (one member's, or those of
    ``member_ids``, when given) as a frame of
    :data:`~loyalist.recommendations.policy.PURCHASES_SCHEMA`."""
    frames = [
        pl.DataFrame(chunk, schema=_RAW_SCHEMA, orient="row")
        for chunk in _chunks(
            activities.purchase_lines(uow, member_id=member_id, member_ids=member_ids)
        )
    ]
    raw = pl.concat(frames) if frames else pl.DataFrame(schema=_RAW_SCHEMA)
    return raw.with_columns(
        amount=pl.col("quantity") * pl.col("unit_price") - pl.col("discount")
    ).select(list(PURCHASES_SCHEMA))


def _chunks(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class Refresh:
    """A refresh computed and not stored yet (computed on a reader connection, stored in
    short units of work: ``jobs.refresh``)."""

    neighbours: pl.DataFrame
    popular: pl.DataFrame
    run: RecommendationRun
    report: RefreshReport


def compute_refresh(
    uow: UnitOfWork,
    settings: RecommendationSettings,
    *,
    progress: Callable[[str], None] | None = None,
) -> Refresh:
    """Recompute neighbours, popularity and ALS factors from every purchase line (reads
    only: a reader unit of work is enough)."""
    started = time.perf_counter()
    step = progress or (lambda _stage: None)
    step("reading purchase lines")
    purchases = load_purchases(uow)
    now = uow.now
    step("counting co-purchases")
    baskets = build_baskets(purchases, window_days=settings.window_days)
    pairs = score_pairs(baskets, min_support=settings.min_support, top_n=settings.top_n)
    popular = popular_items(purchases, as_of=now, days=settings.popular_days)
    step("fitting ALS")
    fitted = fit_als(purchases, settings)
    skus = pairs.skus
    stamp = pl.lit(now).cast(pl.Datetime("us", "UTC"))
    names = pl.Series(skus, dtype=pl.String)
    neighbour_rows = pl.DataFrame(
        {
            "sku": names.gather(pairs.items),
            "neighbour_sku": names.gather(pairs.neighbours),
            "support": pairs.support,
            "lift": pairs.lift,
            "cosine": pairs.cosine,
        }
    ).with_columns(computed_at=stamp)
    popular_rows = pl.DataFrame(
        {
            "sku": [sku for sku, _ in popular],
            "buyers": [buyers for _, buyers in popular],
            "rank": list(range(1, len(popular) + 1)),
        },
        schema={"sku": pl.String, "buyers": pl.Int64, "rank": pl.Int64},
    ).with_columns(computed_at=stamp)
    seconds = round(time.perf_counter() - started, 3)
    run = RecommendationRun(
        token=secrets.token_hex(16),
        computed_at=now,
        line_count=purchases.height,
        basket_count=baskets.count,
        member_count=purchases["member_id"].n_unique(),
        item_count=len(skus),
        pair_count=neighbour_rows.height,
        seconds=seconds,
        settings=settings.as_dict(),
        als_model=fitted.model.to_bytes() if fitted is not None else None,
    )
    report = RefreshReport(
        computed_at=now,
        lines=run.line_count,
        baskets=run.basket_count,
        members=run.member_count,
        items=run.item_count,
        pairs=run.pair_count,
        popular=popular_rows.height,
        has_als=fitted is not None,
        seconds=seconds,
    )
    return Refresh(neighbour_rows, popular_rows, run, report)


# -- storing a refresh: a generation staged in chunks, published at once -------------------
def begin_refresh(uow: UnitOfWork, refresh: Refresh) -> int:
    """The refresh's run, not published yet (its rows are staged under its id)."""
    return repository.add_run(uow.session, refresh.run)


def stage_neighbours(uow: UnitOfWork, run_id: int, rows: pl.DataFrame) -> None:
    repository.insert_neighbours(uow.session, rows.with_columns(run_id=pl.lit(run_id)))


def stage_popular(uow: UnitOfWork, run_id: int, rows: pl.DataFrame) -> None:
    repository.insert_popularity(uow.session, rows.with_columns(run_id=pl.lit(run_id)))


def publish_refresh(uow: UnitOfWork, run_id: int) -> bool:
    """Readers see the refresh from now on; False when a newer one is published already."""
    return repository.GENERATIONS.publish(uow.session, run_id, uow.now)


def also_bought(uow: UnitOfWork, sku: str, *, by: PairScore, limit: int) -> AlsoBoughtRead:
    """The item's stored neighbours, best first by ``by``, at most the refresh's ``top_n``
    (past it the stored rows are another score's picks, not this score's next best); an
    item never bought (or with no pair reaching the minimum support) has none."""
    head = repository.latest_token(uow.session)
    if head is not None:
        limit = min(limit, int(head[3].get("top_n", limit)))
    rows = repository.neighbours(uow.session, sku, by=by.value, limit=limit)
    return AlsoBoughtRead(
        sku=sku,
        score=by,
        computed_at=head[1] if head else None,
        items=[
            NeighbourRead(
                sku=row.neighbour_sku,
                score=row.lift if by == PairScore.LIFT else row.cosine,
                lift=row.lift,
                cosine=row.cosine,
                support=row.support,
            )
            for row in rows
        ],
    )


def bought_with(
    uow: UnitOfWork, baskets: Mapping[K, Collection[str]], *, limit: int
) -> dict[K, list[str]]:
    """Per basket (an order's products), up to ``limit`` other products bought with them,
    best first: each neighbour scored by the sum of its stored cosines to the basket's
    items (the item-kNN score), ties by SKU. One read for every basket (journeys ask for a
    whole batch of orders at once); an empty list before the first refresh."""
    if limit <= 0 or not baskets:
        return {key: [] for key in baskets}
    pairs = repository.neighbours_of(uow.session, {s for b in baskets.values() for s in b})
    by_item: dict[str, list[tuple[str, float]]] = {}
    for sku, neighbour, cosine in pairs:
        by_item.setdefault(sku, []).append((neighbour, cosine))
    found: dict[K, list[str]] = {}
    for key, basket in baskets.items():
        scores: dict[str, float] = {}
        for sku in basket:
            for neighbour, cosine in by_item.get(sku, ()):
                if neighbour not in basket:
                    scores[neighbour] = scores.get(neighbour, 0.0) + cosine
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        found[key] = [sku for sku, _ in ranked[:limit]]
    return found


def recommend_for_member(
    uow: UnitOfWork,
    external_id: str,
    *,
    method: Method,
    limit: int,
    settings: RecommendationSettings,
) -> MemberRecommendationsRead:
    """Up to ``limit`` items for the member by ``method``, never one they bought within
    ``settings.exclude_days`` days or returned; filled up with popular items.

    Raises:
        NotFoundError: no such member (``member_not_found``).
    """
    member_pk = members.get_member_id(uow, external_id)
    history = load_purchases(uow, member_id=member_pk)
    excluded = excluded_skus(history, now=uow.now, exclude_days=settings.exclude_days)
    counts = order_counts(history)
    kept = dict(zip(counts["sku"].to_list(), counts["orders"].to_list(), strict=True))
    head = repository.latest_token(uow.session)
    chosen: list[tuple[str, float]] = []
    if method == Method.ALS and head is not None and head[2] and kept:
        model = _model(uow, head[0])
        scores = model.member_scores(kept) if model is not None else None
        if model is not None and scores is not None:
            left_out = [model.index[s] for s in excluded if s in model.index]
            chosen = top_scored(scores, model.skus, left_out, limit)
    elif method == Method.ITEM_KNN and kept:
        sums = repository.cosine_sums(uow.session, list(kept))
        ranked = sorted(
            ((sku, score) for sku, score in sums.items() if sku not in excluded and score > 0),
            key=lambda pair: (-pair[1], pair[0]),
        )
        chosen = ranked[:limit]
    popular = repository.popular(uow.session, limit + len(excluded) + len(chosen))
    picks = fill_up(chosen, method, popular, excluded, limit)
    return MemberRecommendationsRead(
        member_id=external_id,
        method=method,
        computed_at=head[1] if head else None,
        items=[RecommendationRead(sku=p.sku, score=p.score, source=p.source) for p in picks],
    )


def member_favourites(
    uow: UnitOfWork,
    external_id: str,
    *,
    currency: str,
    limit: int,
    half_life_days: float | None = None,
) -> FavouritesRead:
    """The member's top products and categories (see :mod:`.favourites`).

    Raises:
        NotFoundError: no such member (``member_not_found``).
    """
    member_pk = members.get_member_id(uow, external_id)
    history = load_purchases(uow, member_id=member_pk)
    products, categories = favourites(
        history, now=uow.now, currency=currency, half_life_days=half_life_days, limit=limit
    )
    return FavouritesRead(
        member_id=external_id,
        currency=currency,
        half_life_days=half_life_days,
        products=[
            FavouriteProductRead(sku=f.key, category=f.category, **_figures(f)) for f in products
        ],
        categories=[FavouriteCategoryRead(category=f.key, **_figures(f)) for f in categories],
    )


def favourites_of(
    uow: UnitOfWork, member_ids: Collection[int], *, currency: str | None, limit: int
) -> dict[int, tuple[list[str], list[str]]]:
    """Per member who bought anything, their top SKUs and categories, best first (as
    ``member_favourites`` ranks them): one read per 5,000 members."""
    wanted = sorted(set(member_ids))
    out: dict[int, tuple[list[str], list[str]]] = {}
    for start in range(0, len(wanted), _MEMBERS_PER_READ):
        history = load_purchases(uow, member_ids=wanted[start : start + _MEMBERS_PER_READ])
        for (member_id,), lines in history.partition_by("member_id", as_dict=True).items():
            products, categories = favourites(lines, now=uow.now, currency=currency, limit=limit)
            out[int(cast(int, member_id))] = (
                [f.key for f in products],
                [f.key for f in categories],
            )
    return out


def _figures(favourite: Favourite) -> dict[str, object]:
    return {
        "orders": favourite.orders,
        "quantity": favourite.quantity,
        "spend": favourite.spend,
        "last_bought_at": favourite.last_bought_at,
        "score": favourite.score,
    }


# -- the ALS model of the last refresh, per process -----------------------------------------
_models: dict[str, AlsModel] = {}
_models_lock = threading.Lock()


def _model(uow: UnitOfWork, token: str) -> AlsModel | None:
    with _models_lock:
        found = _models.get(token)
    if found is not None:
        return found
    payload = repository.als_payload(uow.session, token)
    if payload is None:
        return None
    model = AlsModel.from_bytes(payload)
    model.engine()  # YᵀY once, not on the first request's clock
    with _models_lock:
        if len(_models) >= 2:
            _models.clear()
        _models[token] = model
    return model
