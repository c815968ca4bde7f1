"""The tests behind the insights and the experiments, as pure functions of counts.

Plain Python (no SciPy at run time); each is checked against values computed by SciPy in
tests/test_statistics.py. Every p-value is two-sided: a difference either way counts.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# R's fisher.test and binom.test (and SciPy's) count outcomes "as likely" as the observed one
# within this relative tolerance, so that rounding does not drop the tie that mirrors it.
RELATIVE_TOLERANCE = 1 + 1e-7

# Below this, a difference is "unlikely to be chance alone"; said in words, never as a number.
SIGNIFICANCE = 0.05


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]].

    With the margins fixed, `a` follows a hypergeometric distribution; the p-value is the
    total probability of the tables no more likely than the one observed (R's method).
    """
    if min(a, b, c, d) < 0:
        raise ValueError("A table of counts cannot hold a negative number.")
    row, column, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0
    low, high = max(0, row + column - n), min(row, column)

    def log_probability(x: int) -> float:
        return _log_choose(column, x) + _log_choose(n - column, row - x) - _log_choose(n, row)

    observed = log_probability(a)
    threshold = observed + math.log(RELATIVE_TOLERANCE)
    total = sum(math.exp(p) for x in range(low, high + 1) if (p := log_probability(x)) <= threshold)
    return min(1.0, total)


def binomial_test(successes: int, trials: int, probability: float) -> float:
    """Two-sided p-value of the exact binomial test (R's binom.test, SciPy's binomtest)."""
    if not 0 <= successes <= trials:
        raise ValueError("Successes must lie between 0 and the number of trials.")
    if not 0 < probability < 1:
        return 1.0 if successes == round(probability * trials) else 0.0
    log_p, log_q = math.log(probability), math.log1p(-probability)

    def log_probability(k: int) -> float:
        return _log_choose(trials, k) + k * log_p + (trials - k) * log_q

    threshold = log_probability(successes) + math.log(RELATIVE_TOLERANCE)
    total = sum(math.exp(p) for k in range(trials + 1) if (p := log_probability(k)) <= threshold)
    return min(1.0, total)


def mann_whitney(first: Sequence[float], second: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test, from its normal approximation with the
    correction for ties and for continuity (R's wilcox.test with exact=FALSE; SciPy's
    mannwhitneyu with method="asymptotic"). Ratings of 1 to 5 tie often: an exact table
    without ties would be wrong for them."""
    n1, n2 = len(first), len(second)
    if not n1 or not n2:
        return 1.0
    values = sorted([(value, 0) for value in first] + [(value, 1) for value in second])
    n = n1 + n2
    rank_sum_first, ties, start = 0.0, 0.0, 0
    while start < n:
        end = start
        while end + 1 < n and values[end + 1][0] == values[start][0]:
            end += 1
        tied = end - start + 1
        average_rank = (start + end) / 2 + 1
        rank_sum_first += average_rank * sum(1 for i in range(start, end + 1) if not values[i][1])
        ties += tied**3 - tied
        start = end + 1
    u = rank_sum_first - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = max(0.0, abs(u - mean) - 0.5) / math.sqrt(variance)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of several p-values (R's p.adjust(method="holm")), in
    the order given: comparing many things at once must not turn chance into findings."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


@dataclass(frozen=True)
class Verdict:
    """What a (corrected) p-value allows one to say, in words."""

    p_value: float

    @property
    def unlikely_chance(self) -> bool:
        return self.p_value < SIGNIFICANCE

    @property
    def words(self) -> str:
        return "unlikely to be chance alone" if self.unlikely_chance else "could easily be chance"
