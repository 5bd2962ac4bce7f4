"""``loyalist insights clv``: BG/NBD + Gamma-Gamma on a transaction file, diagnostics, scores."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from loyalist.cli.context import cli_errors, open_app
from loyalist.cli.errors import OrdersFileInvalidError
from loyalist.cli.insights import _day, app
from loyalist.db.files import private_opener
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.members import service as members

# polars, numpy, scipy and the models load when the command runs: every other command
# imports this module at start-up (it registers on the ``insights`` group).
if TYPE_CHECKING:
    import polars as pl

    from loyalist.insights.clv import BgNbd, GammaGamma, Summary

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

COLUMNS: Final = ("customer_id", "date", "amount")
_CHUNK_BYTES: Final = 16 << 20
_TOP_FREQUENCY: Final = 7  # the diagnostics group x ≥ 7 together


class TimeUnit(StrEnum):
    day = "day"
    week = "week"


def _bad_file(detail: str) -> OrdersFileInvalidError:
    return OrdersFileInvalidError(detail)


def _chunks(handle: io.BufferedReader, progress: Progress, task: Any) -> Iterator[bytes]:
    """Blocks of whole lines, about ``_CHUNK_BYTES`` each, advancing the progress bar."""
    rest = b""
    while block := handle.read(_CHUNK_BYTES):
        progress.advance(task, len(block))
        data = rest + block
        cut = data.rfind(b"\n") + 1
        if cut:
            rest = data[cut:]
            yield data[:cut]
        else:
            rest = data
    if rest:
        yield rest + b"\n"


def _parse_chunk(chunk: bytes, header: list[str], path: Path, first_line: int) -> pl.DataFrame:
    """Rows of one block (line ``first_line`` onwards) as ``customer_id, date, amount``."""
    import polars as pl

    # polars takes the column count from the block's first line: skip leading blank lines.
    body = chunk.lstrip(b"\r\n")
    first_line += chunk.count(b"\n", 0, len(chunk) - len(body))
    chunk = body
    if not chunk:
        return pl.DataFrame(
            schema={"customer_id": pl.String, "date": pl.Date, "amount": pl.Float64}
        )
    try:
        raw = pl.read_csv(
            chunk, has_header=False, new_columns=header, infer_schema=False, quote_char='"'
        )
    except pl.exceptions.PolarsError:
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            number = first_line + chunk.count(b"\n", 0, exc.start)
            raise _bad_file(f"{path}:{number}: the line is not UTF-8 text") from None
        rows = csv.reader(io.StringIO(text))
        for number, cells in enumerate(rows, start=first_line):
            if cells and len(cells) != len(header):
                raise _bad_file(
                    f"{path}:{number}: {len(cells)} fields, the header has {len(header)}"
                ) from None
        raise _bad_file(f"{path}:{first_line}: cannot read the lines from here on") from None
    raw = raw.select(COLUMNS).with_row_index("line", offset=first_line)
    raw = raw.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in COLUMNS))
    text_date = pl.col("date").str.strip_chars()
    parsed = raw.with_columns(
        customer_id=pl.col("customer_id").str.strip_chars(),
        parsed_date=pl.coalesce(
            text_date.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
            text_date.str.strptime(pl.Date, "%Y%m%d", strict=False),
        ),
        parsed_amount=pl.col("amount").str.strip_chars().cast(pl.Float64, strict=False),
    )
    bad = parsed.filter(
        pl.col("customer_id").is_null()
        | (pl.col("customer_id") == "")
        | pl.col("parsed_date").is_null()
        | pl.col("parsed_amount").is_null()
        | ~pl.col("parsed_amount").is_finite()
    )
    if bad.height:
        row = bad.row(0, named=True)
        where = f"{path}:{row['line']}"
        if not row["customer_id"]:
            raise _bad_file(f"{where}: customer_id is empty")
        if row["parsed_date"] is None:
            raise _bad_file(f"{where}: date {row['date']!r} is not YYYY-MM-DD or YYYYMMDD")
        raise _bad_file(f"{where}: amount {row['amount']!r} is not a number")
    return parsed.select(
        "customer_id", pl.col("parsed_date").alias("date"), pl.col("parsed_amount").alias("amount")
    )


def read_orders(path: Path) -> pl.DataFrame:
    """``customer_id, date, amount`` rows of a CSV file with that header (other columns are
    ignored), one record per line; dates ``YYYY-MM-DD`` or ``YYYYMMDD``.

    Raises:
        InvalidRequestError: ``orders_file_invalid`` with the file and line of the first bad
            line, or the columns the header lacks.
    """
    import polars as pl

    with path.open("rb") as handle:
        header_line = handle.readline()
        try:
            text = header_line.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _bad_file(f"{path}:1: the header is not UTF-8 text") from None
        header = next(csv.reader([text.strip()]), [])
        header = [name.strip() for name in header]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise OrdersFileInvalidError(
                f"{path}:1: the header lacks {', '.join(missing)}",
                errors=[FieldError("line 1", "expected customer_id,date,amount")],
            )
        frames = []
        line = 2
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task(f"reading {path.name}", total=path.stat().st_size)
            progress.advance(task, len(header_line))
            for chunk in _chunks(handle, progress, task):
                frames.append(_parse_chunk(chunk, header, path, line))
                line += chunk.count(b"\n")
    if not any(frame.height for frame in frames):
        raise _bad_file(f"{path}: no orders after the header")
    return pl.concat(frames)


@app.command()
def clv(
    orders: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="CSV with header customer_id,date,amount; default: the program's paid orders",
        ),
    ] = None,
    calibration_end: Annotated[
        str | None,
        typer.Option(help="last day of calibration (YYYY-MM-DD); without it: score members"),
    ] = None,
    holdout_end: Annotated[
        str | None, typer.Option(help="last day of the holdout period (YYYY-MM-DD)")
    ] = None,
    time_unit: Annotated[TimeUnit, typer.Option(help="unit of t_x, T and alpha")] = TimeUnit.day,
    annual_discount: Annotated[
        float, typer.Option(min=0.0, help="annual discount rate of the CLV")
    ] = 0.10,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="PNG of predicted vs actual holdout purchases"),
    ] = None,
) -> None:
    """Fit BG/NBD (purchases, dropout) and Gamma-Gamma (spend) on transactions.

    With --calibration-end the models are fitted on the days up to it and, with
    --holdout-end, checked against the purchases after it. Without --calibration-end they
    are fitted on everything (to the file's last day, or to today for the program's own
    orders) and each member (customer_id = member external id) gets probability alive,
    expected purchases in 90/365 days, expected spend and CLV, stored with their scores.
    """
    import scipy.optimize  # noqa: F401 (loaded before the clock starts: import is not fitting)

    from loyalist.insights.clv import fit_bgnbd, fit_spend, score_summary, summarise

    cal_end = _day(calibration_end, "--calibration-end")
    hold_end = _day(holdout_end, "--holdout-end")
    if hold_end is not None and cal_end is None:
        raise typer.BadParameter("needs --calibration-end", param_hint="--holdout-end")
    if plot is not None and hold_end is None:
        raise typer.BadParameter("the diagnostics plot needs --holdout-end", param_hint="--plot")
    unit_days = 7 if time_unit is TimeUnit.week else 1
    seconds: dict[str, float] = {}
    began = clock = time.perf_counter()
    rows: pl.DataFrame | None = None
    with cli_errors():
        if orders is None:
            transactions, currency, today = _own_orders()
            cal_end = cal_end or today
        else:
            transactions, currency = read_orders(orders), None
        seconds["read"], clock = _lap(clock)
        summary = summarise(
            transactions, calibration_end=cal_end, holdout_end=hold_end, unit_days=unit_days
        )
        seconds["prepare"], clock = _lap(clock)
        model = fit_bgnbd(summary.column("x"), summary.column("t_x"), summary.column("T"))
        seconds["bgnbd"], clock = _lap(clock)
        spend = fit_spend(summary)
        seconds["gamma_gamma"], clock = _lap(clock)
        body = _body(summary, model, spend, time_unit)
        if hold_end is not None:
            rows = _holdout(summary, model)
            body["holdout"] = _holdout_totals(summary, rows)
            seconds["forecast"], clock = _lap(clock)
        elif calibration_end is None:
            scores = score_summary(summary, model, spend, annual_discount=annual_discount)
            seconds["forecast"], clock = _lap(clock)
            body["scores"] = _save(scores.frame, currency)
            seconds["save"], clock = _lap(clock)
        if plot is not None and rows is not None:
            _plot(rows, plot, summary)
            seconds["plot"], clock = _lap(clock)
    seconds["total"] = time.perf_counter() - began
    body["seconds"] = {name: round(value, 6) for name, value in seconds.items()}
    if as_json:
        typer.echo(orjson.dumps(body).decode())
        return
    _print(body, rows)


def _own_orders() -> tuple[pl.DataFrame, str, date]:
    """The program's paid orders of its currency with a positive amount, as transactions:
    member external id, program-local day, amount in whole units; and today's local day."""
    import polars as pl

    from loyalist.insights.export import export_snapshot

    with open_app() as loyalist:
        program = loyalist.program
        now = loyalist.clock.now()

        def read(uow: UnitOfWork) -> tuple[pl.DataFrame, dict[int, str]]:
            snapshot = export_snapshot(uow, currency=program.currency, zone=program.zone)
            ids = snapshot.orders.get_column("member_id").unique().to_list()
            return snapshot.orders, members.external_ids(uow, ids)

        frame, external = loyalist.db.analyse(read)
    scale = 10.0 ** minor_unit_exponent(program.currency)
    keys = pl.DataFrame(
        {"member_id": list(external), "customer_id": list(external.values())},
        schema={"member_id": pl.Int64, "customer_id": pl.String},
    )
    transactions = (
        frame.filter(pl.col("amount") > 0)
        .join(keys, on="member_id", how="inner")
        .select(
            "customer_id",
            pl.col("paid_at").dt.convert_time_zone(program.timezone).dt.date().alias("date"),
            (pl.col("amount") / scale).alias("amount"),
        )
    )
    return transactions, program.currency, now.astimezone(program.zone).date()


def _lap(clock: float) -> tuple[float, float]:
    now = time.perf_counter()
    return now - clock, now


def _body(
    summary: Summary, model: BgNbd, spend: GammaGamma | None, unit: TimeUnit
) -> dict[str, Any]:
    return {
        "customers": summary.frame.height,
        "calibration_end": summary.calibration_end.isoformat(),
        "holdout_end": summary.holdout_end.isoformat() if summary.holdout_end else None,
        "time_unit": unit.value,
        "bgnbd": {
            "r": model.r,
            "alpha": model.alpha,
            "a": model.a,
            "b": model.b,
            "log_likelihood": model.log_likelihood,
        },
        "gamma_gamma": None
        if spend is None
        else {
            "p": spend.p,
            "q": spend.q,
            "v": spend.v,
            "customers": spend.customers,
            "log_likelihood": spend.log_likelihood,
        },
    }


def _holdout(summary: Summary, model: BgNbd) -> pl.DataFrame:
    """Per calibration frequency 0..7+: customers, actual and predicted holdout purchases."""
    import numpy as np
    import polars as pl

    from loyalist.insights.clv import expected_purchases_by_customer

    assert summary.duration_holdout is not None
    x = summary.column("x")
    predicted = expected_purchases_by_customer(
        model, summary.duration_holdout, x, summary.column("t_x"), summary.column("T")
    )
    frame = pl.DataFrame(
        {
            "x": np.minimum(x, _TOP_FREQUENCY).astype(np.int64),
            "actual": summary.frame.get_column("x_holdout").to_numpy(),
            "predicted": predicted,
        }
    )
    return (
        frame.group_by("x")
        .agg(
            customers=pl.len(),
            actual=pl.col("actual").sum(),
            predicted=pl.col("predicted").sum(),
        )
        .sort("x")
    )


def _holdout_totals(summary: Summary, rows: pl.DataFrame) -> dict[str, Any]:
    return {
        "duration": summary.duration_holdout,
        "actual_repeat_transactions": int(rows.get_column("actual").sum()),
        "predicted_repeat_transactions": float(rows.get_column("predicted").sum()),
        "by_frequency": [
            {
                "x": f"{row['x']}+" if row["x"] == _TOP_FREQUENCY else str(row["x"]),
                "customers": row["customers"],
                "actual": row["actual"],
                "predicted": row["predicted"],
            }
            for row in rows.iter_rows(named=True)
        ],
    }


def _save(frame: pl.DataFrame, currency: str | None) -> dict[str, int]:
    """Write the scores of known members; unknown customer ids are counted, not written."""
    from loyalist.insights.scoring import save_lifetime_scores

    with open_app() as loyalist:
        computed_at = loyalist.clock.now()
        saved = loyalist.db.write(
            lambda uow: save_lifetime_scores(uow, frame, computed_at=computed_at, currency=currency)
        )
    return {"members_scored": saved, "unknown_customers": frame.height - saved}


def _plot(rows: pl.DataFrame, path: Path, summary: Summary) -> None:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = [f"{x}+" if x == _TOP_FREQUENCY else str(x) for x in rows.get_column("x")]
    customers = rows.get_column("customers").to_numpy()
    actual = rows.get_column("actual").to_numpy() / customers
    predicted = rows.get_column("predicted").to_numpy() / customers
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    positions = np.arange(len(labels))
    axes.plot(positions, actual, marker="o", label="actual")
    axes.plot(positions, predicted, marker="s", linestyle="--", label="BG/NBD prediction")
    axes.set_xticks(positions, labels)
    axes.set_xlabel("repeat transactions in calibration (x)")
    axes.set_ylabel("mean repeat transactions in holdout")
    axes.set_title(
        f"Holdout {summary.calibration_end} – {summary.holdout_end}: "
        "conditional expectations by frequency"
    )
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    with open(path, "wb", opener=private_opener) as handle:
        figure.savefig(handle, format="png")
    plt.close(figure)


def _print(body: dict[str, Any], rows: pl.DataFrame | None) -> None:
    params = Table(title=f"BG/NBD + Gamma-Gamma, {body['customers']:,} customers")
    for name in ("model", "parameters", "log-likelihood", "customers"):
        params.add_column(name, justify="right" if name != "model" else "left")
    bg = body["bgnbd"]
    params.add_row(
        f"BG/NBD ({body['time_unit']}s)",
        f"r={bg['r']:.4g} α={bg['alpha']:.4g} a={bg['a']:.4g} b={bg['b']:.4g}",
        f"{bg['log_likelihood']:,.2f}",
        f"{body['customers']:,}",
    )
    gg = body["gamma_gamma"]
    if gg is None:
        params.add_row("Gamma-Gamma", "not fitted: spend = each customer's mean", "", "")
    else:
        params.add_row(
            "Gamma-Gamma",
            f"p={gg['p']:.4g} q={gg['q']:.4g} v={gg['v']:.4g}",
            f"{gg['log_likelihood']:,.2f}",
            f"{gg['customers']:,}",
        )
    out.print(params)
    if rows is not None:
        held = body["holdout"]
        table = Table(title=f"Holdout to {body['holdout_end']}: repeat transactions")
        for name in (
            "x in calibration",
            "customers",
            "actual",
            "predicted",
            "mean actual",
            "mean predicted",
        ):
            table.add_column(name, justify="right")
        for row in held["by_frequency"]:
            count = row["customers"]
            table.add_row(
                row["x"],
                f"{count:,}",
                f"{row['actual']:,}",
                f"{row['predicted']:,.1f}",
                f"{row['actual'] / count:.3f}",
                f"{row['predicted'] / count:.3f}",
            )
        table.add_section()
        table.add_row(
            "total",
            f"{body['customers']:,}",
            f"{held['actual_repeat_transactions']:,}",
            f"{held['predicted_repeat_transactions']:,.1f}",
            "",
            "",
        )
        out.print(table)
    if "scores" in body:
        scores = body["scores"]
        out.print(
            f"scored {scores['members_scored']:,} members "
            f"({scores['unknown_customers']:,} unknown customer ids skipped)",
            markup=False,
            highlight=False,
        )
    timing = ", ".join(f"{name} {value:.3f}s" for name, value in body["seconds"].items())
    out.print(f"time: {timing}", markup=False, highlight=False)
