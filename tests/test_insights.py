"""What goes with a reaction, pure: the counts, the minimum, "not recorded", the correction."""

from datetime import date

import pytest

from tracker.insights import MIN_SESSIONS, SessionRow, compare, months_before
from tracker.statistics import fisher_exact, holm

TODAY = date(2026, 11, 18)
SINCE = date(2026, 5, 18)
ROSEHIP = (7, "Rosehip oil")


def rows(reacted_with, total_with, reacted_without, total_without, **extra):
    """Sessions with and without rosehip oil, some followed by redness."""
    made = []
    for count, total, products in (
        (reacted_with, total_with, (ROSEHIP,)),
        (reacted_without, total_without, ()),
    ):
        made += [
            SessionRow(
                reaction="redness" if n < count else "none", pressure="gentle", products=products
            )
            for n in range(total)
        ]
    return [*made, SessionRow(**extra)] if extra else made


def rosehip(insights):
    return next(c for c in insights.comparisons if c.name == "Rosehip oil")


def test_the_counts_read_as_sessions_with_and_without():
    insights = compare(rows(3, 4, 1, 30), since=SINCE, today=TODAY)

    oil = rosehip(insights)
    assert (oil.with_it.reacted, oil.with_it.sessions) == (3, 4)
    assert (oil.without_it.reacted, oil.without_it.sessions) == (1, 30)
    assert insights.reaction_word == "Redness"
    assert oil.with_it.kinds == (("Redness", 3),)
    assert oil.phrase == "with “Rosehip oil”"


def test_below_five_sessions_with_it_it_is_too_few_to_tell():
    oil = rosehip(compare(rows(3, 4, 1, 30), since=SINCE, today=TODAY))

    assert MIN_SESSIONS == 5
    assert not oil.enough
    assert oil.verdict is None and oil.p_value is None


def test_below_five_sessions_without_it_it_is_too_few_to_tell_too():
    oil = rosehip(compare(rows(3, 30, 1, 4), since=SINCE, today=TODAY))

    assert not oil.enough


def test_with_enough_sessions_fishers_test_is_said_in_words():
    insights = compare(rows(8, 10, 1, 30), since=SINCE, today=TODAY)

    oil = rosehip(insights)
    assert oil.enough
    assert oil.p_value == pytest.approx(fisher_exact(8, 2, 1, 29))
    assert oil.verdict.words == "unlikely to be chance alone"
    assert oil.direction == "more often"
    assert oil in insights.findings


def test_holms_correction_runs_across_every_comparison_on_the_page():
    # Rosehip oil, gentle pressure and a technique used in some sessions: three tests.
    made = rows(4, 10, 2, 20)
    made = [
        SessionRow(
            r.reaction, r.pressure, techniques=("rolling",) if n % 2 else (), products=r.products
        )
        for n, r in enumerate(made)
    ]
    made += [SessionRow("none", "firm") for _ in range(6)]

    insights = compare(made, since=SINCE, today=TODAY)

    tested = insights.tested
    assert len(tested) == 4  # rosehip, rolling, gentle, firm
    assert [c.adjusted for c in tested] == pytest.approx(holm([c.p_value for c in tested]))


def test_not_recorded_is_left_out_of_both_sides_not_counted_as_no_reaction():
    made = rows(2, 5, 0, 5) + [SessionRow("", "gentle", products=(ROSEHIP,)) for _ in range(10)]

    insights = compare(made, since=SINCE, today=TODAY)

    oil = rosehip(insights)
    assert (oil.with_it.reacted, oil.with_it.sessions) == (2, 5)
    assert insights.not_recorded == 10
    assert insights.recorded == 10


def test_several_kinds_of_reaction_are_called_a_reaction_and_listed():
    made = [*rows(2, 6, 0, 6), SessionRow("breakout", "gentle", products=(ROSEHIP,))]

    insights = compare(made, since=SINCE, today=TODAY)

    assert insights.reaction_word == "A reaction"
    assert rosehip(insights).with_it.kinds == (("Redness", 2), ("Breakout", 1))


def test_every_kind_of_thing_is_compared_in_the_order_of_the_page():
    made = [
        SessionRow(
            "none",
            "medium",
            techniques=("gua_sha",),
            areas=("jawline",),
            tools=((3, "Gua sha stone"),),
            products=(ROSEHIP,),
        )
    ]

    insights = compare(made, since=SINCE, today=TODAY)

    assert [(label, [c.name for c in items]) for label, items in insights.by_kind()] == [
        ("Products", ["Rosehip oil"]),
        ("Tools", ["Gua sha stone"]),
        ("Techniques", ["Gua sha scraping"]),
        ("Areas", ["Jawline"]),
        ("Pressure", ["Medium"]),
    ]


def test_no_sessions_compare_nothing():
    insights = compare([], since=SINCE, today=TODAY)

    assert insights.sessions == 0 and insights.comparisons == [] and insights.findings == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 18), date(2026, 5, 18)),
        (date(2026, 8, 31), date(2026, 2, 28)),
        (date(2028, 8, 31), date(2028, 2, 29)),
        (date(2026, 3, 15), date(2025, 9, 15)),
    ],
)
def test_six_months_before_is_the_same_day_or_the_months_last(day, expected):
    assert months_before(day, 6) == expected
