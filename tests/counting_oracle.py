"""The dashboard's counting as it was before it was made fast (tracker/stats.py,
tracker/guidance/expectations.py and tracker/progress.py at commit 80e0510): the oracle that
tests/test_counting.py holds the fast code to. Kept verbatim but for names; do not optimise.
"""

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from tracker import charts, guidance, stats
from tracker.guidance.expectations import RECENT_DAYS, Practice
from tracker.progress import CHART_WEEKS, Progress, calendar_cells
from tracker.stats import WEEK, Streak, Week, week_state


def week_start_of(day: date, first_weekday: int) -> date:
    """The first day of the week containing `day` (first_weekday: 0 = Monday ... 6 = Sunday).

    The calendar's first week starts on its first day (date.min), whatever the weekday: the
    day before it does not exist.
    """
    if not 0 <= first_weekday <= 6:
        raise ValueError(f"first_weekday must be 0..6, not {first_weekday}")
    back = (day.weekday() - first_weekday) % 7
    return day - timedelta(days=back) if day.toordinal() > back else date.min


def week_starts(first: date, last: date, first_weekday: int) -> list[date]:
    """Starts of the weeks covering `first`..`last` inclusive, oldest first."""
    start = week_start_of(first, first_weekday)
    end = week_start_of(last, first_weekday)
    starts = []
    if start == date.min and date.min.weekday() != first_weekday:
        # The calendar's first week is cut short (see week_start_of); whole weeks follow it.
        starts.append(start)
        start += timedelta(days=(first_weekday - date.min.weekday()) % 7)
    count = (end - start).days // 7 + 1
    return starts + [start + i * WEEK for i in range(max(count, 0))]


def weekly_counts(days: Iterable[date], first_weekday: int) -> Counter[date]:
    """Sessions per week start; pass one date per session."""
    return Counter(week_start_of(day, first_weekday) for day in days)


def _rest_week_starts(rest_weeks: Iterable[date], first_weekday: int) -> set[date]:
    return {week_start_of(day, first_weekday) for day in rest_weeks}


def weeks(
    sessions: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    minimum: int,
    stretch: int,
    rest_weeks: Iterable[date],
    today: date,
    count: int,
) -> list[Week]:
    """The last `count` weeks ending with the current one, oldest first.

    `sessions` holds (local date, minutes) pairs; sessions dated after `today` are ignored so
    that the bars agree with the streak.
    """
    current = week_start_of(today, first_weekday)
    first = current - (count - 1) * WEEK
    rest = _rest_week_starts(rest_weeks, first_weekday)
    counts: Counter[date] = Counter()
    minutes: Counter[date] = Counter()
    for day, session_minutes in sessions:
        if day > today:
            continue
        start = week_start_of(day, first_weekday)
        if start >= first:
            counts[start] += 1
            minutes[start] += session_minutes

    result = []
    for i in range(count):
        start = first + i * WEEK
        is_current = start == current
        is_rest = start in rest
        result.append(
            Week(
                start=start,
                sessions=counts[start],
                minutes=minutes[start],
                state=week_state(
                    counts[start], minimum, stretch, is_current=is_current, is_rest=is_rest
                ),
                is_current=is_current,
                is_rest=is_rest,
            )
        )
    return result


def streaks(
    days: Iterable[date],
    *,
    first_weekday: int,
    minimum: int,
    rest_weeks: Iterable[date],
    today: date,
) -> Streak:
    """Consecutive weeks on target now, and the longest run ever.

    Rest weeks are skipped over. The current week joins the run once it is on target and
    never breaks it while in progress.
    """
    counts = weekly_counts((day for day in days if day <= today), first_weekday)
    if not counts:
        return Streak(current=0, best=0)
    rest = _rest_week_starts(rest_weeks, first_weekday)
    current_week = week_start_of(today, first_weekday)

    run = best = 0
    for start in week_starts(min(counts), today, first_weekday):
        if start in rest:
            continue
        if counts[start] >= minimum:
            run += 1
            best = max(best, run)
        elif start != current_week:
            run = 0
    return Streak(current=run, best=best)


def loop_score(done_days: Iterable[date], numerator: int, denominator: int, today: date) -> float:
    """Loop's score on `today` for a yes/no habit done `numerator` times per `denominator` days.

    Follows `ScoreList.recompute`: the history starts on the first day done, and each day
    scores the share of the target met in a rolling window ending that day.
    """
    if numerator < 1 or denominator < 1:
        raise ValueError("a frequency needs a positive numerator and denominator")
    if numerator == denominator:
        # Loop's Frequency normalises n/n to daily before anything else.
        numerator = denominator = 1
    frequency = numerator / denominator
    if frequency < 1.0:
        # Loop doubles the window for non-daily habits so that doing it on different days
        # from one period to the next still counts as regular.
        numerator *= 2
        denominator *= 2

    done = {day for day in done_days if day <= today}
    if not done:
        return 0.0
    first = min(done)
    length = (today - first).days + 1
    checks = [0] * length
    for day in done:
        checks[(day - first).days] = 1

    multiplier = 0.5 ** (math.sqrt(frequency) / 13.0)
    score = 0.0
    rolling = 0
    for i, check in enumerate(checks):
        rolling += check
        if i >= denominator:
            rolling -= checks[i - denominator]
        completed = min(1.0, rolling / numerator)
        score = score * multiplier + completed * (1 - multiplier)
    return score


def habit_strength(done_days: Iterable[date], per_week: int, today: date) -> float:
    """Loop Habit Tracker's score on `today` for a habit aimed at `per_week` days a week, 0..1.

    Several sessions on one day count as one day done; days after `today` are ignored.
    """
    if not 1 <= per_week <= 7:
        raise ValueError(f"per_week must be 1..7, not {per_week}")
    return loop_score(done_days, per_week, 7, today)


def calendar_days(
    days: Iterable[date], *, first_weekday: int, today: date, weeks: int
) -> list[list[tuple[date, int]]]:
    """A heat-map grid: one row per week (oldest first, ending with the current week).

    Each row holds seven (day, sessions that day) pairs; days after `today` count -1.
    """
    per_day = Counter(days)
    first = week_start_of(today, first_weekday) - (weeks - 1) * WEEK
    grid = []
    for row in range(weeks):
        start = first + row * WEEK
        cells = []
        for offset in range(7):
            day = start + timedelta(days=offset)
            cells.append((day, -1 if day > today else per_day[day]))
        grid.append(cells)
    return grid


def practice(
    rows: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    rest_weeks: Iterable[date],
    today: date,
) -> Practice:
    """Sum up (local date, minutes) pairs as of `today`; later dates are ignored."""
    done = [(day, minutes) for day, minutes in rows if day <= today]
    if not done:
        return Practice(0, 0, 0, 0, 0)
    first = min(day for day, _ in done)
    window_days = min(RECENT_DAYS, (today - first).days + 1)
    since = today - timedelta(days=window_days - 1)
    recent = [minutes for day, minutes in done if day >= since]
    return Practice(
        total_sessions=len(done),
        sessions=len(recent),
        minutes=sum(recent),
        window_days=window_days,
        run_weeks=run_of_weeks(
            [day for day, _ in done],
            first_weekday=first_weekday,
            rest_weeks=rest_weeks,
            today=today,
        ),
    )


def run_of_weeks(
    days: Iterable[date], *, first_weekday: int, rest_weeks: Iterable[date], today: date
) -> int:
    """Consecutive weeks with at least one session, back from this week.

    This week counts once it has a session; until then it neither counts nor breaks the run,
    like a rest week, which is skipped over.
    """
    practised = set(weekly_counts(days, first_weekday))
    rests = {week_start_of(day, first_weekday) for day in rest_weeks}
    week = week_start_of(today, first_weekday)
    first = min(practised, default=week)
    run = 0
    if week in practised:
        run += 1
    week -= WEEK
    while week >= first:
        if week in practised:
            run += 1
        elif week not in rests:
            break
        week -= WEEK
    return run


def progress_of(rows, rest_weeks, profile, today) -> Progress:
    """build_progress as it was, without its two queries."""
    days = [day for day, _ in rows]

    recent = weeks(
        rows,
        first_weekday=profile.week_start,
        minimum=profile.target_min,
        stretch=profile.target_stretch,
        rest_weeks=rest_weeks,
        today=today,
        count=CHART_WEEKS,
    )
    this_week = recent[-1]
    totals = stats.totals(minutes for _, minutes in rows)
    # Loop's score knows at most one check a day.
    strength = habit_strength(days, min(profile.target_min, 7), today)
    summed = practice(rows, first_weekday=profile.week_start, rest_weeks=rest_weeks, today=today)
    return Progress(
        today=today,
        this_week=this_week,
        days_left=(this_week.end - today).days,
        weeks=recent,
        chart=charts.weekly_chart(
            recent, minimum=profile.target_min, stretch=profile.target_stretch
        ),
        calendar=calendar_cells(
            calendar_days(days, first_weekday=profile.week_start, today=today, weeks=CHART_WEEKS),
            today,
            rest_weeks={week.start for week in recent if week.is_rest},
        ),
        streak=streaks(
            days,
            first_weekday=profile.week_start,
            minimum=profile.target_min,
            rest_weeks=rest_weeks,
            today=today,
        ),
        strength=strength,
        strength_ring=charts.ring(strength),
        totals=totals,
        days_since_last=stats.days_since(max(days, default=None), today),
        expectation=guidance.expectation(summed),
        short_average=(
            totals.average_minutes is not None and totals.average_minutes < profile.target_minutes
        ),
        target_slots=range(max(profile.target_stretch, this_week.sessions)),
    )
