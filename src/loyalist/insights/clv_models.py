"""BG/NBD and Gamma-Gamma: maximum likelihood on compressed statistics, and their forecasts.

BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while alive a
customer buys as a Poisson process of rate λ ~ Gamma(r, α); after each repeat purchase they
drop out with probability p ~ Beta(a, b). Gamma-Gamma (Fader & Hardie 2013, "The
Gamma-Gamma Model of Monetary Value"): each transaction's value is Gamma(p, ν) with
ν ~ Gamma(q, γ) across customers (``v`` below is γ, as in the note and in ``lifetimes``).

Inputs per customer: ``x`` repeat transactions, ``t_x`` time of the last one since the first
purchase, ``T`` time from the first purchase to the end of calibration (any unit; the
parameter α is in that unit). Fitting works on the distinct rows with their counts as
weights, the log-likelihood and its gradient are closed forms over those rows, and
L-BFGS-B minimises the mean negative log-likelihood over the log-parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped, unused-ignore]

from loyalist.insights.errors import ClvNotFittableError

Floats = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

#: Log-parameters are kept in this box: outside it the fit is degenerate anyway (e.g. b → ∞
#: when nobody drops out) and the special functions would overflow.
_LOG_BOUND: Final = 18.0
#: Distinct rows of the subsample a large Gamma-Gamma fit starts from.
_WARM_START_ROWS: Final = 5_000


def _floats(value: ArrayLike) -> Floats:
    return np.asarray(value, dtype=np.float64)


def distinct_rows(*columns: ArrayLike) -> tuple[list[Floats], Floats, npt.NDArray[np.intp]]:
    """The distinct rows of equal-length columns (sorted lexicographically), how often each
    occurs, and for every input row the index of its distinct row.

    Each column is ranked on its own and the ranks are folded into one integer key column
    by column (re-ranked after each fold, so the key never overflows): a few one-column
    integer sorts instead of a multi-column float sort.
    """
    arrays = [_floats(c).ravel() for c in columns]
    size = arrays[0].size
    if not size:
        return [a.copy() for a in arrays], np.zeros(0), np.zeros(0, dtype=np.intp)
    key = np.zeros(size, dtype=np.int64)
    for column in arrays:
        levels, rank = np.unique(column, return_inverse=True)
        key = key * levels.size + rank
        if column is not arrays[-1]:
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    return [a[first] for a in arrays], counts.astype(np.float64), inverse


def compress(*columns: ArrayLike) -> tuple[list[Floats], Floats]:
    """The distinct rows of the given equal-length columns and how often each occurs."""
    rows, counts, _ = distinct_rows(*columns)
    return rows, counts


def _unfittable(detail: str) -> ClvNotFittableError:
    return ClvNotFittableError(detail)


def _maximise(
    objective: Callable[[Floats], tuple[float, Floats]], start: Floats
) -> tuple[Floats, float]:
    """Minimise a mean negative log-likelihood over log-parameters; returns (log θ, value)."""
    # Imported here: scipy.optimize takes ~0.4 s to import, and every command and the API
    # import this module (through the scoring job) without fitting anything.
    from scipy.optimize import minimize

    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * start.size
    # One BLAS thread: the dot products are small, and idle BLAS threads spinning between
    # them slow the optimiser's own LAPACK calls down several-fold.
    with (
        threadpool_limits(1, "blas"),
        np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"),
    ):
        result = minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10, "maxcor": 20},
        )
    theta = np.asarray(result.x, dtype=np.float64)
    value, gradient = objective(theta)
    if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
        raise _unfittable("the likelihood is not finite at the optimum: the data cannot be fitted")
    return theta, float(value)


# --------------------------------------------------------------------------------- BG/NBD


@dataclass(frozen=True, slots=True)
class BgNbd:
    """A fitted BG/NBD model; ``alpha`` is in the time unit of the data it was fitted on.

    ``customers`` is how many customers the fit saw; ``log_likelihood`` is their total.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int = 0

    def p_alive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> Floats:
        """P(alive at T | x, t_x, T); 1 for x = 0 (BG/NBD drops out only after a purchase)."""
        xs, tx, tt = _floats(x), _floats(t_x), _floats(T)
        log_odds = (self.r + xs) * np.log((self.alpha + tt) / (self.alpha + tx)) + np.log(
            self.a / (self.b + np.maximum(xs, 1.0) - 1.0)
        )
        return np.asarray(np.where(xs == 0, 1.0, expit(-log_odds)), dtype=np.float64)

    def expected_purchases(
        self,
        t: ArrayLike,
        x: ArrayLike,
        t_x: ArrayLike,
        T: ArrayLike,
    ) -> Floats:
        """E[X(T, T + t) | x, t_x, T]: expected repeat purchases in the next ``t`` units
        (FHL 2005, eq. 10; the Gauss hypergeometric term falls back to Euler's transform
        where it overflows, as ``lifetimes`` does). Requires a ≠ 1."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        tt, xs, tx, big_t = np.broadcast_arrays(_floats(t), _floats(x), _floats(t_x), _floats(T))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ca, cb, cc = r + xs, b + xs, a + b + xs - 1.0
            z = tt / (alpha + big_t + tt)
            log_hyp = _log_hyp2f1(ca, cb, cc, z)
            head = (a + b + xs - 1.0) / (a - 1.0)
            tail = -np.expm1(log_hyp + ca * np.log((alpha + big_t) / (alpha + big_t + tt)))
            odds = np.where(
                xs > 0,
                a / (b + np.maximum(xs, 1.0) - 1.0) * ((alpha + big_t) / (alpha + tx)) ** ca,
                0.0,
            )
            value = head * tail / (1.0 + odds)
        return np.asarray(np.where(tt == 0, 0.0, value), dtype=np.float64)

    def expected_purchases_new(self, t: ArrayLike) -> Floats:
        """E[X(t)] for a customer just acquired (FHL 2005, eq. 9). Requires a ≠ 1."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        tt = _floats(t)
        hyp = hyp2f1(r, b, a + b - 1.0, tt / (alpha + tt))
        return np.asarray((a + b - 1.0) / (a - 1.0) * (1.0 - hyp * (alpha / (alpha + tt)) ** r))


def _log_hyp2f1(a: Floats, b: Floats, c: Floats, z: Floats) -> Floats:
    """ln ₂F₁(a, b; c; z) for 0 ≤ z < 1: scipy's value; where that is not finite, Euler's
    transform (as ``lifetimes``); where that fails too (scipy gives NaN for very large
    ``a``, e.g. r → ∞ when a small data set shows no heterogeneity), the power series."""
    value = np.log(hyp2f1(a, b, c, z))
    bad = ~np.isfinite(value)
    if bad.any():
        alt = np.log(hyp2f1(c - a, c - b, c, z)) + (c - a - b) * np.log1p(-z)
        value = np.where(bad, alt, value)
        bad = ~np.isfinite(value)
    if bad.any():
        value[bad] = _log_hyp2f1_series(a[bad], b[bad], c[bad], z[bad])
    return np.asarray(value, dtype=np.float64)


def _log_hyp2f1_series(
    a: Floats, b: Floats, c: Floats, z: Floats, *, max_terms: int = 20_000
) -> Floats:
    """ln Σ_k (a)_k (b)_k / ((c)_k k!) z^k, rescaled as it goes so it cannot overflow."""
    total, term, log_scale = np.ones(a.size), np.ones(a.size), np.zeros(a.size)
    active = np.ones(a.size, dtype=bool)
    for k in range(max_terms):
        term = np.where(active, term * (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z, 0.0)
        total += term
        big = total > 1e200
        if big.any():
            total[big] *= 1e-200
            term[big] *= 1e-200
            log_scale[big] += 200.0 * np.log(10.0)
        active &= np.abs(term) > 1e-16 * np.abs(total)
        if not active.any():
            break
    else:
        total[active] = np.nan
    return np.log(total) + log_scale


def bgnbd_log_likelihood(
    params: ArrayLike,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
) -> Floats:
    """Each customer's BG/NBD log-likelihood at ``params = (r, alpha, a, b)``."""
    r, alpha, a, b = (float(v) for v in _floats(params))
    ll, _ = _bgnbd_terms(r, alpha, a, b, _floats(x), _floats(t_x), _floats(T), gradient=False)
    return ll


def _bgnbd_terms(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: Floats,
    t_x: Floats,
    T: Floats,
    *,
    gradient: bool,
    levels: tuple[Floats, npt.NDArray[np.intp]] | None = None,
) -> tuple[Floats, Floats]:
    """Per-row log-likelihood and, with ``gradient``, d/d(log r, log α, log a, log b).

    ``levels`` = (distinct x, index of each row's x in it): the special functions of x alone
    are then evaluated once per distinct x.
    """
    ux, at = levels if levels is not None else np.unique(x, return_inverse=True)
    repeat = x > 0
    rx = r + x
    log_at, log_atx = np.log(alpha + T), np.log(alpha + t_x)
    b_x1 = b + np.maximum(x, 1.0) - 1.0
    a12 = (gammaln(r + ux) + betaln(a, b + ux))[at] - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    a3 = -rx * log_at
    a4 = np.where(repeat, np.log(a) - np.log(b_x1) - rx * log_atx, -np.inf)
    mix = np.logaddexp(a3, a4)
    ll = a12 + mix
    if not gradient:
        return ll, np.zeros(0)
    w4 = np.exp(a4 - mix)  # 0 where x = 0
    w3 = 1.0 - w4
    psi_rx, psi_abx, psi_bx = digamma(r + ux)[at], digamma(a + b + ux)[at], digamma(b + ux)[at]
    psi_ab = digamma(a + b)
    d_r = psi_rx - digamma(r) + np.log(alpha) - w3 * log_at - w4 * log_atx
    d_alpha = r / alpha - rx * (w3 / (alpha + T) + w4 / (alpha + t_x))
    d_a = psi_ab - psi_abx + w4 / a
    d_b = psi_ab + psi_bx - digamma(b) - psi_abx - w4 / b_x1
    grad = np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return ll, grad


def fit_bgnbd(
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    *,
    weights: ArrayLike | None = None,
) -> BgNbd:
    """Maximum-likelihood BG/NBD on the distinct (x, t_x, T) rows.

    Invariants: 0 ≤ t_x ≤ T, x ≥ 0 whole, t_x = 0 where x = 0.

    Raises:
        InvalidRequestError: ``clv_not_fittable`` for no customers, no repeat purchase, or
            inputs breaking the invariants.
    """
    cols = [_floats(x).ravel(), _floats(t_x).ravel(), _floats(T).ravel()]
    given = None if weights is None else _floats(weights).ravel()
    if not cols[0].size:
        raise _unfittable("no customers to fit the BG/NBD model on")
    if np.any(cols[0] < 0) or np.any(cols[1] < 0) or np.any(cols[1] > cols[2] + 1e-9):
        raise _unfittable("BG/NBD needs x ≥ 0 and 0 ≤ t_x ≤ T for every customer")
    if not np.any(cols[0] > 0):
        raise _unfittable("no customer made a repeat purchase: BG/NBD cannot be fitted")
    if given is None:
        (xs, tx, tt), counts = compress(*cols)
    else:  # already compressed by the caller
        (xs, tx, tt), counts = cols, given
    total = float(counts.sum())
    levels = np.unique(xs, return_inverse=True)

    def objective(theta: Floats) -> tuple[float, Floats]:
        r, alpha, a, b = np.exp(theta)
        ll, grad = _bgnbd_terms(r, alpha, a, b, xs, tx, tt, gradient=True, levels=levels)
        return -float(counts @ ll) / total, -(grad @ counts) / total

    mean_x, mean_t = float(counts @ xs) / total, float(counts @ tt) / total
    start = np.log([1.0, max(mean_t / max(mean_x, 0.1), 1e-3), 1.0, 1.0])
    theta, value = _maximise(objective, start)
    r, alpha, a, b = (float(v) for v in np.exp(theta))
    return BgNbd(r, alpha, a, b, -value * total, round(total))


# ---------------------------------------------------------------------------- Gamma-Gamma


@dataclass(frozen=True, slots=True)
class GammaGamma:
    """A fitted Gamma-Gamma spend model over ``customers`` with x > 0 and mean spend > 0."""

    p: float
    q: float
    v: float
    customers: int
    log_likelihood: float = 0.0

    @property
    def mean_spend(self) -> float:
        """The population's expected average transaction value p·v/(q − 1) (q > 1)."""
        return self.p * self.v / (self.q - 1.0)

    def expected_spend(self, x: ArrayLike, m: ArrayLike) -> Floats:
        """E[M | x, m̄] = (q − 1)/(px + q − 1) · pv/(q − 1) + px/(px + q − 1) · m̄
        (Fader & Hardie 2013, eq. 5); for x = 0 the population mean. Requires q > 1."""
        xs, ms = _floats(x), _floats(m)
        px = self.p * xs
        return np.asarray(self.p * (self.v + xs * ms) / (px + self.q - 1.0), dtype=np.float64)


def gamma_gamma_log_likelihood(params: ArrayLike, x: ArrayLike, m: ArrayLike) -> Floats:
    """Each customer's Gamma-Gamma log-likelihood of mean spend ``m`` over ``x`` transactions."""
    p, q, v = (float(c) for c in _floats(params))
    ll, _ = _gg_terms(p, q, v, _floats(x), _floats(m), gradient=False)
    return ll


def _gg_terms(
    p: float, q: float, v: float, x: Floats, m: Floats, *, gradient: bool
) -> tuple[Floats, Floats]:
    px = p * x
    log_x, log_m, log_xm_v = np.log(x), np.log(m), np.log(x * m + v)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1.0) * log_m
        + px * log_x
        - (px + q) * log_xm_v
    )
    if not gradient:
        return ll, np.zeros(0)
    psi = digamma(px + q)
    d_p = x * (psi - digamma(px) + log_m + log_x - log_xm_v)
    d_q = psi - digamma(q) + np.log(v) - log_xm_v
    d_v = q / v - (px + q) / (x * m + v)
    return ll, np.stack([d_p * p, d_q * q, d_v * v])


def _gg_objective(x: Floats, m: Floats, counts: Floats) -> Callable[[Floats], tuple[float, Floats]]:
    """The mean negative log-likelihood over log(p, q, v) and its gradient, the sum of
    :func:`_gg_terms` rearranged: the terms linear in p are summed once, the Gamma functions
    are evaluated once per distinct x, and only ln(x·m̄ + v) is computed per row."""
    total = float(counts.sum())
    ux, at = np.unique(x, return_inverse=True)
    per_x = np.bincount(at, weights=counts)
    log_m, log_x = np.log(m), np.log(x)
    linear_p = float(counts @ (x * (log_m + log_x)))  # Σ c·x·(ln m + ln x)
    constant = -float(counts @ log_m)  # Σ −c·ln m
    cx, xm = counts * x, x * m

    def objective(theta: Floats) -> tuple[float, Floats]:
        p, q, v = np.exp(theta)
        pux = p * ux
        log_xm_v = np.log(xm + v)
        ll = (
            float(per_x @ (gammaln(pux + q) - gammaln(pux)))
            + total * (q * np.log(v) - gammaln(q))
            + p * linear_p
            + constant
            - p * float(cx @ log_xm_v)
            - q * float(counts @ log_xm_v)
        )
        psi = digamma(pux + q)
        d_p = float((per_x * ux) @ (psi - digamma(pux))) + linear_p - float(cx @ log_xm_v)
        d_q = float(per_x @ psi) + total * (np.log(v) - digamma(q)) - float(counts @ log_xm_v)
        d_v = total * q / v - float(counts @ ((p * x + q) / (xm + v)))
        grad = np.array([d_p * p, d_q * q, d_v * v])
        return -ll / total, -grad / total

    return objective


def fit_gamma_gamma(x: ArrayLike, m: ArrayLike) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma on customers with x > 0 and m > 0 (others ignored),
    compressed on distinct (x, m) pairs.

    Raises:
        InvalidRequestError: ``clv_not_fittable`` with fewer than 2 usable customers.
    """
    xs, ms = _floats(x).ravel(), _floats(m).ravel()
    keep = (xs > 0) & (ms > 0) & np.isfinite(ms)
    (ux, um), counts = compress(xs[keep], ms[keep])
    total = float(counts.sum())
    if total < 2:
        raise _unfittable("Gamma-Gamma needs at least 2 customers with repeat purchases")

    # E[m̄] = pv/(q − 1): start from a moderate shape with that mean. p and v are strongly
    # correlated, so the optimiser needs many steps; on many rows take most of them on an
    # evenly spaced subsample first and finish on all rows from there.
    mean = float(counts @ um) / total
    start = np.log([2.0, 3.0, mean])
    if ux.size > 4 * _WARM_START_ROWS:
        step = ux.size // _WARM_START_ROWS
        start, _ = _maximise(_gg_objective(ux[::step], um[::step], counts[::step]), start)
    theta, value = _maximise(_gg_objective(ux, um, counts), start)
    p, q, v = (float(c) for c in np.exp(theta))
    return GammaGamma(p, q, v, round(total), -value * total)
