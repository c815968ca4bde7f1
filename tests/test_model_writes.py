"""The models' intent-named writes: one place for each rule (order, quota, side effects)."""

import io
import threading
from datetime import UTC, date, datetime

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from tests.factories import make_rest_week, make_routine, make_session, make_tool
from tests.photo_samples import jpeg
from tests.sqlite_file import database_shared_by_threads
from tracker.images import process_upload
from tracker.models import (
    Area,
    MassageSession,
    PhotoQuotaFull,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)
from tracker.ownership import get_owned_or_404

STEP = {"technique": Technique.EFFLEURAGE, "area": Area.CHEEKS, "seconds": 60}


def orders(routine: Routine) -> list[tuple[int, str]]:
    return list(routine.steps.order_by("order").values_list("order", "area"))


# Routine steps: one numbering, from 0, without gaps


def test_steps_appended_to_an_empty_routine_are_numbered_from_zero(user):
    routine = Routine.objects.add_for(user, name="Mine")

    routine.append_step(**STEP)
    routine.append_step(**{**STEP, "area": Area.NECK})

    assert orders(routine) == [(0, Area.CHEEKS), (1, Area.NECK)]


def test_a_new_routine_keeps_its_steps_in_the_order_given_whatever_numbers_they_carry(user):
    steps = [{**STEP, "area": area, "order": 7} for area in (Area.NECK, Area.CHIN, Area.EYES)]

    routine = Routine.objects.add_for(user, name="Mine", steps=steps)

    assert orders(routine) == [(0, Area.NECK), (1, Area.CHIN), (2, Area.EYES)]


def test_moving_a_step_swaps_it_with_its_neighbour_and_keeps_the_numbering(user):
    routine = make_routine(user)
    first, second, third = routine.steps.all()

    third.move("up")
    first.move("up")  # already at the top: nothing happens

    assert list(routine.steps.values_list("pk", "order")) == [
        (first.pk, 0),
        (third.pk, 1),
        (second.pk, 2),
    ]


def test_removing_a_step_closes_the_gap(user):
    routine = make_routine(user)
    _first, second, third = routine.steps.all()

    second.remove()
    routine.append_step(**STEP)

    assert [order for order, _area in orders(routine)] == [0, 1, 2]
    assert routine.steps.get(order=1).pk == third.pk


def test_a_step_is_owned_through_its_routine(user, other_user):
    step = make_routine(other_user).steps.first()

    with pytest.raises(Exception, match="No RoutineStep matches"):
        get_owned_or_404(RoutineStep, user, pk=step.pk)
    assert get_owned_or_404(RoutineStep, other_user, pk=step.pk) == step


# Sessions


def test_logging_sessions_in_bulk_works_out_each_local_day_in_the_owners_zone(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    late = datetime(2026, 11, 17, 11, 30, tzinfo=UTC)  # 00:30 on the 18th in Auckland

    logged = MassageSession.objects.log_many(
        kiwi,
        [{"performed_at": late, "minutes": 10}, {"performed_at": late, "minutes": 5}],
    )

    assert [s.local_date for s in logged] == [date(2026, 11, 18)] * 2
    assert [s.minutes for s in MassageSession.objects.order_by("pk")] == [10, 5]


def test_clean_hands_and_tools_records_each_tool_cleaned_on_its_latest_session_day(user):
    roller, stone = make_tool(user, "Roller"), make_tool(user, "Stone")
    entries = [
        {"performed_at": datetime(2026, 11, d, 9, tzinfo=UTC), "minutes": 10, "tools": tools}
        | {"clean_hands_and_tools": clean}
        for d, tools, clean in [
            (16, [roller], True),
            (17, [roller, stone], True),
            (18, [stone], False),
        ]
    ]

    MassageSession.objects.log_many(user, entries)

    assert Tool.objects.get(pk=roller.pk).last_cleaned_on == date(2026, 11, 17)
    assert Tool.objects.get(pk=stone.pk).last_cleaned_on == date(2026, 11, 17)


def test_a_later_cleaning_is_never_moved_back_by_an_older_session(user):
    roller = make_tool(user, last_cleaned_on=date(2026, 11, 20))

    MassageSession.objects.log(
        user,
        performed_at=datetime(2026, 11, 16, 9, tzinfo=UTC),
        minutes=10,
        tools=[roller],
        clean_hands_and_tools=True,
    )

    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 20)


def test_a_routine_log_takes_corrections_such_as_the_minutes_actually_spent(user):
    routine = make_routine(user)

    session = MassageSession.log_routine(
        routine, user, performed_at=datetime(2026, 11, 16, 9, tzinfo=UTC), minutes=2
    )

    assert session.minutes == 2
    assert session.techniques == [Technique.EFFLEURAGE, Technique.GUA_SHA]


def test_editing_a_session_moves_its_day_only_when_its_time_changes(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 11, 15, 19, 0, 42, tzinfo=UTC))  # 16th there
    kiwi.profile.change_settings(timezone="Europe/London")

    session.edit(performed_at=datetime(2026, 11, 15, 19, 0, tzinfo=UTC), notes="Same time")
    assert session.local_date == date(2026, 11, 16)

    session.edit(performed_at=datetime(2026, 11, 15, 20, 0, tzinfo=UTC))
    assert session.local_date == date(2026, 11, 15)


# Rest weeks


def test_a_rest_week_is_marked_once_from_the_first_day_of_its_week(user):
    first = RestWeek.objects.mark(user, date(2026, 11, 19), "Peel")
    again = RestWeek.objects.mark(user, date(2026, 11, 22), "Other reason")

    assert first == again
    assert (first.week_start, first.reason) == (date(2026, 11, 16), "Peel")


def test_rest_weeks_follow_a_new_first_day_of_the_week(user):
    make_rest_week(user, date(2026, 11, 16))  # a Monday week
    make_rest_week(user, date(2026, 11, 23))

    user.profile.change_settings(week_start=6)  # Sunday

    assert sorted(RestWeek.objects.for_user(user).values_list("week_start", flat=True)) == [
        date(2026, 11, 15),
        date(2026, 11, 22),
    ]


def test_two_rest_weeks_that_land_in_one_week_become_one(make_user):
    sunday_first = make_user("sunny", week_start=6)
    # One left misaligned by an earlier change of setting, one marked under Sunday starts.
    make_rest_week(sunday_first, date(2026, 11, 16), "First")  # a Monday
    make_rest_week(sunday_first, date(2026, 11, 22), "Second")  # a Sunday

    sunday_first.profile.change_settings(week_start=0)  # both now in the week of Monday 16

    assert list(RestWeek.objects.for_user(sunday_first).values_list("week_start", "reason")) == [
        (date(2026, 11, 16), "First")
    ]


# Photos: one quota, under one lock, for uploads and imports


def processed_photo():
    return process_upload(io.BytesIO(jpeg()))


def test_photos_over_the_quota_are_refused_and_leave_no_files(user, settings):
    settings.PHOTO_QUOTA = 1
    ProgressPhoto.objects.add_uploads(user, [processed_photo()], taken_at=None)
    files_before = sorted(default_storage.listdir("photos")[1])

    with pytest.raises(PhotoQuotaFull, match="You can keep up to 1 photos and you have 1"):
        ProgressPhoto.objects.add_uploads(user, [processed_photo()], taken_at=None)

    assert ProgressPhoto.objects.for_user(user).count() == 1
    assert sorted(default_storage.listdir("photos")[1]) == files_before


@pytest.mark.django_db(transaction=True)
def test_two_additions_at_once_cannot_both_pass_the_quota(make_user, tmp_path, settings):
    settings.PHOTO_QUOTA = 3
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")
        images = [processed_photo() for _ in range(2)]
        start, refused = threading.Barrier(2), []

        def add() -> None:
            try:
                start.wait(timeout=10)
                ProgressPhoto.objects.add_uploads(
                    user.__class__.objects.get(pk=user.pk), images, taken_at=None
                )
            except PhotoQuotaFull as full:
                refused.append(full)
            finally:
                connection.close()

        threads = [threading.Thread(target=add) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert len(refused) == 1
        assert ProgressPhoto.objects.filter(owner=user).count() == 2
