"""One range of dates for everything a person gives, and pages that survive any stored date.

The range (tracker.models.dates) runs from 2000-01-01 to today in the person's time zone.
Rows outside it can still exist (written before the range, or by hand): the counting and
every page must take them, at the very edges of Python's calendar, on SQLite and PostgreSQL.
"""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms as django_forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from tests.factories import make_product, make_rest_week, make_session, make_tool
from tracker import forms, stats
from tracker.models import (
    MassageSession,
    ProgressPhoto,
    RestWeek,
    accepted_days,
    photo_taken_at,
    validate_day,
    validate_moment,
)
from tracker.models.dates import EARLIEST_MOMENT, LATEST_MOMENT, within_edges

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)
LAST_MOMENT = datetime.max.replace(tzinfo=UTC)


@pytest.fixture
def now(time_machine) -> datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


# The counting, at the edges of the calendar -------------------------------------------------


@pytest.mark.parametrize("first_weekday", range(7))
def test_the_week_of_the_calendars_first_and_last_days_never_overflows(first_weekday: int):
    assert stats.week_start_of(date.min, first_weekday) == date.min
    last_start = stats.week_start_of(date.max, first_weekday)
    assert last_start.weekday() == first_weekday
    assert stats.week_end_of(last_start) == date.max
    assert stats.week_end_of(date.max) == date.max


def test_weeks_from_the_calendars_first_day_start_with_its_short_first_week():
    starts = stats.week_starts(date.min, date(1, 1, 20), first_weekday=6)

    assert starts == [date(1, 1, 1), date(1, 1, 7), date(1, 1, 14)]
    assert stats.week_starts(date.min, date(1, 1, 3), first_weekday=6) == [date.min]
    assert stats.week_starts(date.min, date(1, 1, 8), first_weekday=0)[0] == date.min


@pytest.mark.parametrize("first_weekday", [0, 2, 6])
def test_counting_takes_sessions_and_rest_weeks_on_the_calendars_first_and_last_days(
    first_weekday: int,
):
    today = date(2026, 11, 18)
    days = [date.min, date(1, 1, 2), today, date.max]
    rest = [date.min, date.max]

    weeks = stats.weeks(
        [(day, 10) for day in days],
        first_weekday=first_weekday,
        minimum=1,
        stretch=2,
        rest_weeks=rest,
        today=today,
        count=12,
    )
    streak = stats.streaks(
        days, first_weekday=first_weekday, minimum=1, rest_weeks=rest, today=today
    )

    assert weeks[-1].sessions == 1
    assert streak.current == 1
    assert stats.habit_strength([date(2000, 1, 1), today, date.max], 2, today) > 0
    assert stats.Week(date.max, 0, 0, stats.WeekState.MISSED, False, False).end == date.max


def test_stored_moments_beyond_the_edges_are_read_back_a_day_inside():
    assert within_edges(FIRST_MOMENT) == EARLIEST_MOMENT
    assert within_edges(LAST_MOMENT) == LATEST_MOMENT
    assert within_edges(NOW) == NOW


# The range -----------------------------------------------------------------------------------


def test_the_range_runs_from_2000_to_today_in_the_current_zone(now):
    from django.utils import timezone

    assert accepted_days().first == date(2000, 1, 1)
    assert accepted_days().last == date(2026, 11, 18)
    # Already Thursday in Kiritimati (UTC+14) at noon UTC on Wednesday.
    with timezone.override("Pacific/Kiritimati"):
        assert accepted_days().last == date(2026, 11, 19)
        validate_day(date(2026, 11, 19))
    with pytest.raises(django_forms.ValidationError, match="in the future"):
        validate_day(date(2026, 11, 19))
    with pytest.raises(django_forms.ValidationError, match="from 1 January 2000"):
        validate_day(date(1999, 12, 31))
    validate_day(date(2000, 1, 1))


def test_a_moment_is_in_range_from_midnight_on_1_january_2000_in_the_current_zone(now):
    from django.utils import timezone

    with timezone.override("Europe/Berlin"):
        validate_moment(datetime(1999, 12, 31, 23, 0, tzinfo=UTC))  # midnight in Berlin
        with pytest.raises(django_forms.ValidationError, match="from 1 January 2000"):
            validate_moment(datetime(1999, 12, 31, 22, 59, tzinfo=UTC))
    validate_moment(NOW + timedelta(minutes=5))
    with pytest.raises(django_forms.ValidationError, match="in the future"):
        validate_moment(NOW + timedelta(minutes=6))
    with pytest.raises(django_forms.ValidationError, match="UTC offset"):
        validate_moment(datetime(2020, 1, 1))


def test_every_form_with_a_date_checks_the_range():
    # A new form with a date field that forgets the mixin fails here, before anyone types
    # 0001-01-01 into it.
    dated = []
    for name in forms.__all__:
        form_class = getattr(forms, name)
        if not (isinstance(form_class, type) and issubclass(form_class, django_forms.BaseForm)):
            continue
        fields = form_class.base_fields.values()
        if any(isinstance(f, django_forms.DateField | django_forms.DateTimeField) for f in fields):
            dated.append(form_class)
            assert issubclass(form_class, forms.DatesInRangeMixin), name

    assert len(dated) >= 8


def test_a_photo_whose_camera_clock_was_never_set_is_dated_now(now):
    zone = datetime.now().astimezone().tzinfo
    assert photo_taken_at(datetime(1980, 1, 1, 0, 0), zone) == NOW
    assert photo_taken_at(datetime(1, 1, 1, 0, 0), zone) == NOW
    assert photo_taken_at(datetime(2024, 5, 1, 9, 0, tzinfo=UTC), zone) == datetime(
        2024, 5, 1, 9, 0, tzinfo=UTC
    )


# Every entry point refuses dates outside it -------------------------------------------------


def session_post(performed_at: str) -> dict:
    return {"performed_at": performed_at, "minutes": "10", "pressure": "gentle", "reaction": "none"}


@pytest.mark.parametrize(
    ("performed_at", "error"),
    [
        ("0001-01-01T00:00", "from 1 January 2000"),
        ("1999-12-31T23:59", "from 1 January 2000"),
        ("9999-12-31T23:59", "in the future"),
    ],
)
@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Pago_Pago", "Pacific/Kiritimati"])
def test_the_session_form_refuses_a_date_out_of_range_in_any_zone(
    make_user, client_for, now, performed_at: str, error: str, zone: str
):
    client = client_for(make_user("far", timezone=zone))

    response = client.post(reverse("tracker:session-new"), session_post(performed_at))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not MassageSession.objects.exists()


def test_the_session_form_takes_the_first_day_of_the_range(make_user, client_for, now):
    client = client_for(make_user("early", timezone="Europe/Berlin"))

    response = client.post(reverse("tracker:session-new"), session_post("2000-01-01T00:00"))

    assert response.status_code == 302
    assert MassageSession.objects.get().local_date == date(2000, 1, 1)


def test_editing_a_session_to_a_date_out_of_range_is_refused(user, user_client, now):
    session = make_session(user, NOW - timedelta(days=1))

    response = user_client.post(
        reverse("tracker:session-edit", args=[session.pk]), session_post("0001-01-01T12:00")
    )

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.performed_at == NOW - timedelta(days=1)


@pytest.mark.parametrize("performed_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59-12:00"])
def test_a_one_tap_dated_out_of_range_is_refused_with_400(
    user, user_client, now, performed_at: str
):
    from tests.factories import make_routine

    routine = make_routine(user)

    response = user_client.post(
        reverse("tracker:log-routine", args=[routine.pk]), {"performed_at": performed_at}
    )

    assert response.status_code == 400
    assert not MassageSession.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2026-11-19", "9999-12-31"])
def test_a_rest_week_out_of_range_is_refused(make_user, client_for, now, day: str):
    client = client_for(make_user("sunday", week_start=6))

    response = client.post(reverse("tracker:rest-week-add"), {"week_start": day})

    assert response.status_code == 200
    assert not RestWeek.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("tools", {"name": "Roller", "kind": "jade_roller", "last_cleaned_on": "0001-01-01"}),
        ("tools", {"name": "Roller", "kind": "jade_roller", "last_cleaned_on": "9999-12-31"}),
        (
            "products",
            {"name": "Oil", "kind": "oil", "patch_test": "not_done", "opened_on": "1999-12-31"},
        ),
        (
            "products",
            {
                "name": "Oil",
                "kind": "oil",
                "patch_test": "pending",
                "patch_test_started_on": "2026-11-19",
            },
        ),
    ],
)
def test_gear_dated_out_of_range_is_refused(user_client, now, kind: str, data: dict):
    response = user_client.post(reverse("tracker:gear-new", args=[kind]), data)

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_a_photo_dated_out_of_range_is_refused_on_upload_and_edit(user, user_client, now):
    jpeg = io.BytesIO()
    Image.new("RGB", (32, 24), "peachpuff").save(jpeg, "JPEG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.jpg", jpeg.getvalue(), content_type="image/jpeg")
    response = user_client.post(
        reverse("tracker:photo-new"),
        {"photos": upload, "angle": "front", "timing": "unrelated", "taken_at": "0001-01-01T00:00"},
    )
    assert response.status_code == 200
    assert not ProgressPhoto.objects.exists()

    photo = edge_photo(user, NOW - timedelta(days=1))
    response = user_client.post(
        reverse("tracker:photo-edit", args=[photo.pk]),
        {"taken_at": "1999-12-31T23:00", "angle": "front", "timing": "unrelated"},
    )
    assert response.status_code == 200
    photo.refresh_from_db()
    assert photo.taken_at == NOW - timedelta(days=1)


# No stored date takes a page down ------------------------------------------------------------


def edge_photo(owner, taken_at: datetime, session=None) -> ProgressPhoto:
    image = default_storage.save("photos/edge.jpg", ContentFile(b"\xff\xd8 not shown"))
    return ProgressPhoto.objects.create(
        owner=owner,
        taken_at=taken_at,
        session=session,
        image=image,
        thumbnail=image,
        width=1,
        height=1,
    )


def rows_at_the_edges(owner) -> None:
    """Rows written directly, past every check, at the first and the last day of the calendar."""
    tool = make_tool(owner, last_cleaned_on=date.min)
    make_product(owner, opened_on=date.max, patch_test_started_on=date.min, patch_test="pending")
    for moment, day in ((FIRST_MOMENT, date.min), (LAST_MOMENT, date.max)):
        session = make_session(owner, moment, local_date=day, tools=[tool], notes="edge")
        edge_photo(owner, moment, session)
    make_session(owner, NOW - timedelta(days=1))
    make_rest_week(owner, date.min)
    make_rest_week(owner, date.max)


PAGES = [
    ("tracker:dashboard", {}),
    ("tracker:history", {}),
    ("tracker:history", {"week": "2026-11-18"}),
    ("tracker:profile", {}),
    ("tracker:gear", {}),
    ("tracker:photos", {}),
    ("tracker:photo-compare", {}),
    ("tracker:photo-new", {}),
    ("tracker:session-new", {}),
    ("tracker:data-export", {}),
]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Kiritimati"])
def test_rows_on_the_calendars_first_and_last_days_take_no_page_down(
    make_user, client_for, now, zone: str
):
    # Weeks from Sunday: the week of 0001-01-01 would start the day before the calendar does.
    owner = make_user("edgy", timezone=zone, week_start=6)
    rows_at_the_edges(owner)
    client = client_for(owner)

    for name, query in PAGES:
        assert client.get(reverse(name), query).status_code == 200, name
    for session in MassageSession.objects.for_user(owner):
        for name in ("tracker:session-detail", "tracker:session-edit", "tracker:session-delete"):
            assert client.get(reverse(name, args=[session.pk])).status_code == 200, name
    for photo in ProgressPhoto.objects.for_user(owner):
        for name in ("tracker:photo-edit", "tracker:photo-delete"):
            assert client.get(reverse(name, args=[photo.pk])).status_code == 200, name


def test_rows_at_the_edges_can_be_deleted_and_settings_changed(make_user, client_for, now):
    owner = make_user("edgy", timezone="America/New_York", week_start=6)
    rows_at_the_edges(owner)
    client = client_for(owner)

    settings_form = {
        "timezone": "Asia/Tokyo",
        "week_start": "2",
        "target_min": "2",
        "target_stretch": "3",
        "target_minutes": "10",
    }
    assert client.post(reverse("tracker:profile"), settings_form).status_code == 302
    for session in MassageSession.objects.for_user(owner):
        client.post(reverse("tracker:session-delete", args=[session.pk]))
    for rest in RestWeek.objects.for_user(owner):
        client.post(reverse("tracker:rest-week-delete", args=[rest.pk]))

    assert not MassageSession.objects.exists()
    assert not RestWeek.objects.exists()
    assert client.get(reverse("tracker:dashboard")).status_code == 200


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL only: SQLite never stored such moments",
)
def test_moments_postgresql_stored_before_python_could_read_them_are_repaired(
    make_user, client_for, now
):
    import importlib

    from django.db import connection

    migration = importlib.import_module("tracker.migrations.0004_pending_files_readable_moments")
    owner = make_user("berlin", timezone="Europe/Berlin")
    session = make_session(owner, NOW - timedelta(days=1))
    with connection.cursor() as cursor:
        # What the session form stored for 0001-01-01T00:00 in Berlin before the range.
        cursor.execute(
            "UPDATE tracker_massagesession SET performed_at = %s WHERE id = %s",
            ["0001-01-01 00:00:00+00:53:28", session.pk],
        )
    client = client_for(owner)
    with pytest.raises(Exception, match="year"):
        MassageSession.objects.get(pk=session.pk)

    with connection.schema_editor() as editor:
        migration.readable_moments(None, editor)

    assert MassageSession.objects.get(pk=session.pk).performed_at == EARLIEST_MOMENT
    assert client.get(reverse("tracker:history")).status_code == 200
    assert client.post(reverse("tracker:session-delete", args=[session.pk])).status_code == 302
    assert not MassageSession.objects.exists()
