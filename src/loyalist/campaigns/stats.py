"""The statistics of a campaign's report (pure: counts and sums in, figures out).

- Conversion uplift of a variant against the control group: the difference of the two
  conversion rates with Newcombe's hybrid score interval (``confint_proportions_2indep``,
  method ``newcomb``; good coverage also at small rates and counts) and the p-value of the
  Miettinen–Nurminen score test of no difference (statsmodels offers no test named after
  Newcombe; the score test is the one his interval is built from).
- Revenue per member (every member of the arm, non-buyers at 0): Welch's interval for the
  difference of two means with unequal variances, from each arm's count, sum and sum of
  squares, so the database aggregates and no member's row travels.
- Several variants against one control: Holm's step-down correction of their p-values
  (uniformly more powerful than Bonferroni, same family-wise error bound).
- The winner: the variant with the largest uplift among those with at least
  ``min_members`` in its arm and in the control group, a corrected p-value below ``alpha``
  and a positive difference. The control group never wins; no winner is a valid answer.
- A count estimated from a sample (the audience estimate of a large shop): the sample's
  count scaled up, with the Wilson score interval of its share (``proportion_confint``,
  method ``wilson``) scaled the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy import stats as sp
from statsmodels.stats.proportion import (  # type: ignore[import-untyped]
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep,
)

#: The report's intervals are 95% ones.
CONFIDENCE: Final = 0.95


@dataclass(frozen=True, slots=True)
class Sample:
    """One arm: its members, how many converted, and the sum and sum of squares of its
    members' revenue (non-buyers count as 0)."""

    members: int
    converted: int
    revenue: float = 0.0
    revenue_squares: float = 0.0

    @property
    def rate(self) -> float | None:
        return self.converted / self.members if self.members else None

    @property
    def mean(self) -> float | None:
        return self.revenue / self.members if self.members else None

    def variance(self) -> float:
        """The unbiased sample variance of revenue per member (0 below two members)."""
        if self.members < 2:
            return 0.0
        mean = self.revenue / self.members
        return max(0.0, (self.revenue_squares - self.members * mean * mean) / (self.members - 1))


@dataclass(frozen=True, slots=True)
class Difference:
    """``estimate`` = treated − control, with its interval and the p-value of no difference."""

    estimate: float
    low: float
    high: float
    p_value: float


def rate_difference(
    treated: Sample, control: Sample, alpha: float = 1 - CONFIDENCE
) -> Difference | None:
    """The difference of conversion rates (None when an arm is empty)."""
    if treated.members == 0 or control.members == 0:
        return None
    counts = (treated.converted, treated.members, control.converted, control.members)
    # statsmodels also computes the ratio and odds ratio, which divide by zero when an
    # arm has no conversion; the difference does not.
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = confint_proportions_2indep(
            *counts, method="newcomb", compare="diff", alpha=alpha
        )
        if treated.converted + control.converted in (0, treated.members + control.members):
            p_value = 1.0  # every member alike in both arms: nothing to tell them apart
        else:
            test = test_proportions_2indep(*counts, method="score", compare="diff")
            p_value = float(test.pvalue)
    estimate = treated.converted / treated.members - control.converted / control.members
    # Clamped: the bounds' arithmetic may stray past ±1 by a rounding error.
    return Difference(estimate, max(-1.0, float(low)), min(1.0, float(high)), _probability(p_value))


def mean_difference(
    treated: Sample, control: Sample, alpha: float = 1 - CONFIDENCE
) -> Difference | None:
    """Welch's interval for the difference of mean revenue per member (None when an arm
    has fewer than two members)."""
    if treated.members < 2 or control.members < 2:
        return None
    estimate = treated.revenue / treated.members - control.revenue / control.members
    a = treated.variance() / treated.members
    b = control.variance() / control.members
    error = math.sqrt(a + b)
    if error == 0:
        return Difference(estimate, estimate, estimate, 1.0 if estimate == 0 else 0.0)
    freedom = (a + b) ** 2 / (a * a / (treated.members - 1) + b * b / (control.members - 1))
    margin = float(sp.t.ppf(1 - alpha / 2, freedom)) * error
    p_value = 2 * float(sp.t.sf(abs(estimate) / error, freedom))
    return Difference(estimate, estimate - margin, estimate + margin, _probability(p_value))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


@dataclass(frozen=True, slots=True)
class Comparison:
    """A variant against the control group, as the winner rule sees it."""

    key: str
    members: int
    difference: Difference | None


def winner(
    comparisons: Sequence[Comparison], control_members: int, *, min_members: int, alpha: float
) -> str | None:
    """The variant that beats the control group (see the module's rule), or None."""
    tested = [c for c in comparisons if c.difference is not None]
    adjusted = holm([c.difference.p_value for c in tested if c.difference is not None])
    best: tuple[float, str] | None = None
    for comparison, p_value in zip(tested, adjusted, strict=True):
        found = comparison.difference
        assert found is not None
        if (
            comparison.members >= min_members
            and control_members >= min_members
            and p_value < alpha
            and found.estimate > 0
            and (best is None or found.estimate > best[0])
        ):
            best = (found.estimate, comparison.key)
    return None if best is None else best[1]


@dataclass(frozen=True, slots=True)
class Scaled:
    """A count over a population estimated from a sample: ``estimate`` with its interval
    ``low``..``high``."""

    estimate: int
    low: int
    high: int


def scaled(found: int, drawn: int, population: int, alpha: float = 1 - CONFIDENCE) -> Scaled:
    """How many of ``population`` have a property when ``found`` of ``drawn`` of them,
    drawn at random without replacement, have it: ``found × population ÷ drawn`` (unbiased),
    with the Wilson score interval of the share ``found ÷ drawn`` scaled the same way. The
    interval is the binomial one, a little wider than the exact hypergeometric one (no
    finite-population correction), so it errs on the safe side; it never goes below
    ``found`` nor above what the ``drawn - found`` drawn without it leave possible, so a
    sample of the whole population gives the count itself.

    Raises:
        ValueError: ``found`` is not within 0..``drawn``, or ``drawn`` within 1..``population``.
    """
    if not 0 <= found <= drawn or not 0 < drawn <= population:
        raise ValueError("need 0 <= found <= drawn and 0 < drawn <= population")
    low, high = proportion_confint(found, drawn, alpha=alpha, method="wilson")
    most = population - (drawn - found)
    return Scaled(
        estimate=round(found * population / drawn),
        low=min(most, max(found, math.floor(float(low) * population))),
        high=max(found, min(most, math.ceil(float(high) * population))),
    )


def _probability(value: float) -> float:
    return 1.0 if math.isnan(value) else min(1.0, max(0.0, value))
