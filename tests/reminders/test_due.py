"""When a reminder falls due, whether it goes out, and what it says: pure functions."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.readers import private_words_in
from tracker.reminders.due import (
    Mode,
    Skip,
    Standing,
    is_late,
    local_moment,
    message,
    next_occurrence,
    seconds_until_end_of_day,
    skip_reason,
    standing,
)

PARIS = ZoneInfo("Europe/Paris")
AUCKLAND = ZoneInfo("Pacific/Auckland")
EVERY_DAY = frozenset(range(7))
MONDAY, SATURDAY, SUNDAY = 0, 5, 6


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def occurrences(after: datetime, count: int, **plan) -> list[datetime]:
    found = []
    for _ in range(count):
        after = next_occurrence(after, **plan)
        found.append(after)
    return found


# Time zones ---------------------------------------------------------------------------------


def test_eight_in_paris_stays_at_eight_when_the_clocks_go_forward_in_march_2027():
    # Summer time starts on Sunday 28 March 2027: 08:00 is 07:00 UTC before, 06:00 after.
    found = occurrences(utc(2027, 3, 26, 12), 3, days=EVERY_DAY, at=time(8), zone=PARIS)

    assert found == [utc(2027, 3, 27, 7), utc(2027, 3, 28, 6), utc(2027, 3, 29, 6)]
    assert {moment.astimezone(PARIS).time() for moment in found} == {time(8)}


def test_eight_in_paris_stays_at_eight_when_the_clocks_go_back_in_october_2027():
    # Summer time ends on Sunday 31 October 2027.
    found = occurrences(utc(2027, 10, 29, 12), 3, days=EVERY_DAY, at=time(8), zone=PARIS)

    assert found == [utc(2027, 10, 30, 6), utc(2027, 10, 31, 7), utc(2027, 11, 1, 7)]
    assert {moment.astimezone(PARIS).time() for moment in found} == {time(8)}


def test_a_time_skipped_by_the_clocks_comes_as_late_as_the_change_and_a_doubled_time_once():
    # 02:30 does not exist in Paris on 28 March 2027, and happens twice on 31 October.
    spring = next_occurrence(utc(2027, 3, 27, 12), days=EVERY_DAY, at=time(2, 30), zone=PARIS)
    autumn = occurrences(utc(2027, 10, 30, 12), 2, days=EVERY_DAY, at=time(2, 30), zone=PARIS)

    assert spring == utc(2027, 3, 28, 1, 30)
    assert spring.astimezone(PARIS).time() == time(3, 30)
    assert autumn == [utc(2027, 10, 31, 0, 30), utc(2027, 11, 1, 1, 30)]


def test_eight_in_auckland_is_the_previous_evening_in_utc_across_both_of_its_changes():
    # New Zealand's summer time ends on 4 April 2027 and starts again on 26 September 2027.
    april = occurrences(utc(2027, 4, 2, 12), 3, days=EVERY_DAY, at=time(8), zone=AUCKLAND)
    september = occurrences(utc(2027, 9, 24, 12), 3, days=EVERY_DAY, at=time(8), zone=AUCKLAND)

    assert april == [utc(2027, 4, 2, 19), utc(2027, 4, 3, 20), utc(2027, 4, 4, 20)]
    assert september == [utc(2027, 9, 24, 20), utc(2027, 9, 25, 19), utc(2027, 9, 26, 19)]


def test_the_day_is_the_persons_own_day_not_the_servers():
    # Sunday 12:00 UTC is already Monday 01:00 in Auckland: Monday's reminder is hours away.
    found = next_occurrence(utc(2027, 1, 3, 12), days={MONDAY}, at=time(8), zone=AUCKLAND)

    assert found == utc(2027, 1, 3, 19)
    assert found.astimezone(AUCKLAND).date() == date(2027, 1, 4)


def test_the_next_reminder_is_strictly_later_and_a_week_on_when_only_todays_is_past():
    monday_eight = utc(2027, 1, 4, 7)  # 08:00 in Paris

    assert next_occurrence(monday_eight, days={MONDAY}, at=time(8), zone=PARIS) == utc(
        2027, 1, 11, 7
    )
    assert next_occurrence(
        monday_eight - timedelta(seconds=1), days={MONDAY}, at=time(8), zone=PARIS
    ) == (monday_eight)


def test_no_day_chosen_means_no_reminder_and_a_naive_time_is_refused():
    assert next_occurrence(utc(2027, 1, 4), days=set(), at=time(8), zone=PARIS) is None
    with pytest.raises(ValueError):
        next_occurrence(datetime(2027, 1, 4), days={MONDAY}, at=time(8), zone=PARIS)


ZONES = ["Europe/Paris", "Pacific/Auckland", "America/New_York", "Asia/Kolkata", "UTC"]


@given(
    after=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    at=st.times(),
    zone=st.sampled_from(ZONES),
)
def test_the_next_reminder_is_the_first_planned_local_time_after_any_moment(after, days, at, zone):
    tz = ZoneInfo(zone)
    after = after.replace(tzinfo=UTC)

    found = next_occurrence(after, days=days, at=at, zone=tz)

    assert after < found <= after + timedelta(days=8)
    local = found.astimezone(tz)
    assert local.weekday() in days
    assert local_moment(local.date(), at, tz) == found
    # Nothing planned in between: every earlier planned moment was at or before `after`.
    day = after.astimezone(tz).date() - timedelta(days=1)
    while day < local.date():
        if day.weekday() in days:
            assert local_moment(day, at, tz) <= after
        day += timedelta(days=1)


# Where the week stands ----------------------------------------------------------------------


def test_days_left_count_today_and_the_week_starts_on_the_persons_first_day():
    # 2027-01-09 is a Saturday: the last day of a Sunday-first week, the sixth of a Monday one.
    sessions = [date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 8)]

    sunday_first = standing(sessions, today=date(2027, 1, 9), first_weekday=SUNDAY, minimum=2)
    monday_first = standing(sessions, today=date(2027, 1, 9), first_weekday=MONDAY, minimum=2)
    new_week = standing(sessions, today=date(2027, 1, 10), first_weekday=SUNDAY, minimum=2)

    assert (sunday_first.done, sunday_first.left) == (2, 1)  # Sunday 3rd and Friday 8th
    assert (monday_first.done, monday_first.left) == (1, 2)  # Friday 8th only
    assert (new_week.done, new_week.left) == (0, 7)


def test_sessions_later_in_the_week_than_today_do_not_count_yet():
    state = standing([date(2027, 1, 8)], today=date(2027, 1, 6), first_weekday=MONDAY, minimum=2)
    assert state.done == 0


@pytest.mark.parametrize(
    ("done", "left", "behind"),
    [
        (0, 4, False),  # two needed, four days: two spare
        (0, 3, True),  # two needed, three days: one spare
        (0, 2, True),
        (1, 3, False),  # one needed, three days
        (1, 2, True),  # one needed, two days: one spare
        (1, 1, True),
        (2, 1, False),  # on target
        (3, 7, False),
    ],
)
def test_behind_means_at_most_one_spare_day(done, left, behind):
    assert Standing(done=done, minimum=2, left=left).behind is behind


@pytest.mark.parametrize(
    ("done", "left", "when_behind", "always"),
    [
        (0, 4, Skip.NOT_BEHIND, None),
        (0, 3, None, None),
        (1, 3, Skip.NOT_BEHIND, None),
        (1, 2, None, None),
        (2, 5, Skip.ON_TARGET, None),
        (4, 1, Skip.ON_TARGET, None),
    ],
)
def test_only_when_behind_sends_around_the_target_and_always_sends_regardless(
    done, left, when_behind, always
):
    state = Standing(done=done, minimum=2, left=left)
    quiet = {"rest_week": False, "session_today": False}

    assert skip_reason(state, mode=Mode.WHEN_BEHIND, **quiet) == when_behind
    assert skip_reason(state, mode=Mode.ALWAYS, **quiet) == always


@pytest.mark.parametrize("mode", list(Mode))
def test_no_reminder_in_a_rest_week_or_on_a_day_with_a_session_in_either_mode(mode):
    behind = Standing(done=0, minimum=2, left=2)

    assert skip_reason(behind, mode=mode, rest_week=True, session_today=False) == Skip.REST_WEEK
    assert skip_reason(behind, mode=mode, rest_week=False, session_today=True) == (
        Skip.SESSION_TODAY
    )


def test_a_reminder_more_than_an_hour_late_is_dropped():
    at = utc(2027, 1, 4, 7)
    assert not is_late(at, at + timedelta(minutes=59))
    assert is_late(at, at + timedelta(minutes=61))


def test_a_push_lives_until_the_persons_midnight():
    # 21:00 in Paris on a winter evening: three hours to midnight.
    assert seconds_until_end_of_day(utc(2027, 1, 4, 20), PARIS) == 3 * 3600


# What it says -------------------------------------------------------------------------------


def test_the_reminder_says_where_the_person_stands():
    assert message(Standing(done=1, minimum=2, left=3)).body == "1 of 2 this week, 3 days left."
    assert message(Standing(done=1, minimum=2, left=2)).body == (
        "1 of 2 this week, 2 days left. A session today keeps the target within reach."
    )
    assert message(Standing(done=0, minimum=3, left=7)).body == "0 of 3 this week, 7 days left."
    assert message(Standing(done=1, minimum=2, left=1)).body.startswith(
        "1 of 2 this week, today is the last day."
    )
    assert message(Standing(done=2, minimum=2, left=4)).body == (
        "2 of 2 this week: on target, 4 days left."
    )


@given(done=st.integers(0, 30), minimum=st.integers(1, 7), left=st.integers(1, 7))
def test_no_reminder_ever_mentions_skin_health_or_photos(done, minimum, left):
    words = message(Standing(done=done, minimum=minimum, left=left))
    text = f"{words.title} {words.body}".lower()

    assert private_words_in(text) == []
    assert f"{done} of {minimum} this week" in text
