"""Import limits: the largest export the settings allow goes in whole while another person keeps
writing, and one just over any limit is refused before it is parsed, built or decoded.

Runs on SQLite and, in `make test-postgres`, on PostgreSQL.
"""

import io
import json
import threading
import time
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection

from benchmarks.imports import largest_export
from tests.sqlite_file import database_shared_by_threads
from tracker import portability
from tracker.backups import stored_names
from tracker.models import (
    MassageSession,
    Product,
    ProgressPhoto,
    ReminderClaim,
    RestWeek,
    Routine,
    RoutineStep,
    Tool,
)
from tracker.portability import ImportRefused, import_zip
from tracker.portability.archive import max_containers, weeks_in_range
from tracker.portability.reminders import MAX_SENT

TODAY = datetime.now(UTC).date()


def zipped(document: dict | bytes, stored: bool = False, **members: bytes) -> io.BytesIO:
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr(
            "data.json", document if isinstance(document, bytes) else json.dumps(document)
        )
        for name, data in members.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def export_with(**sections) -> dict:
    return {"format": "facetrack-export", "version": 1, **sections}


def everything(owner) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(owner=owner).count()
        for model in (Tool, Product, Routine, MassageSession, RestWeek, ProgressPhoto)
    }


@pytest.fixture
def nothing_built(monkeypatch):
    """Fail the test if any record is built or photo decoded: limits come before that."""

    def built(*args, **kwargs):
        raise AssertionError("a record was built before the limits were checked")

    monkeypatch.setattr(portability.records.RecordChecker, "build", built)
    monkeypatch.setattr(portability.restore, "process_upload", built)


def over_limit(user, archive: io.BytesIO) -> str:
    files = set(stored_names(default_storage))
    with pytest.raises(ImportRefused) as refused:
        import_zip(user, archive)
    assert everything(user) == dict.fromkeys(everything(user), 0)
    assert set(stored_names(default_storage)) == files
    return str(refused.value)


# One just over each limit ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("section", "setting", "noun"),
    [
        ("sessions", "IMPORT_MAX_SESSIONS", "sessions"),
        ("routines", "IMPORT_MAX_ROUTINES", "routines"),
        ("tools", "IMPORT_MAX_TOOLS", "tools"),
        ("products", "IMPORT_MAX_PRODUCTS", "products"),
        ("photos", "PHOTO_QUOTA", "photos"),
    ],
)
def test_one_record_over_a_limit_is_refused_before_any_record_is_built(
    user, nothing_built, section: str, setting: str, noun: str
):
    limit = getattr(django_settings, setting)
    archive = zipped(export_with(**{section: [{}] * (limit + 1)}))

    message = over_limit(user, archive)

    assert f"This export holds {limit + 1:,} {noun}; an import takes at most {limit:,}." in message


@pytest.mark.django_db
def test_more_rest_weeks_than_weeks_since_2000_are_refused(user, nothing_built):
    archive = zipped(export_with(rest_weeks=[{}] * (weeks_in_range() + 1)))

    assert "rest weeks; an import takes at most" in over_limit(user, archive)


@pytest.mark.django_db
def test_a_routine_one_step_over_the_limit_is_refused(user, nothing_built, settings):
    steps = [{}] * (settings.ROUTINE_MAX_STEPS + 1)
    archive = zipped(export_with(routines=[{"key": "r", "name": "R", "steps": steps}]))

    assert "Routine 1 has 51 steps; a routine holds at most 50." in over_limit(user, archive)


@pytest.mark.django_db
def test_two_photo_records_cannot_share_one_file(user, nothing_built):
    photo = {"taken_at": "2026-01-01T08:00:00+00:00", "file": "photos/a.jpg"}
    archive = zipped(export_with(photos=[photo, photo]), **{"photos/a.jpg": b"\xff\xd8"})

    assert "Photo 2: “photos/a.jpg” is another photo's file already." in over_limit(user, archive)


@pytest.mark.django_db
def test_a_data_file_one_byte_over_its_limit_is_refused_before_it_is_read(
    user, monkeypatch, settings
):
    def parsed(*args, **kwargs):
        raise AssertionError("data.json was parsed")

    monkeypatch.setattr(portability.archive.json, "loads", parsed)
    text = json.dumps(export_with(notes=""))
    padding = settings.IMPORT_MAX_DATA_BYTES + 1 - len(text)
    document = json.dumps(export_with(notes="x" * padding)).encode()
    assert len(document) == settings.IMPORT_MAX_DATA_BYTES + 1

    message = over_limit(user, zipped(document, stored=True))

    assert message == "“data.json” is larger than 20 MB."


@pytest.mark.django_db
def test_a_data_file_of_empty_objects_is_refused_before_json_builds_them(user, monkeypatch):
    def parsed(*args, **kwargs):
        raise AssertionError("data.json was parsed")

    monkeypatch.setattr(portability.archive.json, "loads", parsed)
    objects = max_containers()
    document = b'{"format": "facetrack-export", "version": 1, "x": [' + b"{}," * objects + b"{}]}"

    assert "objects and lists: more than an export" in over_limit(user, zipped(document))


@pytest.mark.django_db
def test_an_export_just_under_the_object_count_is_read(user):
    # The bound leaves room for brackets in names and notes of the largest export.
    notes = "[" * 50_000
    archive = zipped(export_with(tools=[{"key": "t", "name": "Roller", "material": ""}], x=notes))

    assert import_zip(user, archive).tools == 1


# The largest allowed import, with another person writing meanwhile ----------------------------


def neighbour_writes(owner_pk: int, started: threading.Event, done: threading.Event, log: dict):
    """Another person logging sessions all through the import's write, each write timed."""
    from django.contrib.auth.models import User

    try:
        owner = User.objects.get(pk=owner_pk)
        started.wait(timeout=120)
        while True:
            began = time.perf_counter()
            try:
                MassageSession.objects.log(owner, performed_at=datetime.now(UTC), minutes=5)
            except Exception as error:
                log["failures"].append(error)
            log["waits"].append(time.perf_counter() - began)
            if done.is_set():
                break
            time.sleep(0.002)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_the_largest_allowed_import_goes_in_whole_while_another_person_writes(
    make_user, tmp_path, monkeypatch, capsys
):
    data = largest_export(
        sessions=django_settings.IMPORT_MAX_SESSIONS,
        routines=django_settings.IMPORT_MAX_ROUTINES,
        steps=django_settings.ROUTINE_MAX_STEPS,
        tools=django_settings.IMPORT_MAX_TOOLS,
        products=django_settings.IMPORT_MAX_PRODUCTS,
        photos=django_settings.PHOTO_QUOTA,
        today=TODAY - timedelta(days=1),
        reminders_sent=MAX_SENT,
    )
    with database_shared_by_threads(tmp_path):
        importer, neighbour = make_user("importer"), make_user("neighbour")
        started, done = threading.Event(), threading.Event()
        log: dict = {"waits": [], "failures": []}
        # The neighbour starts writing as the import's transaction begins.
        lock = type(importer.profile).lock

        def lock_and_signal(profile):
            lock(profile)
            if profile.user_id == importer.pk:
                started.set()
                time.sleep(0.05)  # let the neighbour's first write queue behind the import

        monkeypatch.setattr(type(importer.profile), "lock", lock_and_signal)
        thread = threading.Thread(target=neighbour_writes, args=(neighbour.pk, started, done, log))
        thread.start()
        try:
            result = import_zip(importer, io.BytesIO(data))
        finally:
            started.set()
            done.set()
            thread.join(timeout=60)

        assert log["failures"] == []
        assert log["waits"], "the neighbour never wrote"
        assert (result.sessions, result.routines, result.tools, result.products) == (
            20_000,
            200,
            1_000,
            1_000,
        )
        assert result.photos == django_settings.PHOTO_QUOTA
        assert RoutineStep.objects.filter(routine__owner=importer).count() == 200 * 50
        assert ReminderClaim.objects.for_user(importer).count() == MAX_SENT
        assert MassageSession.objects.for_user(neighbour).count() == len(log["waits"])
        with capsys.disabled():
            print(
                f"\n[{connection.vendor}] largest import: write lock {result.write_seconds:.3f} s;"
                f" neighbour's slowest write {max(log['waits']) * 1000:.0f} ms"
                f" of {len(log['waits'])}"
            )


@pytest.mark.django_db
def test_the_largest_exports_dates_are_all_in_range():
    # The builder must make what the forms accept, or the test above would test a refusal.
    document = json.loads(
        zipfile.ZipFile(
            io.BytesIO(
                largest_export(
                    sessions=20_000, routines=1, steps=1, tools=1, products=1, photos=1, today=TODAY
                )
            )
        ).read("data.json")
    )
    days = [date.fromisoformat(s["local_date"]) for s in document["sessions"]]

    assert date(2000, 1, 1) <= min(days) and max(days) <= TODAY
