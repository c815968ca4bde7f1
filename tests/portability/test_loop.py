"""Loop Habit Tracker's checkmarks: the days checked by hand become sessions."""

import io
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_session
from tests.readers import sessions_of
from tracker.portability import ImportRefused, import_loop_csv


def loop_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def test_only_days_checked_by_hand_in_loop_become_sessions_at_noon_local_time(make_user):
    owner = make_user("loopy", timezone="Europe/Paris", target_minutes=15)
    checkmarks = loop_file(
        "Date,Value,Notes\n"
        "2024-03-05,YES_MANUAL,Felt great\n"
        "2024-03-04,YES_AUTO,\n"
        "2024-03-03,NO,\n"
        "2024-03-02,UNKNOWN,\n"
        "2024-03-01,SKIP,\n"
        "2024-02-29,YES_MANUAL,\n"
    )

    result = import_loop_csv(owner, checkmarks)

    sessions = sessions_of(owner)
    assert [s.local_date for s in sessions] == [date(2024, 2, 29), date(2024, 3, 5)]
    assert {s.minutes for s in sessions} == {15}
    # Noon in Paris is 11:00 UTC in winter.
    assert sessions[0].performed_at == datetime(2024, 2, 29, 11, 0, tzinfo=UTC)
    assert sessions[1].notes == "Felt great"
    assert result.sessions == 2
    assert "Imported 2 sessions" in result.summary()


def test_an_older_loop_export_with_numbers_and_no_header_is_read(user):
    checkmarks = loop_file("2024-03-05,2\n2024-03-04,1\n2024-03-03,0\n2024-03-02,-1\n")
    import_loop_csv(user, checkmarks)
    assert [s.local_date for s in sessions_of(user)] == [date(2024, 3, 5)]


def test_loops_all_habits_checkmarks_file_is_read_when_it_holds_one_habit(user):
    checkmarks = loop_file("Date,Face massage,\n2024-03-05,YES_MANUAL,\n2024-03-04,NO,\n")
    import_loop_csv(user, checkmarks)
    assert len(sessions_of(user)) == 1


def test_days_that_already_have_a_session_are_skipped(user):
    make_session(user, datetime(2024, 3, 5, 18, 0, tzinfo=UTC), minutes=7)
    checkmarks = loop_file("Date,Value,Notes\n2024-03-05,YES_MANUAL,\n2024-03-06,YES_MANUAL,\n")

    result = import_loop_csv(user, checkmarks)

    assert [(s.local_date, s.minutes) for s in sessions_of(user)] == [
        (date(2024, 3, 5), 7),
        (date(2024, 3, 6), 10),
    ]
    assert "Skipped 1 day that already had a session" in result.summary()


def test_importing_the_same_loop_file_twice_adds_nothing_the_second_time(user):
    text = "Date,Value,Notes\n2024-03-05,YES_MANUAL,\n2024-03-06,YES_MANUAL,\n"
    import_loop_csv(user, loop_file(text))
    result = import_loop_csv(user, loop_file(text))
    assert len(sessions_of(user)) == 2
    assert result.sessions == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Date,Run,Swim,\n2024-03-05,YES_MANUAL,NO,\n", "holds 2 habits"),
        ("Date,Value,Notes\n05/03/2024,YES_MANUAL,\n", "Line 2: “05/03/2024” is not a date"),
        ("2024-03-05,YES_MANUAL\n2024-13-01,NO\n", "Line 2"),
        ("Date,Value,Notes\n2024-03-05,5000,\n", "numeric"),
    ],
)
def test_a_loop_file_that_is_not_one_yes_no_habit_is_refused(user, text, message):
    with pytest.raises(ImportRefused, match=message):
        import_loop_csv(user, loop_file(text))
    assert sessions_of(user) == []


def test_a_loop_file_that_is_not_text_is_refused(user):
    with pytest.raises(ImportRefused, match="not UTF-8"):
        import_loop_csv(user, io.BytesIO(b"\x89PNG\r\n\x1a\n\xff\xfe"))
