"""What to expect at this point of the practice actually logged, not of the calendar.

Pure functions over plain values with an explicit `today` (the owner's local date): the stage
follows the run of weeks with practice in them, and the card reports the sessions and minutes
of recent weeks beside what the studies did.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker import stats
from tracker.guidance.texts import DOSE, Guidance, say

RECENT_DAYS = 28

START = say(
    "expect-start",
    "Aim for sessions you can keep up: practitioners suggest 2 to 4 a week, and most "
    "self-massage studies used 3 to 5 minutes a session. Take a first photo before your first "
    "session, so you have something fair to compare with later.",
    "practitioner-frequency",
    "flament-2023",
    "miyaji-2018",
    "dubinskaya-2023",
)
EARLY = say(
    "expect-early",
    "After 2 weeks of daily self-massage, two small studies reported visible change: 50 women "
    "who massaged 3 minutes a day (graded by experts; a L'Oréal study) and 5 people who "
    "massaged twice a day (CT scans). Neither had a control group, so the change cannot be told "
    "apart from time or chance.",
    "flament-2023",
    "okuda-2022",
)
MIDDLE = say(
    "expect-middle",
    "The studies of 4 to 8 weeks tested devices, not hands: an oscillating device with an "
    "anti-aging cream did better than the cream alone after 8 weeks (42 women aged 65 to 75, a "
    "L'Oréal study), and a roller used daily for 5 weeks changed how the cheek's vessels respond "
    "to heat (14 people, funded by the roller's maker). Compare photos taken the same way, "
    "before a session.",
    "caberlotto-2017",
    "miyaji-2018",
)
LONG = say(
    "expect-long",
    "Only facial exercise, not massage, was studied this long: 30 minutes a day for 8 weeks, "
    "then every other day; by week 20, estimated age had fallen from 50.8 to 48.1 years. "
    "16 of the 27 women finished, and there was no control group. Changes this slow are easy "
    "to miss day to day, which is what photo comparisons are for.",
    "alam-2018",
)
SETTLED = say(
    "expect-settled",
    "You have practised longer than the studies lasted: the longest, of facial exercise, ran 20 "
    "weeks. A review found no controlled trial of facial exercise, so the evidence for the long "
    "run is thin; your own photos, taken the same way before a session, are the fairest judge.",
    "alam-2018",
    "van-borsel-2014",
)
AGAIN = say(
    "expect-again",
    "The changes studies reported came with daily practice over 2 to 20 weeks, and a session's "
    "extra blood flow fades within the hour: count your weeks again from your next session.",
    "flament-2023",
    "alam-2018",
    "dubinskaya-2023",
)

STAGES = (START, EARLY, MIDDLE, LONG, SETTLED, AGAIN)


@dataclass(frozen=True)
class Practice:
    """What was logged: all sessions, the recent window, and the run of weeks practised."""

    total_sessions: int
    sessions: int
    minutes: int
    window_days: int
    run_weeks: int

    @property
    def per_week(self) -> float | None:
        # A rate over a few days says little: only from a week of history on.
        if self.window_days < 7:
            return None
        return self.sessions * 7 / self.window_days

    @property
    def average_minutes(self) -> float | None:
        return self.minutes / self.sessions if self.sessions else None


@dataclass(frozen=True)
class Expectation:
    title: str
    practice_line: str
    guidance: Guidance
    dose: Guidance = DOSE


def practice(
    rows: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    rest_weeks: Iterable[date],
    today: date,
) -> Practice:
    """Sum up (local date, minutes) pairs as of `today`; later dates are ignored."""
    return practice_of(
        stats.tally(rows, first_weekday=first_weekday, rest_weeks=rest_weeks, today=today)
    )


def practice_of(counted: stats.Tally) -> Practice:
    """practice() from a tally of the sessions."""
    per_day = counted.per_day
    if not per_day:
        return Practice(0, 0, 0, 0, 0)
    today = counted.today
    window_days = min(RECENT_DAYS, (today - min(per_day)).days + 1)
    recent = counted.minutes_since(today - timedelta(days=window_days - 1))
    return Practice(
        total_sessions=len(counted.sessions),
        sessions=len(recent),
        minutes=sum(recent),
        window_days=window_days,
        run_weeks=run_of_practised_weeks(
            counted.per_week, rest=counted.rest, current=counted.current_week
        ),
    )


def run_of_weeks(
    days: Iterable[date], *, first_weekday: int, rest_weeks: Iterable[date], today: date
) -> int:
    """Consecutive weeks with at least one session, back from this week.

    This week counts once it has a session; until then it neither counts nor breaks the run,
    like a rest week, which is skipped over.
    """
    return run_of_practised_weeks(
        stats.weekly_counts(days, first_weekday),
        rest={stats.week_start_of(day, first_weekday) for day in rest_weeks},
        current=stats.week_start_of(today, first_weekday),
    )


def run_of_practised_weeks(
    practised: Collection[date], *, rest: Collection[date], current: date
) -> int:
    """run_of_weeks() from the starts of the weeks practised and of the rest weeks."""
    week = current
    first = min(practised, default=week)
    run = 0
    if week in practised:
        run += 1
    week -= stats.WEEK
    while week >= first:
        if week in practised:
            run += 1
        elif week not in rest:
            break
        week -= stats.WEEK
    return run


def expectation(practice: Practice) -> Expectation:
    """The honest expectation for the practice logged so far."""
    line = practice_line(practice)
    weeks = practice.run_weeks
    if practice.total_sessions == 0:
        return Expectation("Getting started", line, START)
    if weeks == 0:
        return Expectation("Starting again", line, AGAIN)
    prefix = f"Week {weeks} of regular practice"
    if weeks <= 2:
        return Expectation(f"{prefix}: building the habit", line, EARLY)
    if weeks <= 8:
        return Expectation(f"{prefix}: keep going", line, MIDDLE)
    if weeks <= 20:
        return Expectation(f"{prefix}: the long middle", line, LONG)
    return Expectation(f"{prefix}: a settled practice", line, SETTLED)


def practice_line(practice: Practice) -> str:
    """The person's own numbers, in words."""
    if practice.total_sessions == 0:
        return "No sessions logged yet."
    if practice.sessions == 0:
        return f"No sessions in the last {RECENT_DAYS // 7} weeks."
    if practice.window_days == RECENT_DAYS:
        when = f"In the last {RECENT_DAYS // 7} weeks"
    elif practice.window_days == 1:
        when = "Today"
    else:
        when = f"In your first {practice.window_days} days"
    count = f"{practice.sessions} session{'' if practice.sessions == 1 else 's'}"
    text = f"{when}: {count}, {practice.minutes} minutes in all"
    per_week = practice.per_week
    if per_week is not None:
        text += f", about {per_week:.1f} a week".replace(".0 a week", " a week")
    average = practice.average_minutes
    text += f", {average:.0f} minutes each." if practice.sessions > 1 else "."
    return text
