"""The report's statistics on simulated campaigns: a planted effect is found and its
interval covers the truth; without one, winners are as rare as the threshold allows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.campaigns.stats import (
    Comparison,
    Difference,
    Sample,
    Scaled,
    holm,
    mean_difference,
    rate_difference,
    scaled,
    winner,
)

SIMULATIONS = 200
MEMBERS = 5_000
CONTROL_RATE = 0.10
#: Revenue of a converting member: lognormal around 50.00 (minor units).
REVENUE_MU, REVENUE_SIGMA = np.log(5_000), 0.6
REVENUE_MEAN = float(np.exp(REVENUE_MU + REVENUE_SIGMA**2 / 2))


def _arm(rng: np.random.Generator, rate: float, members: int = MEMBERS) -> Sample:
    converted = int(rng.binomial(members, rate))
    revenue = rng.lognormal(REVENUE_MU, REVENUE_SIGMA, converted)
    return Sample(members, converted, float(revenue.sum()), float((revenue**2).sum()))


def _covers(found: Difference | None, truth: float) -> bool:
    assert found is not None
    return found.low <= truth <= found.high


def test_a_planted_effect_is_found_and_covered() -> None:
    """Variant B converts 30% more than control, A like control: over 200 seeded runs the
    intervals cover the true differences (conversion and revenue per member) in ≥ 90%,
    and B is declared the winner in most of them, A almost never."""
    lifted = CONTROL_RATE * 1.3
    covered = revenue_covered = b_won = a_won = 0
    for seed in range(SIMULATIONS):
        rng = np.random.default_rng(seed)
        control, a, b = _arm(rng, CONTROL_RATE), _arm(rng, CONTROL_RATE), _arm(rng, lifted)
        found = rate_difference(b, control)
        covered += _covers(found, lifted - CONTROL_RATE)
        revenue_covered += _covers(
            mean_difference(b, control), (lifted - CONTROL_RATE) * REVENUE_MEAN
        )
        picked = winner(
            [
                Comparison("a", a.members, rate_difference(a, control)),
                Comparison("b", b.members, found),
            ],
            control.members,
            min_members=1_000,
            alpha=0.05,
        )
        b_won += picked == "b"
        a_won += picked == "a"
    assert covered >= 0.9 * SIMULATIONS
    assert revenue_covered >= 0.9 * SIMULATIONS
    assert b_won >= 0.9 * SIMULATIONS
    assert a_won <= 0.05 * SIMULATIONS


def test_without_an_effect_a_winner_is_rare() -> None:
    """Two variants converting like control: a winner in at most 5% of 200 runs, and the
    interval covers 0 in at least 90% of them."""
    winners = covered = 0
    for seed in range(SIMULATIONS):
        rng = np.random.default_rng(10_000 + seed)
        control, a, b = (_arm(rng, CONTROL_RATE) for _ in range(3))
        found_a, found_b = rate_difference(a, control), rate_difference(b, control)
        covered += _covers(found_b, 0.0)
        winners += (
            winner(
                [Comparison("a", a.members, found_a), Comparison("b", b.members, found_b)],
                control.members,
                min_members=1_000,
                alpha=0.05,
            )
            is not None
        )
    assert winners <= 0.05 * SIMULATIONS
    assert covered >= 0.9 * SIMULATIONS


def test_no_winner_below_the_minimum_sample() -> None:
    """A large effect on small arms (or a small control group) declares nothing."""
    control, b = Sample(500, 25), Sample(500, 100)
    found = rate_difference(b, control)
    assert found is not None
    assert found.p_value < 0.001
    assert winner([Comparison("b", 500, found)], 500, min_members=1_000, alpha=0.05) is None
    assert winner([Comparison("b", 500, found)], 500, min_members=100, alpha=0.05) == "b"
    assert winner([Comparison("b", 5_000, found)], 500, min_members=1_000, alpha=0.05) is None


def test_a_worse_variant_never_wins() -> None:
    """A significant negative effect is no winner (nor is the control group)."""
    control, b = Sample(5_000, 1_000), Sample(5_000, 500)
    found = rate_difference(b, control)
    assert found is not None
    assert found.estimate < 0
    assert found.p_value < 0.001
    assert winner([Comparison("b", 5_000, found)], 5_000, min_members=10, alpha=0.05) is None


def test_edge_counts() -> None:
    """Empty arms give nothing; arms where nobody (or everybody) converted give p = 1."""
    assert rate_difference(Sample(0, 0), Sample(10, 1)) is None
    assert mean_difference(Sample(1, 1, 5.0, 25.0), Sample(10, 1)) is None
    nobody = rate_difference(Sample(100, 0), Sample(100, 0))
    assert nobody is not None
    assert (nobody.estimate, nobody.p_value) == (0.0, 1.0)
    none_treated = rate_difference(Sample(10, 0), Sample(10, 5))
    assert none_treated is not None
    assert none_treated.low < none_treated.estimate == -0.5 < none_treated.high
    assert 0 < none_treated.p_value < 0.05
    flat = mean_difference(Sample(10, 0), Sample(10, 0))
    assert flat == Difference(0.0, 0.0, 0.0, 1.0)


def test_welch_matches_scipy() -> None:
    """The interval from sums equals scipy's Welch test on the members' own values."""
    from scipy import stats

    rng = np.random.default_rng(7)
    x = np.concatenate([rng.lognormal(8, 1, 40), np.zeros(160)])
    y = np.concatenate([rng.lognormal(8, 1, 25), np.zeros(175)])
    found = mean_difference(
        Sample(200, 40, float(x.sum()), float((x**2).sum())),
        Sample(200, 25, float(y.sum()), float((y**2).sum())),
    )
    expected = stats.ttest_ind(x, y, equal_var=False)
    low, high = expected.confidence_interval(0.95)
    assert found is not None
    assert found.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert found.low == pytest.approx(low, rel=1e-6)
    assert found.high == pytest.approx(high, rel=1e-6)


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=6))
def test_holm_bounds(p_values: list[float]) -> None:
    """Adjusted p-values are at least the raw ones, at most Bonferroni's, and keep order."""
    adjusted = holm(p_values)
    for raw, adj in zip(p_values, adjusted, strict=True):
        assert raw <= adj <= min(1.0, raw * len(p_values)) + 1e-12
    for i in range(len(p_values)):
        for j in range(len(p_values)):
            if p_values[i] < p_values[j]:
                assert adjusted[i] <= adjusted[j]


_arms = st.integers(min_value=1, max_value=5_000).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n))
)


@given(_arms, _arms)
def test_rate_intervals_hold_their_estimate(
    treated: tuple[int, int], control: tuple[int, int]
) -> None:
    """Any counts: the interval lies in [−1, 1], holds the estimate, and the p-value is a
    probability."""
    found = rate_difference(Sample(treated[0], treated[1]), Sample(control[0], control[1]))
    assert found is not None
    assert -1 <= found.low <= found.estimate + 1e-12
    assert found.estimate - 1e-12 <= found.high <= 1
    assert 0 <= found.p_value <= 1


@given(
    st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=2, max_size=40),
    st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=2, max_size=40),
)
def test_welch_intervals_hold_their_estimate(x: list[int], y: list[int]) -> None:
    def sample(values: list[int]) -> Sample:
        return Sample(
            len(values),
            sum(v > 0 for v in values),
            float(sum(values)),
            float(sum(v * v for v in values)),
        )

    found = mean_difference(sample(x), sample(y))
    assert found is not None
    assert found.low <= found.estimate + 1e-6
    assert found.estimate - 1e-6 <= found.high
    assert 0 <= found.p_value <= 1


class TestScaled:
    """A count estimated from a sample (the audience estimate of a large shop)."""

    @given(
        population=st.integers(1, 10**7),
        share=st.floats(0, 1),
        fraction=st.floats(0.0001, 1),
    )
    def test_the_interval_holds_the_estimate_and_what_the_sample_proves(
        self, population: int, share: float, fraction: float
    ) -> None:
        drawn = max(1, round(population * fraction))
        found = round(drawn * share)

        got = scaled(found, drawn, population)

        assert found <= got.low <= got.estimate <= got.high <= population - (drawn - found)

    @given(population=st.integers(1, 10**6), share=st.floats(0, 1))
    def test_a_sample_of_everyone_is_the_count_itself(self, population: int, share: float) -> None:
        found = round(population * share)

        assert scaled(found, population, population) == Scaled(found, found, found)

    def test_covers_the_true_count_and_is_unbiased_on_seeded_shops(self) -> None:
        # 400 shops of 20,000 ids, each with its own share of members in the audience, and
        # one fixed draw of 500 ids (as the estimate's): the 95% interval holds the true
        # count in at least 93% of them, and the estimates average to the truth.
        rng = np.random.default_rng(20261207)
        population, drawn = 20_000, 500
        draw = rng.choice(population, drawn, replace=False)
        covered, errors = 0, []
        for _ in range(400):
            inside = rng.random(population) < rng.uniform(0, 1)
            truth = int(inside.sum())
            got = scaled(int(inside[draw].sum()), drawn, population)
            covered += got.low <= truth <= got.high
            errors.append((got.estimate - truth) / population)
        assert covered >= 0.93 * 400
        assert abs(float(np.mean(errors))) < 0.003

    def test_refuses_impossible_counts(self) -> None:
        with pytest.raises(ValueError, match="found"):
            scaled(6, 5, 100)
        with pytest.raises(ValueError, match="drawn"):
            scaled(0, 0, 100)
