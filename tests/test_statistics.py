"""Fisher's exact test, the binomial test, Mann-Whitney's U and Holm's correction, against
values computed offline.

Reference values: SciPy 1.18.1 (scipy.stats.fisher_exact, binomtest and mannwhitneyu with
method="asymptotic", use_continuity=True, all two-sided), run on 2026-12-02 in a throwaway
virtual environment; SciPy is not a dependency of the app. Holm's values are those of R's
p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), method = "holm"), worked by hand below.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.statistics import Verdict, binomial_test, fisher_exact, holm, mann_whitney

FISHER = [
    ((3, 1, 1, 29), 0.002609108159392789),
    ((1, 9, 11, 3), 0.0027594561852200836),
    ((0, 5, 5, 0), 0.007936507936507938),
    ((2, 3, 4, 5), 1.0),
    ((10, 20, 30, 40), 0.5044757698516285),
    ((0, 0, 0, 5), 1.0),
    ((7, 2, 3, 8), 0.06977851869492735),
    ((1, 24, 2, 40), 1.0),
    ((12, 5, 29, 2), 0.08026855207410463),
]

BINOMIAL = [
    ((3, 10, 0.5), 0.34375),
    ((0, 10, 0.3), 0.0388396033),
    ((18, 24, 0.5), 0.022655844688415527),
    ((7, 30, 0.4), 0.06476399510651554),
    ((12, 12, 0.5), 0.00048828125),
    ((5, 40, 0.25), 0.06951886665575854),
]

MANN_WHITNEY = [
    (([1, 2, 3, 4, 5], [3, 4, 5, 5, 5]), 0.15852551722895514),
    (([4, 4, 5, 3, 4, 5, 2], [2, 3, 3, 1, 2, 4]), 0.05644342215440488),
    (([10, 12, 8, 15, 9, 11], [7, 8, 6, 9, 10, 5, 8]), 0.025564506216279086),
    (([1, 5, 2, 4, 3, 5, 1, 2], [5, 5, 4, 4, 3, 5]), 0.11019643919345667),
]


@pytest.mark.parametrize(("table", "expected"), FISHER)
def test_fishers_exact_test_matches_scipy(table, expected):
    assert fisher_exact(*table) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("table", "expected"), FISHER)
def test_fishers_test_gives_the_same_answer_for_the_table_turned_around(table, expected):
    a, b, c, d = table
    assert fisher_exact(d, c, b, a) == pytest.approx(expected, rel=1e-9)
    assert fisher_exact(a, c, b, d) == pytest.approx(expected, rel=1e-9)


def test_fishers_test_refuses_a_negative_count():
    with pytest.raises(ValueError):
        fisher_exact(-1, 2, 3, 4)


@given(st.tuples(*[st.integers(0, 40)] * 4))
def test_a_fisher_p_value_is_a_probability(table):
    assert 0 < fisher_exact(*table) <= 1


@pytest.mark.parametrize(("case", "expected"), BINOMIAL)
def test_the_binomial_test_matches_scipy(case, expected):
    assert binomial_test(*case) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize(("samples", "expected"), MANN_WHITNEY)
def test_mann_whitney_matches_scipy_with_ties_and_continuity(samples, expected):
    first, second = samples
    assert mann_whitney(first, second) == pytest.approx(expected, rel=1e-9)
    assert mann_whitney(second, first) == pytest.approx(expected, rel=1e-9)


def test_mann_whitney_says_nothing_when_every_value_is_the_same():
    # SciPy answers NaN here; no difference at all is no evidence of one.
    assert mann_whitney([3] * 5, [3] * 5) == 1.0
    assert mann_whitney([], [1, 2]) == 1.0


def test_holm_matches_rs_p_adjust():
    # Sorted: 0.005 x 5 = 0.025; 0.01 x 4 = 0.04; 0.03 x 3 = 0.09; 0.04 x 2 = 0.08, raised to
    # the 0.09 before it (the adjustment never goes down); 0.5 x 1 = 0.5.
    adjusted = holm([0.01, 0.04, 0.03, 0.005, 0.5])

    assert adjusted == pytest.approx([0.04, 0.09, 0.09, 0.025, 0.5])


def test_holm_never_passes_one_and_leaves_a_single_test_alone():
    assert holm([0.3, 0.6, 0.9]) == pytest.approx([0.9, 1.0, 1.0])
    assert holm([0.02]) == [0.02]
    assert holm([]) == []


@given(st.lists(st.floats(0, 1), max_size=40))
def test_holm_only_ever_raises_a_p_value_and_keeps_their_order(p_values):
    adjusted = holm(p_values)

    assert all(a >= p for a, p in zip(adjusted, p_values, strict=True))
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    assert [adjusted[i] for i in order] == sorted(adjusted)


def test_thirty_comparisons_of_pure_chance_rarely_make_a_finding_once_corrected():
    # One p-value of 0.01 among thirty: alone it looks like a finding, corrected it is not.
    adjusted = holm([0.01] + [0.5] * 29)

    assert not Verdict(adjusted[0]).unlikely_chance
    assert Verdict(0.01).words == "unlikely to be chance alone"
    assert Verdict(adjusted[0]).words == "could easily be chance"
