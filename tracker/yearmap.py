"""A year at a glance: a heat map of 52 weeks, one square a day, and minutes per month.

Pure functions over plain values, like tracker/charts.py: they take an explicit `today` (in
the owner's time zone) and return the geometry the template places. Columns are weeks, oldest
on the left; rows are the days of the week, starting on the owner's first day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker import stats
from tracker.charts import MONTHS, sessions_text, short_date

YEAR_WEEKS = 52
YEAR_MONTHS = 12

# One day's square and the gap after it, in SVG units; the room for the labels around the grid.
CELL = 10.0
STEP = 12.0
LEFT = 30.0
TOP = 16.0
# Room on the right for the last month's name, which starts over the last columns.
RIGHT = 16.0
# The strip under the grid that says how each week stood against the target.
STRIP_GAP = 6.0
STRIP_HEIGHT = 6.0
# A month label needs about three columns; closer ones would run into each other.
MONTH_LABEL_COLUMNS = 3

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class DayCell:
    day: date
    x: float
    y: float
    css_class: str
    title: str


@dataclass(frozen=True)
class WeekMark:
    x: float
    state: str
    title: str


@dataclass(frozen=True)
class WeekRow:
    """One week in the table behind "Show as a table"."""

    start: date
    sessions: int
    minutes: int
    state: str
    label: str


@dataclass(frozen=True)
class Label:
    position: float
    text: str


@dataclass(frozen=True)
class YearMap:
    width: float
    height: float
    cell: float
    days: list[DayCell]
    marks: list[WeekMark]
    months: list[Label]
    weekdays: list[Label]
    strip_y: float
    strip_height: float
    weeks: list[stats.Week]
    table: list[WeekRow]
    description: str
    sessions: int
    minutes: int
    days_practised: int
    on_target: int
    finished: int
    rest: int


def day_class(sessions: int, *, is_rest: bool, is_today: bool) -> str:
    """How full a day's square is drawn: none, one or many sessions; rest weeks are hatched."""
    css_class = "none" if sessions == 0 else "one" if sessions == 1 else "many"
    if is_rest:
        css_class += " rest"
    if is_today:
        css_class += " today"
    return css_class


def day_title(day: date, sessions: int, minutes: int, *, is_rest: bool) -> str:
    text = f"{WEEKDAY_NAMES[day.weekday()]} {short_date(day)} {day.year}: {sessions_text(sessions)}"
    if sessions:
        text += f", {minutes} min"
    if is_rest:
        text += " (rest week)"
    return text


def week_title(week: stats.Week) -> str:
    when = f"Week of {short_date(week.start)} {week.start.year}"
    if week.is_current:
        when += " (this week)"
    return f"{when}: {sessions_text(week.sessions)}, {week.state.label.lower()}"


def not_started_title(week: stats.Week) -> str:
    return f"Week of {short_date(week.start)} {week.start.year}: before you started"


def month_labels(weeks: Sequence[stats.Week]) -> list[Label]:
    """A month's name over the first column that holds its first day, when there is room."""
    labels: list[Label] = []
    last_column = -MONTH_LABEL_COLUMNS
    for column, week in enumerate(weeks):
        first_of_month = next(
            (
                week.start + timedelta(days=offset)
                for offset in range(7)
                if (week.start + timedelta(days=offset)).day == 1
            ),
            None,
        )
        if column == 0 and first_of_month is None:
            # The grid's first column names the month it is in, unless a label follows soon.
            first_of_month = week.start
        if first_of_month is None or column - last_column < MONTH_LABEL_COLUMNS:
            continue
        labels.append(Label(LEFT + column * STEP, MONTHS[first_of_month.month - 1]))
        last_column = column
    # A label squeezed in at the start loses to the real first of the month after it.
    if len(labels) > 1 and labels[1].position - labels[0].position < MONTH_LABEL_COLUMNS * STEP:
        labels.pop(0)
    return labels


def weekday_labels(first_weekday: int) -> list[Label]:
    """Every other row named, from the owner's first day of the week."""
    return [
        Label(TOP + row * STEP + CELL - 1, WEEKDAY_NAMES[(first_weekday + row) % 7])
        for row in range(0, 7, 2)
    ]


def description(
    weeks: Sequence[stats.Week],
    sessions: int,
    days_practised: int,
    on_target: int,
    finished: int,
    rest: int,
) -> str:
    text = (
        f"Sessions per day for the {len(weeks)} weeks from {short_date(weeks[0].start)} "
        f"{weeks[0].start.year} to {short_date(weeks[-1].end)} {weeks[-1].end.year}: "
        f"{sessions_text(sessions)} on {days_practised} day{'' if days_practised == 1 else 's'}, "
        f"{on_target} of {finished} finished weeks on target"
    )
    if rest:
        text += f", {rest} rest week{'' if rest == 1 else 's'}"
    return text + "."


def year_map(
    sessions: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    minimum: int,
    stretch: int,
    rest_weeks: Iterable[date],
    today: date,
    started: date | None = None,
    count: int = YEAR_WEEKS,
) -> YearMap:
    """The last `count` weeks ending with the current one, one square per day up to `today`.

    `sessions` holds (local date, minutes) pairs; days after `today` are left out. Weeks that
    ended before `started` (the person was not using the app yet) are neither missed nor on
    target: they get no mark and do not count.
    """
    rows = [(day, minutes) for day, minutes in sessions if day <= today]
    weeks = stats.weeks(
        rows,
        first_weekday=first_weekday,
        minimum=minimum,
        stretch=stretch,
        rest_weeks=rest_weeks,
        today=today,
        count=count,
    )
    first = weeks[0].start
    per_day: Counter[date] = Counter()
    minutes_per_day: Counter[date] = Counter()
    for day, minutes in rows:
        if day >= first:
            per_day[day] += 1
            minutes_per_day[day] += minutes

    days, marks, table = [], [], []
    for column, week in enumerate(weeks):
        x = LEFT + column * STEP
        for row in range(7):
            day = week.start + timedelta(days=row)
            if day > today:
                break
            days.append(
                DayCell(
                    day=day,
                    x=x,
                    y=TOP + row * STEP,
                    css_class=day_class(per_day[day], is_rest=week.is_rest, is_today=day == today),
                    title=day_title(day, per_day[day], minutes_per_day[day], is_rest=week.is_rest),
                )
            )
        if started is not None and week.end < started and not week.is_rest:
            state, label = "not_started", "Before you started"
            marks.append(WeekMark(x=x, state=state, title=not_started_title(week)))
        else:
            state, label = week.state.value, week.state.label
            marks.append(WeekMark(x=x, state=state, title=week_title(week)))
        table.append(WeekRow(week.start, week.sessions, week.minutes, state, label))

    finished = [
        week
        for week in weeks
        if not week.is_current and not week.is_rest and (started is None or week.end >= started)
    ]
    on_target = sum(
        week.state in (stats.WeekState.ON_TARGET, stats.WeekState.STRETCH) for week in finished
    )
    rest = sum(week.is_rest for week in weeks)
    total_sessions = sum(per_day.values())
    strip_y = TOP + 7 * STEP + STRIP_GAP - (STEP - CELL)
    return YearMap(
        width=LEFT + len(weeks) * STEP + RIGHT,
        height=strip_y + STRIP_HEIGHT + 2,
        cell=CELL,
        days=days,
        marks=marks,
        months=month_labels(weeks),
        weekdays=weekday_labels(first_weekday),
        strip_y=strip_y,
        strip_height=STRIP_HEIGHT,
        weeks=weeks,
        table=table[::-1],
        description=description(
            weeks, total_sessions, len(per_day), on_target, len(finished), rest
        ),
        sessions=total_sessions,
        minutes=sum(minutes_per_day.values()),
        days_practised=len(per_day),
        on_target=on_target,
        finished=len(finished),
        rest=rest,
    )


# Minutes per month: bars like the weekly chart's, one per calendar month.
MONTH_PLOT_TOP = 8.0
MONTH_LABEL_HEIGHT = 20.0
MONTH_BAR_SHARE = 0.6


@dataclass(frozen=True)
class MonthBar:
    start: date
    sessions: int
    minutes: int
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    is_current: bool

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    bars: list[MonthBar]
    baseline: float
    label_y: float
    max_minutes: int
    description: str


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the last `count` calendar months, ending with `today`'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def month_chart(
    sessions: Iterable[tuple[date, int]],
    *,
    today: date,
    count: int = YEAR_MONTHS,
    width: int = 360,
    height: int = 140,
) -> MonthChart:
    """Bars of minutes per calendar month for the last `count` months, this one last."""
    starts = month_starts(today, count)
    minutes: Counter[date] = Counter()
    sessions_per_month: Counter[date] = Counter()
    for day, session_minutes in sessions:
        if starts[0] <= day <= today:
            key = day.replace(day=1)
            minutes[key] += session_minutes
            sessions_per_month[key] += 1

    baseline = height - MONTH_LABEL_HEIGHT
    plot_height = baseline - MONTH_PLOT_TOP
    max_minutes = max(minutes.values(), default=0)
    unit = plot_height / max_minutes if max_minutes else 0.0
    slot = width / count
    bar_width = slot * MONTH_BAR_SHARE
    bars = []
    for i, start in enumerate(starts):
        bar_height = minutes[start] * unit
        name = MONTHS[start.month - 1]
        is_current = start == starts[-1]
        title = (
            f"{name} {start.year}{' (so far)' if is_current else ''}: {minutes[start]} min, "
            f"{sessions_text(sessions_per_month[start])}"
        )
        bars.append(
            MonthBar(
                start=start,
                sessions=sessions_per_month[start],
                minutes=minutes[start],
                x=i * slot + (slot - bar_width) / 2,
                y=baseline - bar_height,
                width=bar_width,
                height=bar_height,
                label=name[0] if width < count * 24 else name,
                title=title,
                is_current=is_current,
            )
        )
    total = sum(minutes.values())
    busiest = max(bars, key=lambda bar: bar.minutes)
    text = f"Minutes per month from {MONTHS[starts[0].month - 1]} {starts[0].year} to "
    text += f"{MONTHS[starts[-1].month - 1]} {starts[-1].year}: {total} min in all"
    if total:
        text += f", most in {MONTHS[busiest.start.month - 1]} {busiest.start.year} "
        text += f"({busiest.minutes} min)"
    return MonthChart(
        width=width,
        height=height,
        bars=bars,
        baseline=baseline,
        label_y=height - 6,
        max_minutes=max_minutes,
        description=text + ".",
    )
