"""Geometry for the server-rendered SVG charts.

Pure functions that return plain data; templates only place it. SVG's y axis grows downward,
so a bar's `y` is its top edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker import stats

# Room above the tallest bar (for its count) and below the baseline for the week labels.
PLOT_TOP = 14.0
# Room on the left for the scale's numbers.
PLOT_LEFT = 16.0
LABEL_HEIGHT = 20.0
LABEL_OFFSET = 6.0
# Share of each week's slot taken by its bar; the rest is the gap between bars.
BAR_SHARE = 0.6
RING_STROKE = 8.0

# Month names spelt out here because strftime("%b") follows the process locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: date) -> str:
    """A compact label such as "3 Nov"."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def sessions_text(count: int) -> str:
    return f"{count} session" if count == 1 else f"{count} sessions"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    state: str
    is_current: bool
    title: str
    # What is written over the bar: its count, or "rest" for a rest week (a missed week and a
    # rest week both have no bar, and must not look alike).
    note: str = ""

    @property
    def note_y(self) -> float:
        return self.y - 3

    @property
    def center_x(self) -> float:
        """Where the week label is centred."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    """A line across the plot at `value` sessions, numbered on the left."""

    value: int
    y: float


@dataclass(frozen=True)
class WeeklyChart:
    width: int
    height: int
    bars: list[Bar]
    band_y: float
    band_height: float
    max_value: int
    description: str
    scale_max: int
    baseline: float
    label_y: float
    ticks: list[Tick]
    plot_left: float
    minimum: int
    stretch: int

    @property
    def plot_width(self) -> float:
        return self.width - self.plot_left

    @property
    def plot_top(self) -> float:
        return PLOT_TOP

    @property
    def plot_height(self) -> float:
        """From the top of the scale to the baseline: a rest week's shading fills it."""
        return self.baseline - PLOT_TOP

    @property
    def axis_x(self) -> float:
        """Where the scale's numbers end (right-aligned), just left of the plot."""
        return self.plot_left - 4

    @property
    def target_text(self) -> str:
        return (
            f"{self.minimum}"
            if self.minimum == self.stretch
            else f"{self.minimum}\N{EN DASH}{self.stretch}"
        )


def bar_title(week: stats.Week) -> str:
    """The text alternative for one week's bar."""
    when = f"Week of {short_date(week.start)}"
    if week.is_current:
        when += " (this week)"
    return f"{when}: {sessions_text(week.sessions)}, {week.state.label.lower()}"


def chart_description(weeks: Sequence[stats.Week], minimum: int, stretch: int) -> str:
    """One sentence that says what the bars show, for the chart's <desc>."""
    if not weeks:
        return "No weeks to show yet."
    target = f"{minimum}" if minimum == stretch else f"{minimum} to {stretch}"
    finished = [week for week in weeks if not week.is_current and not week.is_rest]
    on_target = [
        week
        for week in finished
        if week.state in (stats.WeekState.ON_TARGET, stats.WeekState.STRETCH)
    ]
    rest_count = sum(week.is_rest and not week.is_current for week in weeks)

    parts = [
        f"Sessions per week for {len(weeks)} weeks from {short_date(weeks[0].start)} "
        f"to {short_date(weeks[-1].start)}, against a target of {target} a week: "
        f"{len(on_target)} of {len(finished)} finished weeks on target"
    ]
    if rest_count:
        parts.append(f", {rest_count} rest week{'' if rest_count == 1 else 's'}")
    current = next((week for week in weeks if week.is_current), None)
    if current is not None:
        parts.append(
            f"; this week {sessions_text(current.sessions)} so far, {current.state.label.lower()}"
        )
    return "".join(parts) + "."


def weekly_chart(
    weeks: Sequence[stats.Week],
    *,
    minimum: int,
    stretch: int,
    width: int = 360,
    height: int = 160,
) -> WeeklyChart:
    """Bars of sessions per week, with the target range drawn as a band behind them."""
    baseline = height - LABEL_HEIGHT
    plot_height = baseline - PLOT_TOP
    if plot_height <= 0:
        raise ValueError(f"a chart {height} high leaves no room for bars")

    max_value = max((week.sessions for week in weeks), default=0)
    # From 0 to the best week, and at least to the stretch goal, so that the band is in view.
    scale_max = max(max_value, stretch, 1)
    unit = plot_height / scale_max

    bars = []
    slot = (width - PLOT_LEFT) / len(weeks) if weeks else 0.0
    bar_width = slot * BAR_SHARE
    for i, week in enumerate(weeks):
        bar_height = week.sessions * unit
        # Every third week is labelled, back from this one: at 360 px every other week's
        # label still ran into "This week".
        labelled = (len(weeks) - 1 - i) % 3 == 0
        bars.append(
            Bar(
                x=PLOT_LEFT + i * slot + (slot - bar_width) / 2,
                y=baseline - bar_height,
                width=bar_width,
                height=bar_height,
                label=("This week" if week.is_current else short_date(week.start))
                if labelled
                else "",
                value=week.sessions,
                state=week.state.value,
                is_current=week.is_current,
                title=bar_title(week),
                note="rest" if week.is_rest and not week.sessions else str(week.sessions),
            )
        )

    return WeeklyChart(
        width=width,
        height=height,
        bars=bars,
        band_y=baseline - stretch * unit,
        band_height=(stretch - minimum) * unit,
        max_value=max_value,
        description=chart_description(weeks, minimum, stretch),
        scale_max=scale_max,
        baseline=baseline,
        label_y=height - LABEL_OFFSET,
        ticks=[
            Tick(value, baseline - value * unit)
            for value in sorted({0, minimum, stretch, scale_max})
        ],
        plot_left=PLOT_LEFT,
        minimum=minimum,
        stretch=stretch,
    )


@dataclass(frozen=True)
class Ring:
    radius: float
    circumference: float
    dash: float
    percent: int

    @property
    def gap(self) -> float:
        """The undrawn rest of the circle, for stroke-dasharray."""
        return self.circumference - self.dash

    @property
    def stroke(self) -> float:
        return RING_STROKE

    @property
    def center(self) -> float:
        """Centre coordinate in a square viewBox that fits the ring and its stroke."""
        return self.radius + RING_STROKE / 2

    @property
    def size(self) -> float:
        """Side of that square viewBox."""
        return 2 * self.center


def ring(fraction: float, radius: float = 40) -> Ring:
    """A progress ring filled to `fraction` (clamped to 0..1), e.g. habit strength."""
    if math.isnan(fraction):
        fraction = 0.0
    fraction = min(max(fraction, 0.0), 1.0)
    circumference = 2 * math.pi * radius
    return Ring(
        radius=radius,
        circumference=circumference,
        dash=circumference * fraction,
        # Round half up: Python's round() would show 0.125 as 12%.
        percent=math.floor(fraction * 100 + 0.5),
    )
