"""CLV work (prep, BG/NBD fit, Gamma-Gamma fit, holdout forecast): ours vs. ``lifetimes``."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl

if __package__ in (None, ""):  # run as ``python bench/clv_vs_lifetimes.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Report, Target, number
from loyalist.insights.clv import (
    expected_purchases_by_customer,
    fit_bgnbd,
    fit_gamma_gamma,
    summarise,
)

SPEED_TARGET = Target(3.0, "× faster (stretch 10×)")
AGREEMENT_TARGET = Target(1e-3, "relative difference", higher_is_better=False)
#: Generating parameters, per day (CDNOW's weekly α = 4.4 is ~31 days).
TRUE_BGNBD = {"r": 0.25, "alpha": 30.0, "a": 0.8, "b": 2.5}
TRUE_GG = {"p": 6.0, "q": 3.8, "v": 15.0}
START = date(2024, 1, 1)
COHORT_DAYS = 90  # first purchases spread over the first quarter
CALIBRATION_DAYS = 364
HOLDOUT_DAYS = 182

T = TypeVar("T")


def generate(customers: int, seed: int) -> pl.DataFrame:
    """Transactions of the BG/NBD + Gamma-Gamma story, one row per purchase (day, amount).

    Each customer buys first on a day of the first quarter; while alive, purchases are
    Poisson(λ) with λ ~ Gamma(r, α); after each repeat purchase they leave with probability
    p ~ Beta(a, b); every amount is Gamma(p, ν) with ν ~ Gamma(q, v). Times are continuous
    and purchases fall on the day they happen in (so a few same-day ones merge).
    """
    rng = np.random.default_rng(seed)
    first = rng.integers(0, COHORT_DAYS, customers)
    span = (CALIBRATION_DAYS + HOLDOUT_DAYS - first).astype(np.float64)
    lam = rng.gamma(TRUE_BGNBD["r"], 1.0 / TRUE_BGNBD["alpha"], customers)
    drop = rng.beta(TRUE_BGNBD["a"], TRUE_BGNBD["b"], customers)
    last = rng.geometric(drop)  # the repeat purchase after which the customer leaves
    arrivals = rng.poisson(lam * span)
    kept = np.minimum(arrivals, last)
    owner = np.repeat(np.arange(customers), arrivals)
    times = rng.uniform(0.0, 1.0, owner.size) * span[owner]
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    starts = np.repeat(np.cumsum(arrivals) - arrivals, arrivals)
    rank = np.arange(owner.size) - starts + 1
    alive = rank <= kept[owner]
    owner, times = owner[alive], times[alive]
    who = np.concatenate([np.arange(customers), owner])
    day = np.concatenate([first, first[owner] + np.floor(times).astype(np.int64)])
    nu = rng.gamma(TRUE_GG["q"], 1.0 / TRUE_GG["v"], customers)
    amount = np.round(rng.gamma(TRUE_GG["p"], 1.0 / nu[who]), 2)
    epoch_days = (START - date(1970, 1, 1)).days
    return pl.DataFrame(
        {
            "customer_id": pl.Series(who).cast(pl.String),
            "date": pl.Series(day + epoch_days).cast(pl.Int32).cast(pl.Date),
            "amount": amount,
        }
    )


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def relative(ours: float, theirs: float) -> float:
    return abs(ours - theirs) / max(abs(theirs), 1e-300)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=235_000, help="customers (235000)")
    parser.add_argument("--seed", type=int, default=6, help="generator seed (6)")
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1_000 <= args.customers <= 2_000_000:
        parser.error("--customers must be within 1,000..2,000,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    import pandas as pd
    import scipy.optimize  # noqa: F401 (ours imports it on the first fit; lifetimes at import)
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import calibration_and_holdout_data

    warnings.simplefilter("ignore")  # lifetimes on pandas 2 warns about deprecated idioms
    report = Report("clv_vs_lifetimes", args.json)
    report.header({"customers": args.customers, "seed": args.seed})
    transactions, gen_seconds = timed(lambda: generate(args.customers, args.seed))
    calibration_end = START + timedelta(days=CALIBRATION_DAYS)
    holdout_end = calibration_end + timedelta(days=HOLDOUT_DAYS)
    frame = pd.DataFrame(
        {
            "customer_id": transactions["customer_id"].to_numpy(),
            "date": pd.to_datetime(transactions["date"].to_numpy()),
            "amount": transactions["amount"].to_numpy(),
        }
    )
    report.line(
        f"   {args.customers:,} customers, {transactions.height:,} purchases generated in "
        f"{gen_seconds:.1f} s (not timed); days, calibration to {calibration_end}, "
        f"holdout to {holdout_end}; true BG/NBD {TRUE_BGNBD}, Gamma-Gamma {TRUE_GG}"
    )
    report.line("   both sides start from their own frame (polars / pandas), built untimed")

    ours: dict[str, float] = {}
    theirs: dict[str, float] = {}
    summary, ours["prep"] = timed(
        lambda: summarise(
            transactions, calibration_end=calibration_end, holdout_end=holdout_end, unit_days=1
        )
    )
    data, theirs["prep"] = timed(
        lambda: calibration_and_holdout_data(
            frame,
            "customer_id",
            "date",
            calibration_period_end=pd.Timestamp(calibration_end),
            observation_period_end=pd.Timestamp(holdout_end),
            freq="D",
            monetary_value_col="amount",
        )
    )
    x, t_x, big_t = summary.column("x"), summary.column("t_x"), summary.column("T")
    model, ours["bgnbd"] = timed(lambda: fit_bgnbd(x, t_x, big_t))
    bgf = BetaGeoFitter(penalizer_coef=0.0)
    _, theirs["bgnbd"] = timed(
        lambda: bgf.fit(data["frequency_cal"], data["recency_cal"], data["T_cal"], tol=1e-10)
    )
    spend, ours["gamma_gamma"] = timed(lambda: fit_gamma_gamma(x, summary.column("monetary")))
    repeat = data[(data["frequency_cal"] > 0) & (data["monetary_value_cal"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0)
    _, theirs["gamma_gamma"] = timed(
        lambda: ggf.fit(repeat["frequency_cal"], repeat["monetary_value_cal"], tol=1e-10)
    )
    duration = float(summary.duration_holdout or 0.0)
    predicted, ours["forecast"] = timed(
        lambda: expected_purchases_by_customer(model, duration, x, t_x, big_t)
    )
    their_predicted, theirs["forecast"] = timed(
        lambda: bgf.conditional_expected_number_of_purchases_up_to_time(
            data["duration_holdout"], data["frequency_cal"], data["recency_cal"], data["T_cal"]
        )
    )
    ours["total"], theirs["total"] = sum(ours.values()), sum(theirs.values())

    same_rows = bool(
        summary.frame.height == len(data)
        and np.allclose(x, data["frequency_cal"].to_numpy())
        and np.allclose(big_t, data["T_cal"].to_numpy())
    )
    report.line(f"   same (x, T) per customer on both sides: {same_rows}")
    report.line()
    report.line("-- parameters (ours | lifetimes | relative difference)")
    differences: dict[str, float] = {}
    pairs: list[tuple[str, float, float]] = [
        *((name, getattr(model, name), float(bgf.params_[name])) for name in TRUE_BGNBD),
        *((name, getattr(spend, name), float(ggf.params_[name])) for name in TRUE_GG),
        ("holdout forecast", float(predicted.sum()), float(their_predicted.sum())),
    ]
    for name, mine, other in pairs:
        differences[name] = relative(mine, other)
        report.line(f"   {name:<17}{mine:>14.6g} {other:>14.6g}   {differences[name]:.2e}")
    worst = max(differences.values())
    report.line(f"   worst {worst:.2e}: {AGREEMENT_TARGET.describe(worst)}")
    actual = int(summary.frame["x_holdout"].sum())
    report.line(f"   holdout repeat purchases: actual {actual:,}, predicted {predicted.sum():,.1f}")
    report.line()
    report.line("-- seconds (ours | lifetimes | speed-up)")
    ratios: dict[str, float] = {}
    for step in ("prep", "bgnbd", "gamma_gamma", "forecast", "total"):
        ratios[step] = theirs[step] / ours[step] if ours[step] else float("nan")
        report.line(
            f"   {step:<12}{ours[step]:>10.3f} {theirs[step]:>10.3f}   {number(ratios[step])}×"
        )
    report.line(f"   total speed-up: {SPEED_TARGET.describe(ratios['total'])}")
    report.data.update(
        {
            "customers": args.customers,
            "purchases": transactions.height,
            "parameters": {
                name: {"ours": mine, "lifetimes": other, "relative_difference": differences[name]}
                for name, mine, other in pairs
            },
            "holdout_actual": actual,
            "seconds": {"ours": ours, "lifetimes": theirs},
            "speed_up": ratios,
            "agreement_target": AGREEMENT_TARGET.as_json(worst),
            "speed_target": SPEED_TARGET.as_json(ratios["total"]),
        }
    )
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
