"""The dashboard's numbers: a constant handful of queries feeding the pure functions in stats."""

from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from django.urls import reverse

from tracker import charts, guidance, stats
from tracker.models import FIRST_DAY, MassageSession, Profile, RestWeek

CHART_WEEKS = 12


@dataclass(frozen=True)
class Progress:
    today: object
    this_week: stats.Week
    days_left: int
    weeks: list[stats.Week]
    chart: charts.WeeklyChart
    calendar: list["CalendarWeek"]
    streak: stats.Streak
    strength: float
    strength_ring: charts.Ring
    totals: stats.Totals
    days_since_last: int | None
    expectation: guidance.Expectation
    short_average: bool
    target_slots: range


def build_progress(user, profile: Profile) -> Progress:
    """Everything the dashboard shows about the habit, from two queries."""
    today = profile.today()
    # Only days the app accepts: a row stored some other way, at the calendar's edge, would
    # have the counting walk through thousands of years.
    rows = list(
        MassageSession.objects.for_user(user)
        .filter(local_date__range=(FIRST_DAY, today))
        .values_list("local_date", "minutes")
    )
    rest_weeks = list(RestWeek.objects.for_user(user).values_list("week_start", flat=True))
    return progress_of(rows, rest_weeks, profile, today)


def progress_of(
    rows: list[tuple[date, int]], rest_weeks: list[date], profile: Profile, today: date
) -> Progress:
    """The dashboard's figures from (local date, minutes) pairs and rest weeks, as of `today`.

    Pure: only the profile's targets and first weekday are read.
    """
    # Counted once, for every figure below.
    counted = stats.tally(
        rows, first_weekday=profile.week_start, rest_weeks=rest_weeks, today=today
    )
    recent = stats.recent_weeks(
        counted, minimum=profile.target_min, stretch=profile.target_stretch, count=CHART_WEEKS
    )
    this_week = recent[-1]
    totals = stats.totals(map(itemgetter(1), rows))
    # Loop's score knows at most one check a day.
    strength = stats.habit_strength(counted.per_day, min(profile.target_min, 7), today)
    return Progress(
        today=today,
        this_week=this_week,
        days_left=(this_week.end - today).days,
        weeks=recent,
        chart=charts.weekly_chart(
            recent, minimum=profile.target_min, stretch=profile.target_stretch
        ),
        calendar=calendar_cells(
            stats.calendar_grid(
                counted.per_day, first_weekday=profile.week_start, today=today, weeks=CHART_WEEKS
            ),
            today,
            rest_weeks={week.start for week in recent if week.is_rest},
        ),
        streak=stats.streak(counted, minimum=profile.target_min),
        strength=strength,
        strength_ring=charts.ring(strength),
        totals=totals,
        days_since_last=stats.days_since(max(counted.per_day, default=None), today),
        expectation=guidance.expectation(guidance.practice_of(counted)),
        short_average=(
            totals.average_minutes is not None and totals.average_minutes < profile.target_minutes
        ),
        target_slots=range(max(profile.target_stretch, this_week.sessions)),
    )


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made the
# 84 cells cost 40 µs more on every dashboard render.
@dataclass(slots=True)
class CalendarDay:
    day: date
    css_class: str
    label: str
    # History's week with this day's sessions; only days with sessions have one.
    link: str = ""


@dataclass(frozen=True)
class CalendarWeek:
    # The month's short name on the week where it begins (and on the first week shown).
    month: str
    days: list[CalendarDay]


def calendar_cells(
    grid: list[list[tuple[date, int]]], today: date, rest_weeks: set[date] = frozenset()
) -> list[CalendarWeek]:
    """The heat map's cells with their class and spoken label worked out here, not in the
    template: 84 cells of template logic were over half of the progress part's rendering."""
    history = reverse("tracker:history")
    weeks = []
    for i, row in enumerate(grid):
        starts_month = next((day for day, _ in row if day.day == 1), None)
        month_of = starts_month or (row[0][0] if i == 0 and row else None)
        rest = bool(row) and row[0][0] in rest_weeks
        weeks.append(
            CalendarWeek(
                month=charts.MONTHS[month_of.month - 1] if month_of else "",
                days=[calendar_day(day, count, today, rest, history) for day, count in row],
            )
        )
    return weeks


def calendar_day(
    day: date, sessions: int, today: date, rest: bool = False, history: str = ""
) -> CalendarDay:
    link = ""
    if sessions < 0:
        css_class, text = "future", "to come"
    else:
        css_class = "none" if sessions == 0 else "one" if sessions == 1 else "many"
        text = f"{sessions} session{'' if sessions == 1 else 's'}"
        if sessions > 0 and history:
            link = f"{history}?week={day.isoformat()}"
    if rest:
        css_class += " rest"
        text += ", rest week"
    if day == today:
        css_class += " today"
    # Plain formatting: Django's date filter costs ~30 µs a call, and there are 84 cells.
    label = f"{WEEKDAYS[day.weekday()]} {charts.short_date(day)}: {text}"
    return CalendarDay(day, css_class, label, link)
