"""``loyalist insights recommend-refresh`` and ``recommend-eval``: refresh the stored
recommendations, and measure each method offline (last order held out)."""

from __future__ import annotations

import csv
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from loyalist.cli.context import cli_errors, open_app
from loyalist.cli.errors import OrdersFileInvalidError
from loyalist.cli.insights import app

if TYPE_CHECKING:
    import polars as pl

    from loyalist.recommendations.evaluation import Evaluation
    from loyalist.recommendations.models import Method
    from loyalist.recommendations.policy import RecommendationSettings

# The recommendation modules (polars, numpy, scipy, implicit) are imported in the commands:
# at the top they would slow every ``loyalist`` command by a second or more.

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ORDER_COLUMNS: Final = ("customer_id", "order_id", "date", "sku")


def _settings(
    window_days: int, min_support: int, factors: int, iterations: int
) -> RecommendationSettings:
    from loyalist.recommendations.policy import RecommendationSettings

    try:
        return RecommendationSettings(
            window_days=window_days, min_support=min_support, factors=factors, iterations=iterations
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("recommend-refresh")
def recommend_refresh(
    window_days: Annotated[
        int, typer.Option(help="a basket: an order and the member's orders within this many days")
    ] = 30,
    min_support: Annotated[int, typer.Option(help="baskets a pair must share")] = 3,
    factors: Annotated[int, typer.Option(help="ALS latent factors")] = 32,
    iterations: Annotated[int, typer.Option(help="ALS iterations")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Recompute "also bought" neighbours, popularity and the ALS model now (the worker
    does it once a day by itself)."""
    settings = _settings(window_days, min_support, factors, iterations)
    with cli_errors(), open_app() as loyalist, _spinner() as progress:
        task = progress.add_task("refresh", total=None)

        def step(stage: str) -> None:
            progress.update(task, description=stage)

        report = loyalist.refresh_recommendations(settings, progress=step)
    if as_json:
        typer.echo(orjson.dumps(report.model_dump(mode="json")).decode())
        return
    table = Table(title=f"Recommendations refreshed at {report.computed_at:%Y-%m-%d %H:%M} UTC")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in report.model_dump().items():
        if name != "computed_at":
            table.add_row(name, str(value))
    out.print(table)


@app.command("recommend-eval")
def recommend_eval(
    methods: Annotated[
        str, typer.Option(help="comma-separated: als, item_knn, popular")
    ] = "als,item_knn,popular",
    k: Annotated[int, typer.Option("--k", min=1, max=1000, help="list length")] = 10,
    orders: Annotated[
        Path | None,
        typer.Option(
            "--orders",
            help="CSV with a header: customer_id,order_id,date,sku[,quantity] (instead of "
            "the database)",
        ),
    ] = None,
    window_days: Annotated[int, typer.Option(help="basket window for item_knn")] = 30,
    min_support: Annotated[int, typer.Option(help="baskets a pair must share")] = 3,
    factors: Annotated[int, typer.Option(help="ALS latent factors")] = 32,
    iterations: Annotated[int, typer.Option(help="ALS iterations")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Hold out each member's last order, recommend k items from everything else, and
    report recall@k and MAP@k per method beside the popularity baseline."""
    from loyalist.recommendations import service
    from loyalist.recommendations.evaluation import evaluate

    chosen = _methods(methods)
    settings = _settings(window_days, min_support, factors, iterations)
    started = time.perf_counter()
    with cli_errors():
        if orders is not None:
            purchases = read_orders_csv(orders)
        else:
            with open_app() as loyalist:
                purchases = loyalist.db.analyse(service.load_purchases)
        loaded = time.perf_counter() - started
        with _bar() as progress:
            task = progress.add_task("scoring members", total=None)

            def advance(_stage: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            result = evaluate(purchases, methods=chosen, k=k, settings=settings, progress=advance)
    result.seconds["load"] = loaded
    if as_json:
        typer.echo(orjson.dumps(_as_json(result)).decode())
        return
    out.print(_table(result))


def _methods(text: str) -> list[Method]:
    from loyalist.recommendations.models import Method

    found: list[Method] = []
    for name in (part.strip() for part in text.split(",")):
        try:
            method = Method(name)
        except ValueError:
            raise typer.BadParameter(
                f"{name!r} is not one of als, item_knn, popular", param_hint="--methods"
            ) from None
        if method not in found:
            found.append(method)
    if Method.POPULAR not in found:
        found.append(Method.POPULAR)  # the baseline is always beside the others
    return found


def _as_json(result: Evaluation) -> dict[str, Any]:
    return {
        "k": result.k,
        "members": result.members,
        "members_evaluated": result.members_evaluated,
        "members_skipped": result.members_skipped,
        "training_lines": result.training_lines,
        "held_out_items": result.held_out_items,
        "items": result.items,
        "methods": {
            m.method.value: {
                f"recall@{result.k}": round(m.recall, 6),
                f"map@{result.k}": round(m.map, 6),
                "hits": m.hits,
            }
            for m in result.methods
        },
        "seconds": {name: round(value, 3) for name, value in result.seconds.items()},
    }


def _table(result: Evaluation) -> Table:
    table = Table(
        title=f"Last order held out: {result.members_evaluated} members evaluated "
        f"({result.members_skipped} skipped: nothing new in their last order), "
        f"{result.items} items"
    )
    table.add_column("method")
    table.add_column(f"recall@{result.k}", justify="right")
    table.add_column(f"MAP@{result.k}", justify="right")
    table.add_column("hits", justify="right")
    for m in result.methods:
        table.add_row(m.method.value, f"{m.recall:.4f}", f"{m.map:.4f}", str(m.hits))
    return table


def _spinner() -> Progress:
    return Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err)


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def read_orders_csv(path: Path) -> pl.DataFrame:
    """Purchase lines from a CSV of ``customer_id,order_id,date,sku[,quantity]``; ``date``
    is ``YYYY-MM-DD`` or an ISO 8601 time (UTC when it has no offset).

    Raises:
        InvalidRequestError: ``orders_file_invalid``, naming the file and line.
    """
    import polars as pl

    from loyalist.recommendations.policy import PURCHASES_SCHEMA

    try:
        handle = path.open(encoding="utf-8-sig", newline="")  # a BOM is not a header name
    except OSError as exc:
        raise _bad(path, 0, f"cannot be read: {exc.strerror}") from None
    members: dict[str, int] = {}
    order_keys: dict[tuple[int, str], int] = {}  # order ids may repeat across customers
    rows: list[tuple[Any, ...]] = []
    with handle:
        reader = csv.reader(handle)
        try:
            header = [cell.strip() for cell in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _bad(path, 1, str(exc)) from None
        missing = [c for c in ORDER_COLUMNS if c not in header]
        if missing:
            raise _bad(path, 1, f"the header lacks {', '.join(missing)}")
        at = {name: header.index(name) for name in (*ORDER_COLUMNS, "quantity") if name in header}
        line = 1
        try:
            for cells in reader:
                line = reader.line_num
                if not cells or not any(cell.strip() for cell in cells):
                    continue
                if len(cells) < len(header):
                    raise _bad(path, line, f"{len(cells)} columns, the header has {len(header)}")
                customer, order = cells[at["customer_id"]].strip(), cells[at["order_id"]].strip()
                sku = cells[at["sku"]].strip()
                if not customer or not order or not sku:
                    raise _bad(path, line, "customer_id, order_id and sku must not be empty")
                paid_at = _instant(cells[at["date"]].strip(), path, line)
                quantity = _quantity(cells[at["quantity"]] if "quantity" in at else "1", path, line)
                member = members.setdefault(customer, len(members))
                key = order_keys.setdefault((member, order), len(order_keys))
                rows.append((member, key, paid_at, sku, None, quantity, 0, 0, None))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _bad(path, line + 1, str(exc)) from None
    return pl.DataFrame(rows, schema=PURCHASES_SCHEMA, orient="row")


def _instant(text: str, path: Path, line: int) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(path, line, f"date {text!r} is not YYYY-MM-DD or ISO 8601") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _quantity(text: str, path: Path, line: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise _bad(path, line, f"quantity {text!r} is not a whole number") from None
    if value < 1:
        raise _bad(path, line, "quantity must be at least 1")
    return value


def _bad(path: Path, line: int, detail: str) -> OrdersFileInvalidError:
    where = f"{path}:{line}" if line else str(path)
    return OrdersFileInvalidError(f"{where}: {detail}")
