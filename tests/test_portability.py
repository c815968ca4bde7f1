import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import (
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker import portability
from tracker.backups import stored_names
from tracker.models import (
    Area,
    MassageSession,
    Product,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)
from tracker.portability import (
    ImportRefused,
    export_document,
    export_zip,
    import_loop_csv,
    import_zip,
)

TUESDAY = datetime(2026, 11, 17, 7, 30, tzinfo=UTC)


def jpeg_bytes(colour: str = "peachpuff", size: tuple[int, int] = (64, 48), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **save)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def make_photo(owner, session=None, colour: str = "peachpuff", **fields) -> ProgressPhoto:
    image = default_storage.save("photos/test.jpg", ContentFile(jpeg_bytes(colour)))
    # As the upload makes them: a photo this small is its own thumbnail's size.
    thumbnail = default_storage.save("photos/test.jpg", ContentFile(jpeg_bytes(colour)))
    fields.setdefault("taken_at", TUESDAY)
    return ProgressPhoto.objects.create(
        owner=owner,
        session=session,
        image=image,
        thumbnail=thumbnail,
        width=64,
        height=48,
        thumbnail_width=64,
        thumbnail_height=48,
        **fields,
    )


def full_account(owner) -> None:
    """Something of every kind, related the way a real user's data is."""
    profile = owner.profile
    profile.timezone, profile.week_start = "Europe/Paris", 6
    profile.target_min, profile.target_stretch, profile.target_minutes = 3, 4, 12
    profile.save()
    roller = make_tool(owner, "Jade roller", material="jade", last_cleaned_on=date(2026, 11, 1))
    fingers = make_tool(owner, "Fingers", kind=Tool.Kind.FINGERS)
    jojoba = make_product(owner, "Jojoba oil", opened_on=date(2026, 10, 2))
    serum = make_product(
        owner, "=Rosehip serum", kind=Product.Kind.SERUM, patch_test=Product.PatchTest.PENDING
    )
    routine = make_routine(owner, "Evening lift", tool=roller, products=[jojoba])
    make_routine(owner, "Quick neck", steps=[(Technique.LYMPHATIC, Area.NECK, 45)])
    logged = MassageSession.log_routine(routine, owner, performed_at=TUESDAY)
    make_session(
        owner,
        TUESDAY + timedelta(days=1, hours=14),
        minutes=4,
        tools=[fingers, roller],
        products=[serum],
        techniques=[Technique.TAPOTEMENT],
        areas=[Area.FOREHEAD, Area.CHEEKS],
        pressure="firm",
        cleansed_skin=True,
        used_slip=True,
        reaction="redness",
        rating=4,
        notes="Slight redness — gone in 20 min.\nNew line, «quotes», 顔.",
    )
    make_rest_week(owner, date(2026, 11, 22), "Peel at the clinic")
    make_photo(owner, session=logged, angle=ProgressPhoto.Angle.LEFT, note="After, glowing")
    make_photo(owner, colour="seagreen", timing=ProgressPhoto.Timing.BEFORE)


def exported(owner) -> bytes:
    out = io.BytesIO()
    export_zip(owner, out)
    return out.getvalue()


def comparable(owner) -> dict:
    """The user's data as exported, without what legitimately differs between two accounts."""
    document, _files = export_document(owner)
    for name in ("exported_at", "account"):
        del document[name]
    return document


def archive_with(document: dict | str | bytes | None = None, **members: bytes) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if document is not None:
            if isinstance(document, dict):
                document = json.dumps(document)
            archive.writestr("data.json", document)
        for name, data in members.items():
            archive.writestr(name.replace("__", "/"), data)
    out.seek(0)
    return out


def minimal_document(**sections) -> dict:
    return {"format": "facetrack-export", "version": 1, **sections}


def a_session(**fields) -> dict:
    return {
        "key": "session-1",
        "performed_at": "2026-11-17T07:30:00+00:00",
        "local_date": "2026-11-17",
        "minutes": 10,
        **fields,
    }


def a_photo(**fields) -> dict:
    return {"taken_at": "2026-11-17T07:30:00+00:00", "file": "photos/a.jpg", **fields}


def counts(owner) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(owner=owner).count()
        for model in (Tool, Product, Routine, MassageSession, RestWeek, ProgressPhoto)
    }


# Export -------------------------------------------------------------------------------------


def test_an_export_holds_the_data_a_csv_of_sessions_and_the_photos(user):
    full_account(user)
    with zipfile.ZipFile(io.BytesIO(exported(user))) as archive:
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
    assert (photo_record["thumbnail_width"], photo_record["thumbnail_height"]) == (64, 48)
    assert len(rows) == 2
    # Local time in the user's zone, labels a person can read, formulas defused.
    assert rows[0]["date"] == "2026-11-17"
    assert rows[0]["time"] == "08:30"
    assert rows[1]["techniques"] == "Tapotement (tapping)"
    assert rows[1]["products"] == "'=Rosehip serum"
    assert rows[1]["notes"].startswith("Slight redness")


def test_an_export_only_ever_holds_the_requesting_users_data(user, other_user):
    full_account(user)
    secret_tool = make_tool(other_user, "Mallory's secret roller")
    make_product(other_user, "Mallory's secret oil")
    make_session(other_user, TUESDAY, notes="Mallory's secret note", tools=[secret_tool])
    make_routine(other_user, "Mallory's secret routine")
    make_rest_week(other_user, date(2026, 11, 9), "Mallory's secret reason")
    make_photo(other_user, note="Mallory's secret photo")

    data = exported(user)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("data.json").decode() + archive.read("sessions.csv").decode()
        document = json.loads(archive.read("data.json"))
        photos = [n for n in archive.namelist() if n.startswith("photos/")]

    assert "Mallory" not in text
    assert "mallory" not in text
    assert len(document["sessions"]) == 2
    assert len(document["photos"]) == len(photos) == 2


def test_an_export_is_built_in_a_constant_number_of_queries(user, django_assert_max_num_queries):
    full_account(user)
    for n in range(10):
        make_session(user, TUESDAY - timedelta(days=n + 2), tools=Tool.objects.all())
    with django_assert_max_num_queries(12):
        exported(user)


# Round trip ---------------------------------------------------------------------------------


def test_an_export_restores_into_an_empty_account_exactly(user, make_user):
    full_account(user)
    newcomer = make_user("alice-again")

    result = import_zip(newcomer, io.BytesIO(exported(user)))

    assert comparable(newcomer) == comparable(user)
    assert (result.sessions, result.tools, result.products) == (2, 2, 2)
    assert (result.routines, result.rest_weeks, result.photos) == (2, 1, 2)
    assert "Imported 2 sessions" in result.summary()
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.timezone == "Europe/Paris"
    steps = RoutineStep.objects.filter(routine__owner=newcomer, routine__name="Evening lift")
    assert {step.tool.owner for step in steps} == {newcomer}
    linked = ProgressPhoto.objects.for_user(newcomer).get(angle="left")
    assert linked.session.owner == newcomer
    assert linked.session.routine.name == "Evening lift"


def test_restored_photos_are_new_files_with_the_same_pictures(user, make_user):
    full_account(user)
    newcomer = make_user("alice-again")
    import_zip(newcomer, io.BytesIO(exported(user)))

    originals = ProgressPhoto.objects.for_user(user).order_by("taken_at", "pk")
    copies = ProgressPhoto.objects.for_user(newcomer).order_by("taken_at", "pk")
    for original, copy in zip(originals, copies, strict=True):
        assert copy.image.name != original.image.name
        assert copy.thumbnail.name not in {"", original.thumbnail.name}
        assert (copy.thumbnail_width, copy.thumbnail_height) == (64, 48)
        with default_storage.open(copy.thumbnail.name) as f, Image.open(f) as thumbnail:
            assert thumbnail.size == (copy.thumbnail_width, copy.thumbnail_height)
        with default_storage.open(copy.image.name) as f, Image.open(f) as picture:
            assert picture.size == (64, 48)
            with default_storage.open(original.image.name) as g, Image.open(g) as before:
                assert picture.getpixel((32, 24)) == pytest.approx(before.getpixel((32, 24)), abs=4)


def test_an_import_into_an_account_with_sessions_is_refused_and_changes_nothing(user, make_user):
    full_account(user)
    busy = make_user("busy")
    make_session(busy, TUESDAY)
    before = counts(busy)

    with pytest.raises(ImportRefused, match="already has sessions"):
        import_zip(busy, io.BytesIO(exported(user)))

    assert counts(busy) == before


def test_a_second_import_of_the_same_export_is_refused(user, make_user):
    full_account(user)
    newcomer = make_user("alice-again")
    data = exported(user)
    import_zip(newcomer, io.BytesIO(data))
    with pytest.raises(ImportRefused, match="already has sessions"):
        import_zip(newcomer, io.BytesIO(data))
    assert counts(newcomer)["MassageSession"] == 2


def test_rest_weeks_already_marked_are_kept_on_import(user, make_user):
    full_account(user)
    newcomer = make_user("alice-again")
    make_rest_week(newcomer, date(2026, 11, 22), "Mine")
    result = import_zip(newcomer, io.BytesIO(exported(user)))
    assert RestWeek.objects.for_user(newcomer).get().reason == "Mine"
    assert "already marked" in result.summary()


def test_location_and_comments_in_an_imported_photo_are_stripped(user):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Spy camera maker"
    tagged = jpeg_bytes(exif=exif, comment=b"home address")
    document = minimal_document(photos=[a_photo()])
    archive = archive_with(document, **{"photos__a.jpg": tagged})

    import_zip(user, archive)

    photo = ProgressPhoto.objects.for_user(user).get()
    for name in (photo.image.name, photo.thumbnail.name):
        stored = default_storage.open(name).read()
        assert b"Spy camera" not in stored
        assert b"home address" not in stored
        with Image.open(io.BytesIO(stored)) as picture:
            assert not picture.getexif()


# Refusals -----------------------------------------------------------------------------------


def refusal(user, archive: io.BytesIO) -> str:
    """The message of a refused import, after checking that nothing at all was imported."""
    before_files = set(stored_names(default_storage))
    before_profile = (user.profile.timezone, user.profile.target_min)
    with pytest.raises(ImportRefused) as refused:
        import_zip(user, archive)
    assert counts(user) == dict.fromkeys(counts(user), 0)
    assert set(stored_names(default_storage)) == before_files
    user.profile.refresh_from_db()
    assert (user.profile.timezone, user.profile.target_min) == before_profile
    return str(refused.value)


def test_a_file_that_is_not_a_zip_is_refused(user):
    assert "not a ZIP file" in refusal(user, io.BytesIO(b"PK\x03\x04 but not really"))


def test_a_zip_without_data_json_is_refused(user):
    assert "no “data.json”" in refusal(user, archive_with(None, notes__txt=b"hello"))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        ('{"format": "facetrack-export", "version": NaN}', "not valid JSON"),
        ("[1, 2, 3]", "not a Facetrack export"),
        ({"format": "other-app", "version": 1}, "not a Facetrack export"),
        ({"format": "facetrack-export"}, "no format version"),
        ({"format": "facetrack-export", "version": "1"}, "no format version"),
        (minimal_document(version=2), "format version 2"),
        (minimal_document(sessions={"key": "x"}), "must be a list"),
        (minimal_document(sessions=["a session"]), "Session 1: must be an object"),
        (minimal_document(sessions=[a_session(minutes="ten")]), "Session 1, minutes"),
        (minimal_document(sessions=[a_session(minutes=True)]), "must be a whole number"),
        (minimal_document(sessions=[a_session(minutes=500)]), "less than or equal to 180"),
        (minimal_document(sessions=[a_session(minutes=None)]), "must have a value"),
        (minimal_document(sessions=[a_session(notes=["list"])]), "must be text"),
        (minimal_document(sessions=[a_session(pressure="brutal")]), "not a valid choice"),
        (minimal_document(sessions=[a_session(techniques=["flying"])]), "unknown techniques"),
        (minimal_document(sessions=[a_session(areas="neck")]), "areas: must be a list"),
        (
            minimal_document(sessions=[a_session(performed_at="2026-11-17T07:30:00")]),
            "with its UTC offset",
        ),
        (minimal_document(sessions=[a_session(local_date="17/11/2026")]), "a date such as"),
        (minimal_document(sessions=[a_session(tools=["tool-9"])]), "not in the export"),
        (minimal_document(sessions=[a_session(key=None)]), "has no “key”"),
        (minimal_document(sessions=[a_session(), a_session()]), "share the same key"),
        (minimal_document(profile={"timezone": "Mars/Olympus"}), "Settings, timezone"),
        (minimal_document(profile={"target_min": 3, "target_stretch": 2}), "stretch goal"),
        (minimal_document(profile=[]), "must be an object"),
        (minimal_document(tools=[{"key": "t", "name": "x" * 81}]), "Tool 1, name"),
        (
            minimal_document(
                routines=[{"key": "r", "name": "R", "steps": [{"technique": "rolling"}]}]
            ),
            "Routine 1, step 1, area",
        ),
        (
            minimal_document(rest_weeks=[{"week_start": "2026-11-16"}] * 2),
            "listed twice",
        ),
    ],
)
def test_a_broken_or_foreign_document_is_refused_with_a_clear_message(user, document, message):
    assert message in refusal(user, archive_with(document))


@pytest.mark.parametrize(
    ("photo", "members", "message"),
    [
        (a_photo(file="../../etc/passwd"), {}, "not a photo file name"),
        (a_photo(file="photos/a.png"), {"photos__a.png": b"x"}, "not a photo file name"),
        (a_photo(file=None), {}, "names no photo file"),
        (a_photo(), {}, "has no “photos/a.jpg”"),
        (a_photo(), {"photos__a.jpg": b"GIF89a not a jpeg"}, "Photo 1 (photos/a.jpg): This is not"),
        (a_photo(), {"photos__a.jpg": jpeg_bytes()[:300]}, "damaged or incomplete"),
        (a_photo(), {"photos__a.jpg": png_bytes() + b"<html>"}, "extra data after the image"),
    ],
)
def test_photos_that_are_missing_or_not_images_are_refused(user, photo, members, message):
    document = minimal_document(photos=[photo])
    assert message in refusal(user, archive_with(document, **members))


def test_photo_files_stored_before_a_refusal_are_removed(user):
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(document, **{"photos__a.jpg": jpeg_bytes(), "photos__b.jpg": b"junk"})
    assert "Photo 2 (photos/b.jpg)" in refusal(user, archive)


def test_photo_files_are_removed_when_the_database_refuses_the_rows(user, monkeypatch):
    from django.db import IntegrityError

    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(ProgressPhoto, "save", fail)
    document = minimal_document(sessions=[a_session()], photos=[a_photo()])
    archive = archive_with(document, **{"photos__a.jpg": jpeg_bytes()})
    assert "nothing was imported" in refusal(user, archive)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(user):
    archive = archive_with(minimal_document(), padding__bin=b"\0" * (20 * 1024 * 1024))
    assert "compressed" in refusal(user, archive)


def test_a_zip_with_too_many_files_is_refused(user, monkeypatch):
    monkeypatch.setattr(portability.restore, "MAX_MEMBERS", 10)
    members = {f"junk{n}.txt": b"x" for n in range(11)}
    assert "more than 10 files" in refusal(user, archive_with(minimal_document(), **members))


def test_a_zip_that_unpacks_to_too_much_is_refused(user, monkeypatch):
    monkeypatch.setattr(portability.restore, "MAX_UNCOMPRESSED_BYTES", 1000)
    archive = archive_with(minimal_document(), big__bin=bytes(range(256)) * 8)
    assert "unpacks to more than" in refusal(user, archive)


def test_an_oversized_data_file_is_refused_without_reading_it_whole(user, monkeypatch):
    monkeypatch.setattr(portability.restore, "MAX_JSON_BYTES", 100)
    document = minimal_document(notes="x" * 200)
    assert "“data.json” is larger than" in refusal(user, archive_with(document))


def test_a_damaged_member_is_refused(user):
    archive = archive_with(minimal_document())
    data = bytearray(archive.getvalue())
    # Flip bytes inside the compressed data.json: its CRC no longer matches.
    start = data.index(b"data.json") + len(b"data.json")
    data[start + 2 : start + 6] = b"\xde\xad\xbe\xef"
    assert "damaged" in refusal(user, io.BytesIO(bytes(data)))


# Loop Habit Tracker -------------------------------------------------------------------------


def loop_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def sessions_of(owner) -> list[MassageSession]:
    return list(MassageSession.objects.for_user(owner).order_by("local_date"))


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


# Views --------------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_settings_page_offers_export_both_imports_and_account_deletion(user_client):
    page = user_client.get(reverse("tracker:profile")).content.decode()
    assert "Your data" in page
    assert f'href="{reverse("tracker:data-export")}"' in page
    assert f'href="{reverse("tracker:account-delete")}"' in page
    for action, field in (("data-import", "archive"), ("data-import-loop", "checkmarks")):
        form = page.split(f'action="{reverse(f"tracker:{action}")}"')[1].split("</form>")[0]
        assert 'enctype="multipart/form-data"' in form
        assert f'name="{field}"' in form
        field_id = form.split(f'name="{field}" id="')[1].split('"')[0]
        assert f'<label for="{field_id}">' in form


def test_the_export_downloads_as_a_private_uncached_zip_attachment(user, user_client):
    full_account(user)
    response = user_client.get(reverse("tracker:data-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="facetrack-export-')
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(json.loads(archive.read("data.json"))["sessions"]) == 2


def test_the_export_is_a_get_for_logged_in_users_only(client, user_client):
    url = reverse("tracker:data-export")
    assert client.get(url).status_code == 302
    assert user_client.post(url).status_code == 405


def test_uploading_an_export_restores_it_and_says_what_came_in(user, make_user, client_for):
    full_account(user)
    newcomer = make_user("alice-again")
    response = client_for(newcomer).post(
        reverse("tracker:data-import"),
        {"archive": upload("export.zip", exported(user), "application/zip")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("tracker:dashboard")
    assert "Imported 2 sessions" in response.content.decode()
    assert counts(newcomer) == counts(user)


def test_a_refused_upload_shows_the_reason_on_the_form_and_imports_nothing(user, user_client):
    response = user_client.post(
        reverse("tracker:data-import"),
        {"archive": upload("export.zip", b"not a zip", "application/zip")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a ZIP file" in page
    assert 'enctype="multipart/form-data"' in page
    assert counts(user) == dict.fromkeys(counts(user), 0)


def test_an_import_post_without_a_file_asks_for_one(user_client):
    response = user_client.post(reverse("tracker:data-import"), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_the_import_pages_show_their_forms(user_client):
    for name, label in (("data-import", "Facetrack export"), ("data-import-loop", "Loop")):
        response = user_client.get(reverse(f"tracker:{name}"))
        assert response.status_code == 200
        assert label in response.content.decode()


def test_uploading_loop_checkmarks_logs_the_checked_days(user, user_client):
    checkmarks = b"Date,Value,Notes\n2024-03-05,YES_MANUAL,\n2024-03-04,YES_AUTO,\n"
    response = user_client.post(
        reverse("tracker:data-import-loop"),
        {"checkmarks": upload("Checkmarks.csv", checkmarks, "text/csv")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("tracker:history")
    assert "Imported 1 session" in response.content.decode()
    assert len(sessions_of(user)) == 1


def test_a_refused_loop_file_shows_the_reason_on_the_form(user, user_client):
    response = user_client.post(
        reverse("tracker:data-import-loop"),
        {"checkmarks": upload("Checkmarks.csv", b"Date,Value\nyesterday,2\n", "text/csv")},
    )
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()
    assert sessions_of(user) == []


def test_the_imports_are_for_logged_in_users_only(client):
    for name in ("data-import", "data-import-loop"):
        response = client.post(reverse(f"tracker:{name}"), {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_import_that_would_pass_the_photo_quota_is_refused(user, settings):
    settings.PHOTO_QUOTA = 1
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(
        document, **{"photos__a.jpg": jpeg_bytes(), "photos__b.jpg": jpeg_bytes()}
    )
    assert "more than the 1 an account can keep" in refusal(user, archive)


def test_photos_added_while_an_import_decodes_still_count_against_its_quota(
    user, settings, monkeypatch
):
    # As if an upload landed between the import's first check and its write: the write
    # checks again, under the same lock as uploads, and the import leaves nothing behind.
    settings.PHOTO_QUOTA = 1
    monkeypatch.setattr("tracker.portability.restore._refuse_over_photo_quota", lambda *a: None)
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(
        document, **{"photos__a.jpg": jpeg_bytes(), "photos__b.jpg": jpeg_bytes()}
    )
    before = set(stored_names(default_storage))

    assert "You can keep up to 1 photos" in refusal(user, archive)
    assert set(stored_names(default_storage)) == before
    assert not ProgressPhoto.objects.exists()
    assert not MassageSession.objects.exists()
