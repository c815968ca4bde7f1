"""Both importers check every value exactly as the forms do: NUL characters (a DataError on
PostgreSQL before), dates out of range (an OverflowError before), time zones the settings do
not offer; and a Loop file the csv module cannot read is a message, not a 500."""

import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tracker.models import MassageSession
from tracker.portability import ImportRefused, import_loop_csv, import_zip

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def now(time_machine) -> datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


def archive(**sections) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        document = {"format": "facetrack-export", "version": 1, **sections}
        zipped.writestr("data.json", json.dumps(document))
    out.seek(0)
    return out


def session(**fields) -> dict:
    return {
        "key": "s",
        "performed_at": "2026-11-17T07:30:00+00:00",
        "local_date": "2026-11-17",
        "minutes": 10,
        **fields,
    }


def refused(user, data: io.BytesIO) -> str:
    with pytest.raises(ImportRefused) as refusal:
        import_zip(user, data)
    assert not MassageSession.objects.exists()
    return str(refusal.value)


NUL = "before\x00after"


@pytest.mark.parametrize(
    ("sections", "where"),
    [
        ({"tools": [{"key": "t", "name": NUL}]}, "Tool 1, name"),
        ({"products": [{"key": "p", "name": "Oil", "key_ingredients": NUL}]}, "Product 1"),
        ({"routines": [{"key": "r", "name": NUL}]}, "Routine 1, name"),
        (
            {
                "routines": [
                    {
                        "key": "r",
                        "name": "R",
                        "steps": [{"technique": "rolling", "area": "neck", "instruction": NUL}],
                    }
                ]
            },
            "Routine 1, step 1, instruction",
        ),
        ({"sessions": [session(notes=NUL)]}, "Session 1, notes"),
        ({"rest_weeks": [{"week_start": "2026-11-16", "reason": NUL}]}, "Rest week 1, reason"),
        ({"photos": [{"taken_at": "2026-11-17T07:30:00+00:00", "note": NUL}]}, "Photo 1, note"),
    ],
)
def test_a_nul_character_anywhere_in_an_export_is_refused_as_the_forms_refuse_it(
    user, sections: dict, where: str
):
    # Photos are checked as records before their files are looked for.
    if "photos" in sections:
        sections["photos"][0]["file"] = "photos/a.jpg"
        data = archive(**sections)
        with zipfile.ZipFile(data, "a") as zipped:
            zipped.writestr("photos/a.jpg", b"\xff\xd8")
        data.seek(0)
    else:
        data = archive(**sections)

    message = refused(user, data)

    assert message.startswith(where)
    assert "Null characters are not allowed." in message


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"sessions": [session(performed_at="0001-01-01T00:00:00+01:00")]}, "from 1 January 2000"),
        ({"sessions": [session(performed_at="9999-12-31T23:59:00-12:00")]}, "in the future"),
        ({"sessions": [session(performed_at="1999-12-31T23:59:59+00:00")]}, "from 1 January 2000"),
        ({"sessions": [session(local_date="0001-01-01")]}, "local_date: 0001-01-01 is not from"),
        ({"sessions": [session(local_date="2026-11-19")]}, "local_date: 2026-11-19 is not from"),
        ({"rest_weeks": [{"week_start": "0001-01-01"}]}, "Rest week 1, week_start"),
        ({"tools": [{"key": "t", "name": "T", "last_cleaned_on": "9999-12-31"}]}, "in the future"),
        ({"products": [{"key": "p", "name": "P", "opened_on": "1999-12-31"}]}, "Product 1"),
        # Dates no form asks for (set by a tap) are held to the same range.
        (
            {"products": [{"key": "p", "name": "P", "paused_on": "2026-11-19"}]},
            "Product 1, paused_on: That is in the future.",
        ),
        (
            {"sessions": [session(reaction="redness", reaction_noted_at="1999-12-31T23:00:00Z")]},
            "Session 1, reaction_noted_at: Choose a date from 1 January 2000 on.",
        ),
        (
            {"health_check": {"conditions": [], "agreed_at": "2026-11-18T13:00:00+00:00"}},
            "Health check, agreed_at: That is in the future.",
        ),
        ({"health_check": {"conditions": []}}, "Health check, agreed_at: This field cannot be"),
    ],
)
def test_dates_out_of_range_in_an_export_are_refused_with_a_message(user, sections, message):
    assert message in refused(user, archive(**sections))


def test_today_is_the_imported_zones_today(user):
    # Thursday already in Kiritimati (UTC+14) at noon UTC on Wednesday.
    sections = {
        "profile": {"timezone": "Pacific/Kiritimati"},
        "sessions": [session(performed_at="2026-11-18T11:00:00+00:00", local_date="2026-11-19")],
    }

    result = import_zip(user, archive(**sections))

    assert result.sessions == 1
    assert MassageSession.objects.get().local_date == date(2026, 11, 19)


@pytest.mark.parametrize("zone", ["Etc/GMT-14", "SystemV/AST4", "Mars/Olympus", "EST"])
def test_an_export_may_set_only_a_time_zone_the_settings_offer(user, zone: str):
    message = refused(user, archive(profile={"timezone": zone}))

    assert message.startswith("Settings, timezone: Select a valid choice.")
    user.profile.refresh_from_db()
    assert user.profile.timezone == "UTC"


def test_a_huge_value_is_quoted_short_in_the_message(user):
    message = refused(user, archive(sessions=[session(pressure="x" * 100_000)]))

    assert len(message) <= 400


# Loop Habit Tracker ---------------------------------------------------------------------------


def loop(text: str | bytes) -> io.BytesIO:
    return io.BytesIO(text.encode() if isinstance(text, str) else text)


def test_a_loop_file_with_a_field_too_long_for_the_csv_module_is_a_message(user):
    text = "Date,Value,Notes\n2024-03-05,YES_MANUAL," + "x" * 200_000 + "\n"

    with pytest.raises(ImportRefused, match=r"Line 2: this is not a CSV file Loop made"):
        import_loop_csv(user, loop(text))


def test_a_loop_file_with_old_mac_line_endings_is_read(user):
    text = "Date,Value,Notes\r2024-03-05,YES_MANUAL,Calm\r2024-03-04,NO,\r"

    result = import_loop_csv(user, loop(text))

    assert result.sessions == 1
    assert MassageSession.objects.get().notes == "Calm"


def test_a_nul_character_in_a_loop_note_is_refused_as_the_form_refuses_it(user):
    text = "Date,Value,Notes\n2024-03-05,YES_MANUAL,a\x00b\n"

    with pytest.raises(ImportRefused, match="The check of 2024-03-05, notes: Null characters"):
        import_loop_csv(user, loop(text))
    assert not MassageSession.objects.exists()


@pytest.mark.parametrize("text", ["2024-03-05\x00,2\n", "\x00\x00\x00\n", "2024-03-05,2\x00\n"])
def test_nul_characters_elsewhere_in_a_loop_file_are_a_message(user, text: str):
    with pytest.raises(ImportRefused):
        import_loop_csv(user, loop(text))


def test_loop_checks_out_of_range_are_left_out_and_counted(make_user):
    owner = make_user("far", timezone="Pacific/Pago_Pago")
    text = "0001-01-01,2\n1999-12-31,2\n2000-01-01,2\n2026-11-17,2\n9999-12-31,2\n"

    result = import_loop_csv(owner, loop(text))

    assert result.sessions == 2
    assert "Left out 2 checks dated before 1 January 2000." in result.summary()
    assert "Left out 1 checks dated after today." in result.summary()
    days = sorted(MassageSession.objects.values_list("local_date", flat=True))
    assert days == [date(2000, 1, 1), date(2026, 11, 17)]


def test_a_loop_upload_the_csv_module_cannot_read_shows_a_message_not_a_500(user_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("Checkmarks.csv", b'2024-03-05,2,"unterminated\n' + b"x" * 140_000)

    response = user_client.post(reverse("tracker:data-import-loop"), {"checkmarks": upload})

    assert response.status_code == 200
    assert "this is not a CSV file Loop made" in response.content.decode()


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ((3000, 2000), "larger than an export's photos (2048 pixels at most)"),
        ((40, 30), "This is not a photo we can read"),  # a PNG: exports hold JPEGs only
    ],
)
def test_an_imported_photo_must_be_what_an_export_holds(user, image, message):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", image, "white").save(picture, "JPEG" if image[0] > 100 else "PNG")
    data = archive(photos=[{"taken_at": "2026-11-17T07:30:00+00:00", "file": "photos/a.jpg"}])
    with zipfile.ZipFile(data, "a") as zipped:
        zipped.writestr("photos/a.jpg", picture.getvalue())
    data.seek(0)

    assert message in refused(user, data)
