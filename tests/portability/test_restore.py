import io
from datetime import date

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests import photo_samples as samples
from tests.factories import (
    TUESDAY_MORNING,
    archive_with,
    make_export,
    make_full_account,
    make_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
    minimal_document,
)
from tests.readers import owned_counts
from tracker import portability
from tracker.backups import stored_names
from tracker.images import process_upload
from tracker.models import (
    HealthCheck,
    HealthCondition,
    MassageSession,
    PendingFile,
    Product,
    ProgressPhoto,
    RoutineStep,
)
from tracker.models.bulk import Batch
from tracker.portability import ImportRefused, export_document, import_zip


def comparable(owner) -> dict:
    """The user's data as exported, without what legitimately differs between two accounts."""
    document, _files = export_document(owner)
    for name in ("exported_at", "account"):
        del document[name]
    # A browser gets one account's notifications: its subscription stays where it is
    # (tests/portability/test_reminders.py).
    del document["reminders"]["push_subscriptions"]
    return document


def a_session(**fields) -> dict:
    return {
        "key": "session-1",
        "performed_at": "2026-11-17T07:30:00+00:00",
        "local_date": "2026-11-17",
        "minutes": 10,
        **fields,
    }


AGREED = "2026-11-17T07:00:00+00:00"


def a_photo(**fields) -> dict:
    return {"taken_at": "2026-11-17T07:30:00+00:00", "file": "photos/a.jpg", **fields}


# Round trip ---------------------------------------------------------------------------------


def test_an_export_restores_into_an_empty_account_exactly(user, make_user):
    make_full_account(user)
    newcomer = make_user("alice-again")

    result = import_zip(newcomer, io.BytesIO(make_export(user)))

    assert comparable(newcomer) == comparable(user)
    assert (result.sessions, result.tools, result.products) == (2, 3, 2)
    assert (result.routines, result.rest_weeks, result.photos) == (2, 1, 2)
    assert HealthCheck.objects.get(owner=newcomer).conditions == ["bruises_easily"]
    restored = MassageSession.objects.for_user(newcomer).get(reaction="redness")
    assert restored.reaction_noted_at is not None
    assert Product.objects.for_user(newcomer).get(kind="serum").paused_on == date(2026, 11, 20)
    assert "Imported 2 sessions" in result.summary()
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.timezone == "Europe/Paris"
    steps = RoutineStep.objects.filter(routine__owner=newcomer, routine__name="Evening lift")
    assert {step.tool.owner for step in steps} == {newcomer}
    linked = ProgressPhoto.objects.for_user(newcomer).get(angle="left")
    assert linked.session.owner == newcomer
    assert linked.session.routine.name == "Evening lift"


def test_an_older_export_keeps_its_reactions_and_imports_without_the_newer_sections(user):
    sessions = [
        a_session(key="session-1", reaction="none"),
        a_session(key="session-2", reaction="breakout", performed_at="2026-11-16T07:30:00+00:00"),
        a_session(key="session-3", performed_at="2026-11-15T07:30:00+00:00"),
    ]

    import_zip(user, archive_with(minimal_document(sessions=sessions)))

    reactions = MassageSession.objects.for_user(user).order_by("-performed_at")
    assert list(reactions.values_list("reaction", "reaction_noted_at")) == [
        ("none", None),
        ("breakout", None),
        ("", None),
    ]
    assert not HealthCheck.objects.exists()


def test_the_answers_come_back_as_they_were_and_unknown_ones_are_left_out(user):
    document = minimal_document(
        health_check={"conditions": ["pregnancy", "third_eye", 42, ["x"]], "agreed_at": AGREED}
    )

    import_zip(user, archive_with(document))

    restored = HealthCheck.objects.get(owner=user)
    assert restored.conditions == ["pregnancy"]
    assert restored.agreed_at.isoformat() == AGREED


def test_answers_given_since_signing_up_stay_and_the_import_goes_ahead(user, make_user):
    make_full_account(user)
    newcomer = make_user("alice-again")
    HealthCheck.objects.record(newcomer, [HealthCondition.PREGNANCY], agreed_at=TUESDAY_MORNING)

    result = import_zip(newcomer, io.BytesIO(make_export(user)))

    assert result.sessions == 2
    assert HealthCheck.objects.get(owner=newcomer).conditions == ["pregnancy"]
    assert "Your answers to the check before you start were kept" in result.summary()


def test_answers_given_while_the_import_runs_make_it_refused_whole(user, make_user, monkeypatch):
    make_full_account(user)
    newcomer = make_user("alice-again")
    prepare = portability.restore._prepare

    def answer_meanwhile(owner, plan):
        prepared = prepare(owner, plan)
        HealthCheck.objects.record(owner, [HealthCondition.PREGNANCY], agreed_at=TUESDAY_MORNING)
        return prepared

    monkeypatch.setattr(portability.restore, "_prepare", answer_meanwhile)

    with pytest.raises(ImportRefused, match="while this import ran: nothing was imported"):
        import_zip(newcomer, io.BytesIO(make_export(user)))

    assert owned_counts(newcomer) == {**dict.fromkeys(owned_counts(newcomer), 0), "HealthCheck": 1}
    assert HealthCheck.objects.get(owner=newcomer).conditions == ["pregnancy"]


def test_restored_photos_are_new_files_with_the_same_pictures(user, make_user):
    make_full_account(user)
    newcomer = make_user("alice-again")
    import_zip(newcomer, io.BytesIO(make_export(user)))

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
    make_full_account(user)
    busy = make_user("busy")
    make_session(busy, TUESDAY_MORNING)
    before = owned_counts(busy)

    with pytest.raises(ImportRefused, match="already holds 1 session:"):
        import_zip(busy, io.BytesIO(make_export(user)))

    assert owned_counts(busy) == before


def test_a_second_import_of_the_same_export_is_refused(user, make_user):
    make_full_account(user)
    newcomer = make_user("alice-again")
    data = make_export(user)
    import_zip(newcomer, io.BytesIO(data))
    before = owned_counts(newcomer)
    with pytest.raises(ImportRefused, match="already holds 2 sessions, 2 routines, 3 tools"):
        import_zip(newcomer, io.BytesIO(data))
    assert owned_counts(newcomer) == before


@pytest.mark.parametrize("kind", ["routine", "tool", "product", "rest week", "photo", "session"])
def test_an_import_into_an_account_holding_anything_is_refused_so_nothing_is_duplicated(
    user, make_user, kind: str
):
    # Even an export without sessions: twice imported, it would double tools and routines.
    make_tool(user, "Jade roller")
    make_routine(user, "Evening lift")
    data = make_export(user)
    newcomer = make_user("alice-again")
    makers = {
        "routine": lambda: make_routine(newcomer),
        "tool": lambda: make_tool(newcomer),
        "product": lambda: make_product(newcomer),
        "rest week": lambda: make_rest_week(newcomer, date(2026, 11, 16)),
        "photo": lambda: make_photo(newcomer),
        "session": lambda: make_session(newcomer, TUESDAY_MORNING),
    }
    makers[kind]()
    before = owned_counts(newcomer)

    with pytest.raises(ImportRefused, match=f"already holds 1 {kind}:"):
        import_zip(newcomer, io.BytesIO(data))

    assert owned_counts(newcomer) == before


def test_location_and_comments_in_an_imported_photo_are_stripped(user):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Spy camera maker"
    tagged = samples.jpeg((64, 48), exif=exif, comment=b"home address")
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
    assert owned_counts(user) == dict.fromkeys(owned_counts(user), 0)
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
        (minimal_document(version=3), "format version 3"),
        (minimal_document(sessions={"key": "x"}), "must be a list"),
        (minimal_document(sessions=["a session"]), "Session 1: must be an object"),
        (minimal_document(sessions=[a_session(minutes="ten")]), "Session 1, minutes"),
        (minimal_document(sessions=[a_session(minutes=True)]), "must be a whole number"),
        (minimal_document(sessions=[a_session(minutes=500)]), "more than 180 minutes"),
        (minimal_document(sessions=[a_session(minutes=None)]), "must have a value"),
        (minimal_document(sessions=[a_session(notes=["list"])]), "must be text"),
        (minimal_document(sessions=[a_session(pressure="brutal")]), "brutal is not one of"),
        (minimal_document(sessions=[a_session(techniques=["flying"])]), "flying is not one of"),
        (minimal_document(sessions=[a_session(areas="neck")]), "areas: Enter a list of values"),
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
        (minimal_document(sessions=[a_session(reaction="itchy")]), "itchy is not one of"),
        (minimal_document(health_check=["pregnancy"]), "“health_check” in data.json must be"),
        (
            minimal_document(health_check={"conditions": "pregnancy", "agreed_at": AGREED}),
            "Health check, conditions: Enter a list of values.",
        ),
        (
            minimal_document(health_check={"conditions": ["x"] * 101, "agreed_at": AGREED}),
            "The health check holds 101 answers; an import takes at most 100.",
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
        (a_photo(), {"photos__a.jpg": samples.jpeg((64, 48))[:300]}, "damaged or incomplete"),
        (
            a_photo(),
            {"photos__a.jpg": samples.png((8, 8)) + b"<html>"},
            "extra data after the image",
        ),
    ],
)
def test_photos_that_are_missing_or_not_images_are_refused(user, photo, members, message):
    document = minimal_document(photos=[photo])
    assert message in refusal(user, archive_with(document, **members))


def test_photo_files_stored_before_a_refusal_are_removed(user):
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(
        document, **{"photos__a.jpg": samples.jpeg((64, 48)), "photos__b.jpg": b"junk"}
    )
    assert "Photo 2 (photos/b.jpg)" in refusal(user, archive)


def test_photo_files_are_removed_when_the_database_refuses_the_rows(user, monkeypatch):
    from django.db import IntegrityError

    insert = Batch._insert

    def refuse_photos(batch, step):
        if step.model is ProgressPhoto:
            raise IntegrityError("simulated")
        insert(batch, step)

    monkeypatch.setattr(Batch, "_insert", refuse_photos)
    document = minimal_document(sessions=[a_session()], photos=[a_photo()])
    archive = archive_with(document, **{"photos__a.jpg": samples.jpeg((64, 48))})
    assert "nothing was imported" in refusal(user, archive)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(user):
    archive = archive_with(minimal_document(), padding__bin=b"\0" * (20 * 1024 * 1024))
    assert "compressed" in refusal(user, archive)


def test_a_zip_with_too_many_files_is_refused(user, monkeypatch):
    monkeypatch.setattr(portability.archive, "MAX_MEMBERS", 10)
    members = {f"junk{n}.txt": b"x" for n in range(11)}
    assert "more than 10 files" in refusal(user, archive_with(minimal_document(), **members))


def test_a_zip_that_unpacks_to_too_much_is_refused(user, monkeypatch):
    monkeypatch.setattr(portability.archive, "MAX_UNCOMPRESSED_BYTES", 1000)
    archive = archive_with(minimal_document(), big__bin=bytes(range(256)) * 8)
    assert "unpacks to more than" in refusal(user, archive)


def test_an_oversized_data_file_is_refused_without_reading_it_whole(user, settings):
    settings.IMPORT_MAX_DATA_BYTES = 100
    document = minimal_document(notes="x" * 200)
    assert "“data.json” is larger than" in refusal(user, archive_with(document))


def test_a_damaged_member_is_refused(user):
    archive = archive_with(minimal_document())
    data = bytearray(archive.getvalue())
    # Flip bytes inside the compressed data.json: its CRC no longer matches.
    start = data.index(b"data.json") + len(b"data.json")
    data[start + 2 : start + 6] = b"\xde\xad\xbe\xef"
    assert "damaged" in refusal(user, io.BytesIO(bytes(data)))


def test_an_import_that_would_pass_the_photo_quota_is_refused(user, settings):
    settings.PHOTO_QUOTA = 1
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(
        document,
        **{"photos__a.jpg": samples.jpeg((64, 48)), "photos__b.jpg": samples.jpeg((64, 48))},
    )
    assert "This export holds 2 photos; an import takes at most 1." in refusal(user, archive)


def test_a_photo_uploaded_while_an_import_decodes_makes_the_import_refused_whole(
    user, settings, monkeypatch
):
    # The write checks again, under the lock uploads take too: the account is no longer empty
    # (and the quota would be passed), so the import leaves nothing behind, files included.
    settings.PHOTO_QUOTA = 2
    store = portability.restore._store_photo_files

    def upload_meanwhile(archive, plan):
        store(archive, plan)
        image = process_upload(io.BytesIO(samples.jpeg((64, 48))))
        ProgressPhoto.objects.add_uploads(user, [image], taken_at=None)

    monkeypatch.setattr(portability.restore, "_store_photo_files", upload_meanwhile)
    document = minimal_document(photos=[a_photo(), a_photo(file="photos/b.jpg")])
    archive = archive_with(
        document,
        **{"photos__a.jpg": samples.jpeg((64, 48)), "photos__b.jpg": samples.jpeg((64, 48))},
    )

    with pytest.raises(ImportRefused, match="already holds 1 photo:"):
        import_zip(user, archive)
    (uploaded,) = ProgressPhoto.objects.all()
    assert set(stored_names(default_storage)) == {uploaded.image.name, uploaded.thumbnail.name}
    assert not MassageSession.objects.exists()
    assert not PendingFile.objects.exists()
