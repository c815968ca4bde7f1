import math
from datetime import date, timedelta

import pytest

from tracker.charts import Ring, ring, short_date, weekly_chart
from tracker.stats import Week, week_state

FIRST_MONDAY = date(2025, 10, 13)


def make_weeks(*sessions: int, rest: tuple[int, ...] = ()) -> list[Week]:
    """Weeks with these session counts, the last one being the current week."""
    result = []
    for i, count in enumerate(sessions):
        is_current = i == len(sessions) - 1
        is_rest = i in rest
        result.append(
            Week(
                start=FIRST_MONDAY + timedelta(weeks=i),
                sessions=count,
                minutes=10 * count,
                state=week_state(count, 2, 3, is_current=is_current, is_rest=is_rest),
                is_current=is_current,
                is_rest=is_rest,
            )
        )
    return result


def chart_of(*sessions: int, **kwargs):
    return weekly_chart(make_weeks(*sessions, **kwargs), minimum=2, stretch=3)


def test_bars_are_scaled_to_the_stretch_goal_when_weeks_are_small():
    chart = chart_of(1, 1, 0)

    # 160 high, 20 for labels and 14 on top (for the counts): 126 units for 3 sessions.
    assert chart.max_value == 1
    assert chart.scale_max == 3
    assert chart.baseline == 140
    assert [bar.height for bar in chart.bars] == pytest.approx([42, 42, 0])


def test_the_scale_is_numbered_at_zero_the_target_and_the_top():
    chart = chart_of(1, 2, 5, 0)

    assert [tick.value for tick in chart.ticks] == [0, 2, 3, 5]
    assert [tick.y for tick in chart.ticks] == pytest.approx(
        [140, 140 - 2 * 126 / 5, 140 - 3 * 126 / 5, 14]
    )
    assert [tick.value for tick in chart_of(1, 0).ticks] == [0, 2, 3]
    assert chart.axis_x < chart.plot_left <= min(bar.x for bar in chart.bars)


def test_a_rest_week_and_a_missed_week_are_written_differently_over_their_bars():
    chart = chart_of(0, 0, 4, 1, rest=(1,))

    assert [bar.note for bar in chart.bars] == ["0", "rest", "4", "1"]
    assert [bar.state for bar in chart.bars] == ["missed", "rest", "stretch", "in_progress"]


def test_the_current_week_is_labelled_and_every_third_week_back_from_it():
    chart = chart_of(1, 2, 3, 0, 1)

    assert [bar.label for bar in chart.bars] == ["", "20 Oct", "", "", "This week"]


def test_bars_grow_up_from_the_baseline():
    chart = chart_of(1, 2, 3, 0)

    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.baseline)
    assert chart.bars[2].y == pytest.approx(14)


def test_bars_are_spread_evenly_across_the_width():
    chart = chart_of(1, 2, 3, 0)

    # 16 units on the left for the scale, then four slots of 86, each bar 60 % of its slot.
    assert [bar.x for bar in chart.bars] == pytest.approx([33.2, 119.2, 205.2, 291.2])
    assert all(bar.width == pytest.approx(51.6) for bar in chart.bars)
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width
    assert chart.bars[0].center_x == pytest.approx(59)


def test_a_week_without_sessions_gets_a_zero_height_bar_on_the_baseline():
    bar = chart_of(2, 0, 1).bars[1]

    assert bar.height == 0
    assert bar.y == pytest.approx(140)
    assert bar.value == 0


def test_the_target_band_spans_minimum_to_stretch_in_the_bar_scale():
    chart = chart_of(1, 2, 3, 0)

    assert chart.band_y == pytest.approx(140 - 3 * 42)
    assert chart.band_height == pytest.approx(42)
    # A bar at the minimum reaches the bottom of the band; at the stretch goal, its top.
    on_target, stretch = chart.bars[1], chart.bars[2]
    assert on_target.y == pytest.approx(chart.band_y + chart.band_height)
    assert stretch.y == pytest.approx(chart.band_y)


def test_the_band_is_a_line_when_minimum_and_stretch_are_equal():
    chart = weekly_chart(make_weeks(1, 2), minimum=2, stretch=2)

    assert chart.scale_max == 2
    assert chart.band_height == 0
    assert chart.band_y == pytest.approx(14)


def test_only_the_current_week_is_marked_current():
    chart = chart_of(2, 3, 1)

    assert [bar.is_current for bar in chart.bars] == [False, False, True]
    assert [bar.state for bar in chart.bars] == ["on_target", "stretch", "in_progress"]


def test_bars_carry_short_labels_and_a_text_alternative():
    chart = chart_of(1, 2, 3, 0, rest=(0,))

    assert [bar.label for bar in chart.bars] == ["13 Oct", "", "", "This week"]
    assert [bar.title for bar in chart.bars] == [
        "Week of 13 Oct: 1 session, rest week",
        "Week of 20 Oct: 2 sessions, on target",
        "Week of 27 Oct: 3 sessions, stretch goal reached",
        "Week of 3 Nov (this week): 0 sessions, in progress",
    ]


def test_a_missed_week_says_it_was_below_target():
    assert chart_of(1, 0).bars[0].title == "Week of 13 Oct: 1 session, below target"


def test_the_description_sums_up_the_weeks_in_one_sentence():
    chart = chart_of(1, 2, 3, 0, 2, rest=(0,))

    assert chart.description == (
        "Sessions per week for 5 weeks from 13 Oct to 10 Nov, against a target of 2 to 3"
        " a week: 2 of 3 finished weeks on target, 1 rest week;"
        " this week 2 sessions so far, on target."
    )


def test_labels_sit_below_the_baseline():
    chart = chart_of(1, 2)

    assert chart.baseline < chart.label_y <= chart.height


def test_all_zero_weeks_give_flat_bars_and_keep_the_band_in_view():
    chart = chart_of(0, 0, 0, 0)

    assert chart.max_value == 0
    assert chart.scale_max == 3
    assert all(bar.height == 0 and bar.y == chart.baseline for bar in chart.bars)
    assert 0 < chart.band_y < chart.baseline
    assert chart.description.endswith(
        "0 of 3 finished weeks on target; this week 0 sessions so far, in progress."
    )


def test_one_huge_week_sets_the_scale_and_fills_the_plot():
    chart = chart_of(1, 2, 20, 1)

    assert chart.max_value == 20
    assert chart.scale_max == 20
    tallest = chart.bars[2]
    assert tallest.y == pytest.approx(14)
    assert tallest.height == pytest.approx(126)
    assert chart.bars[0].height == pytest.approx(126 / 20)
    # The band shrinks with the scale but stays between minimum and stretch.
    assert chart.band_y == pytest.approx(140 - 3 * 126 / 20)
    assert chart.band_height == pytest.approx(126 / 20)


def test_no_bar_leaves_the_chart():
    for sessions in [(0, 0), (1, 2, 3), (9, 0, 40, 2)]:
        chart = chart_of(*sessions)
        for bar in chart.bars:
            assert bar.x >= 0 and bar.x + bar.width <= chart.width
            assert bar.y >= 0 and bar.y + bar.height <= chart.baseline + 1e-9


def test_a_custom_size_scales_everything():
    chart = weekly_chart(make_weeks(2, 4), minimum=2, stretch=3, width=200, height=100)

    assert (chart.width, chart.height) == (200, 100)
    assert chart.baseline == 80
    assert chart.bars[1].height == pytest.approx(66)
    assert chart.bars[1].x == pytest.approx(126.4)


def test_a_chart_of_no_weeks_has_no_bars():
    chart = weekly_chart([], minimum=2, stretch=3)

    assert chart.bars == []
    assert chart.max_value == 0
    assert chart.description == "No weeks to show yet."


def test_a_chart_too_short_for_bars_is_refused():
    with pytest.raises(ValueError):
        weekly_chart(make_weeks(1), minimum=2, stretch=3, height=20)


def test_short_dates_do_not_depend_on_the_locale():
    assert short_date(date(2025, 11, 3)) == "3 Nov"
    assert short_date(date(2026, 1, 1)) == "1 Jan"


# Rings


def test_a_ring_fills_its_share_of_the_circumference():
    result = ring(0.25)

    assert result.radius == 40
    assert result.circumference == pytest.approx(2 * math.pi * 40)
    assert result.dash == pytest.approx(result.circumference / 4)
    assert result.gap == pytest.approx(result.circumference * 3 / 4)
    assert result.percent == 25


def test_a_ring_rounds_its_percent_half_up():
    assert ring(0.125).percent == 13
    assert ring(0.655747).percent == 66


@pytest.mark.parametrize(
    ("fraction", "percent"), [(-0.2, 0), (0.0, 0), (1.0, 100), (1.7, 100), (math.nan, 0)]
)
def test_a_ring_clamps_to_empty_or_full(fraction: float, percent: int):
    result = ring(fraction)

    assert result.percent == percent
    assert 0 <= result.dash <= result.circumference
    assert result.dash == pytest.approx(result.circumference * percent / 100)


def test_a_ring_has_room_for_its_stroke():
    result = ring(0.5, radius=30)

    assert isinstance(result, Ring)
    assert result.center == pytest.approx(30 + result.stroke / 2)
    assert result.size == pytest.approx(2 * result.center)
