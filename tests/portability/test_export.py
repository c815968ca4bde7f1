"""The export: everything of one person's, and nobody else's, as a ZIP file."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from PIL import Image

from tests.factories import (
    TUESDAY_MORNING,
    make_export,
    make_full_account,
    make_passkey,
    make_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker import portability
from tracker.models import HealthCheck, HealthCondition, Tool


def test_an_export_holds_the_data_a_csv_of_sessions_and_the_photos(user):
    make_full_account(user)
    with zipfile.ZipFile(io.BytesIO(make_export(user))) as archive:
        names = set(archive.namelist())
        document = json.loads(archive.read("data.json"))
        rows = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))
        photo = archive.read("photos/photo-1.jpg")

    assert names == {"data.json", "sessions.csv", "photos/photo-1.jpg", "photos/photo-2.jpg"}
    assert document["format"] == "facetrack-export"
    assert document["version"] == portability.FORMAT_VERSION
    assert document["profile"]["timezone"] == "Europe/Paris"
    assert [s["routine"] for s in document["sessions"]] == ["routine-1", None]
    assert sorted(document["sessions"][1]["tools"]) == ["tool-1", "tool-2"]
    assert Image.open(io.BytesIO(photo)).size == (64, 48)
    photo_record = document["photos"][0]
    assert (photo_record["width"], photo_record["height"]) == (64, 48)
    # As the upload makes them: a photo this small is its own thumbnail's size.
    assert (photo_record["thumbnail_width"], photo_record["thumbnail_height"]) == (64, 48)
    assert len(rows) == 2
    # Local time in the user's zone, labels a person can read, formulas defused.
    assert rows[0]["date"] == "2026-11-17"
    assert rows[0]["time"] == "08:30"
    assert rows[1]["techniques"] == "Tapotement (tapping)"
    assert rows[1]["products"] == "'=Rosehip serum"
    assert rows[1]["notes"].startswith("Slight redness")


def test_an_export_only_ever_holds_the_requesting_users_data(user, other_user):
    make_full_account(user)
    secret_tool = make_tool(other_user, "Mallory's secret roller")
    make_product(other_user, "Mallory's secret oil")
    make_session(other_user, TUESDAY_MORNING, notes="Mallory's secret note", tools=[secret_tool])
    make_routine(other_user, "Mallory's secret routine")
    make_rest_week(other_user, date(2026, 11, 9), "Mallory's secret reason")
    make_photo(other_user, TUESDAY_MORNING, note="Mallory's secret photo")
    HealthCheck.objects.record(other_user, [HealthCondition.PREGNANCY], agreed_at=TUESDAY_MORNING)

    data = make_export(user)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("data.json").decode() + archive.read("sessions.csv").decode()
        document = json.loads(archive.read("data.json"))
        photos = [n for n in archive.namelist() if n.startswith("photos/")]

    assert "Mallory" not in text
    assert "mallory" not in text
    assert "pregnancy" not in text
    assert document["health_check"]["conditions"] == ["bruises_easily"]
    assert len(document["sessions"]) == 2
    assert len(document["photos"]) == len(photos) == 2


def test_an_export_carries_the_email_address_and_the_passkeys_by_name_only(user, other_user):
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    User.objects.filter(pk=user.pk).update(email="alice@example.com")
    user.refresh_from_db()
    make_passkey(user, "Phone")
    make_passkey(other_user, "Mallory's phone")

    with zipfile.ZipFile(io.BytesIO(make_export(user))) as archive:
        account = json.loads(archive.read("data.json"))["account"]

    assert account["email"] == "alice@example.com"
    assert account["email_verified"] is True
    assert [passkey["name"] for passkey in account["passkeys"]] == ["Phone"]
    assert set(account["passkeys"][0]) == {"name", "added_at", "last_used_at"}


def test_an_export_is_built_in_a_constant_number_of_queries(user, django_assert_max_num_queries):
    make_full_account(user)
    for n in range(10):
        make_session(user, TUESDAY_MORNING - timedelta(days=n + 2), tools=Tool.objects.all())
    # 13 with the account's email address and passkeys (one query each), four more for
    # reminders: the plan, the calendar feed, browsers, reminders sent; one for experiments.
    with django_assert_max_num_queries(18):
        make_export(user)


def test_the_csv_says_not_recorded_for_a_reaction_nobody_tapped(user):
    make_session(user, TUESDAY_MORNING)

    with zipfile.ZipFile(io.BytesIO(make_export(user))) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))

    assert rows[0]["skin reaction"] == "Not recorded"


def test_an_export_without_answers_to_the_check_says_none(user):
    document, _files = portability.export_document(user)

    assert document["health_check"] is None


def test_the_answers_are_exported_with_when_they_were_agreed_to(user):
    HealthCheck.objects.record(user, [HealthCondition.INJECTABLES], agreed_at=TUESDAY_MORNING)

    document, _files = portability.export_document(user)

    assert document["health_check"] == {
        "conditions": ["injectables"],
        "agreed_at": TUESDAY_MORNING.isoformat(),
    }
