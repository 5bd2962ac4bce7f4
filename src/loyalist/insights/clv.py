"""Customer lifetime value: transactions → (x, t_x, T, m̄) → BG/NBD + Gamma-Gamma → scores.

Transactions are frames of ``customer_id`` (String), ``date`` (Date) and ``amount``
(Float64). Conventions (those of Fader, Hardie & Lee 2005 and of ``lifetimes`` with ``freq="D"`` and
``freq_multiplier=unit_days``):

- a customer's purchases on one day are one transaction, its amount their sum;
- times are days divided by ``unit_days`` (1: days, 7: weeks, fractional as in the papers);
- calibration is every day ≤ ``calibration_end``; customers whose first purchase is later
  are left out; ``x`` counts repeat transactions (distinct days − 1), ``t_x`` is first →
  last calibration purchase, ``T`` first purchase → ``calibration_end``;
- ``monetary`` is the mean amount of the repeat transactions (the first one excluded),
  0 where x = 0; ``amount_mean`` is the mean over all calibration transactions;
- holdout: distinct purchase days in (``calibration_end``, ``holdout_end``] of calibration
  customers, over ``duration_holdout`` = days between the two ends / ``unit_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import polars as pl

from loyalist.errors import InvalidRequestError
from loyalist.insights.clv_models import (
    BgNbd,
    Floats,
    GammaGamma,
    bgnbd_log_likelihood,
    distinct_rows,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
)
from loyalist.insights.errors import ClvNotFittableError, DateRangeInvalidError

__all__ = [
    "BgNbd",
    "GammaGamma",
    "Scores",
    "Summary",
    "bgnbd_log_likelihood",
    "clv_steps",
    "expected_purchases_by_customer",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_spend",
    "gamma_gamma_log_likelihood",
    "score_customers",
    "score_summary",
    "summarise",
]

#: Days per CLV step (a "month", as in ``lifetimes.customer_lifetime_value``).
STEP_DAYS: Final = 30


@dataclass(frozen=True, slots=True)
class Summary:
    """Per-customer sufficient statistics.

    ``frame``: ``customer_id, x, t_x, T, monetary, amount_mean`` and, with a holdout,
    ``x_holdout``; sorted by ``customer_id``. ``duration_holdout`` is in units.
    """

    frame: pl.DataFrame
    calibration_end: date
    holdout_end: date | None
    unit_days: int
    duration_holdout: float | None

    def column(self, name: str) -> Floats:
        return self.frame.get_column(name).cast(pl.Float64).to_numpy()


@dataclass(frozen=True, slots=True)
class Scores:
    """``frame``: ``customer_id, x, t_x, T, p_alive, expected_purchases_90,
    expected_purchases_365, expected_spend, clv`` (no NaN); ``gamma_gamma`` is None when it
    could not be fitted (then ``expected_spend`` is each customer's mean amount)."""

    frame: pl.DataFrame
    bgnbd: BgNbd
    gamma_gamma: GammaGamma | None
    summary: Summary


def summarise(
    transactions: pl.DataFrame,
    *,
    calibration_end: date | None = None,
    holdout_end: date | None = None,
    unit_days: int = 1,
) -> Summary:
    """Sufficient statistics of ``customer_id: String, date: Date, amount: Float64`` rows.

    ``calibration_end`` defaults to the last date in the frame. Invariants of the result:
    x ≥ 0 whole, 0 ≤ t_x ≤ T, t_x = 0 where x = 0, monetary = 0 where x = 0.

    Raises:
        InvalidRequestError: ``date_range_invalid`` when ``holdout_end`` ≤
            ``calibration_end``; ``clv_not_fittable`` when no transaction is left.
    """
    if unit_days < 1:
        raise ValueError("unit_days must be ≥ 1")
    frame = transactions.select(
        pl.col("customer_id").cast(pl.String),
        pl.col("date").cast(pl.Date),
        pl.col("amount").cast(pl.Float64),
    )
    if frame.is_empty():
        raise ClvNotFittableError("there are no transactions")
    last = frame.get_column("date").max()
    assert isinstance(last, date)
    end = calibration_end or last
    if holdout_end is not None and holdout_end <= end:
        raise DateRangeInvalidError(
            f"the holdout end {holdout_end} must be after the calibration end {end}"
        )
    horizon = holdout_end or end
    days = (
        frame.lazy()
        .filter(pl.col("date") <= horizon)
        .group_by("customer_id", "date")
        .agg(pl.col("amount").sum())
    )
    calibration = (
        days.filter(pl.col("date") <= end)
        .group_by("customer_id")
        .agg(
            first=pl.col("date").min(),
            last=pl.col("date").max(),
            n=pl.len(),
            total=pl.col("amount").sum(),
            first_amount=pl.col("amount").sort_by("date").first(),
        )
        .select(
            "customer_id",
            x=pl.col("n") - 1,
            t_x=(pl.col("last") - pl.col("first")).dt.total_days() / unit_days,
            T=(pl.lit(end) - pl.col("first")).dt.total_days() / unit_days,
            monetary=pl.when(pl.col("n") > 1)
            .then((pl.col("total") - pl.col("first_amount")) / (pl.col("n") - 1))
            .otherwise(0.0),
            amount_mean=pl.col("total") / pl.col("n"),
        )
    )
    duration = None
    if holdout_end is not None:
        held = (
            days.filter(pl.col("date") > end)
            .group_by("customer_id")
            .agg(x_holdout=pl.len().cast(pl.Int64))
        )
        calibration = calibration.join(held, on="customer_id", how="left").with_columns(
            pl.col("x_holdout").fill_null(0)
        )
        duration = (holdout_end - end).days / unit_days
    result = calibration.sort("customer_id").collect()
    if result.is_empty():
        raise ClvNotFittableError(f"no customer bought on or before {end}")
    return Summary(
        result.with_columns(pl.col("x").cast(pl.Int64)), end, holdout_end, unit_days, duration
    )


def expected_purchases_by_customer(
    model: BgNbd,
    t: float,
    x: Floats,
    t_x: Floats,
    T: Floats,
) -> Floats:
    """``model.expected_purchases(t, …)`` computed once per distinct (x, t_x, T)."""
    (ux, utx, ut), _, inverse = distinct_rows(x, t_x, T)
    return model.expected_purchases(t, ux, utx, ut)[inverse]


def clv_steps(horizon_days: int) -> list[int]:
    """Ends (in days) of the CLV steps: every 30 days, the last one cut at the horizon."""
    ends = list(range(STEP_DAYS, horizon_days + 1, STEP_DAYS))
    if not ends or ends[-1] != horizon_days:
        ends.append(horizon_days)
    return ends


def fit_spend(summary: Summary) -> GammaGamma | None:
    """Gamma-Gamma on the summary's repeat customers, or None when it cannot be fitted or its
    q ≤ 1 (no finite population mean spend)."""
    try:
        model = fit_gamma_gamma(summary.column("x"), summary.column("monetary"))
    except InvalidRequestError:
        return None
    return model if model.q > 1 else None


def score_customers(
    transactions: pl.DataFrame,
    *,
    as_of: date,
    unit_days: int = 1,
    annual_discount: float = 0.10,
    horizon_days: int = 365,
) -> Scores:
    """Fit both models on everything up to ``as_of`` and score every customer
    (:func:`summarise`, :func:`fit_bgnbd`, :func:`fit_spend`, :func:`score_summary`).

    Raises:
        InvalidRequestError: ``clv_not_fittable`` when the BG/NBD model cannot be fitted.
    """
    summary = summarise(transactions, calibration_end=as_of, unit_days=unit_days)
    model = fit_bgnbd(summary.column("x"), summary.column("t_x"), summary.column("T"))
    return score_summary(
        summary,
        model,
        fit_spend(summary),
        annual_discount=annual_discount,
        horizon_days=horizon_days,
    )


def score_summary(
    summary: Summary,
    model: BgNbd,
    spend_model: GammaGamma | None,
    *,
    annual_discount: float = 0.10,
    horizon_days: int = 365,
) -> Scores:
    """Per-customer scores from fitted models.

    ``expected_purchases_90/365`` are over the next 90/365 days (whatever ``unit_days``).
    ``clv`` = Σ over 30-day steps k ending at d_k ≤ horizon (the last step cut at the
    horizon) of expected_spend × (E[X(d_k)] − E[X(d_{k−1})]) / (1 + annual_discount)^(d_k/365).
    Customers with x = 0 get the Gamma-Gamma population mean spend; without a spend model
    everyone gets their own mean amount.
    """
    unit_days = summary.unit_days
    x, t_x, big_t = summary.column("x"), summary.column("t_x"), summary.column("T")
    if spend_model is not None:
        spend = spend_model.expected_spend(x, summary.column("monetary"))
    else:
        spend = summary.column("amount_mean")
    (ux, utx, ut), _, inverse = distinct_rows(x, t_x, big_t)

    def ahead(days: float) -> Floats:
        return model.expected_purchases(days / unit_days, ux, utx, ut)

    purchases_90, purchases_365 = ahead(90), ahead(365)
    value = np.zeros(ux.size)
    before = np.zeros(ux.size)
    for end in clv_steps(horizon_days):
        cumulative = ahead(end)
        value += (cumulative - before) / (1.0 + annual_discount) ** (end / 365.0)
        before = cumulative
    frame = summary.frame.select("customer_id", "x", "t_x", "T").with_columns(
        p_alive=pl.Series(model.p_alive(x, t_x, big_t)),
        expected_purchases_90=pl.Series(purchases_90[inverse]),
        expected_purchases_365=pl.Series(purchases_365[inverse]),
        expected_spend=pl.Series(spend),
        clv=pl.Series(value[inverse] * spend),
    )
    frame = frame.with_columns(pl.exclude("customer_id", "x").fill_nan(0.0))
    return Scores(frame, model, spend_model, summary)
