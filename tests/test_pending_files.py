"""No photo file outlives an upload or import that died: files are noted as pending before they
are stored, claimed by the transaction that saves their rows, and swept an hour later by the
next upload or import (or cleanup_photo_files). Proven by killing a real process mid-import.
"""

import io
import json
import os
import signal
import subprocess
import sys
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests.sqlite_file import database_shared_by_threads, run_together
from tracker.backups import stored_names
from tracker.images import process_upload
from tracker.models import MassageSession, PendingFile, PhotoQuotaFull, ProgressPhoto
from tracker.portability import ImportRefused, import_zip

ROOT = Path(__file__).resolve().parent.parent
TAKEN = "2026-11-17T07:30:00+00:00"


def jpeg(colour: str = "peachpuff") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, "JPEG")
    return out.getvalue()


def export_with_photos(count: int) -> bytes:
    document = {
        "format": "facetrack-export",
        "version": 1,
        "sessions": [{"key": "s", "performed_at": TAKEN, "local_date": TAKEN[:10], "minutes": 10}],
        "photos": [
            {"taken_at": TAKEN, "file": f"photos/photo-{n}.jpg", "session": "s"}
            for n in range(count)
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.json", json.dumps(document))
        for n in range(count):
            archive.writestr(f"photos/photo-{n}.jpg", jpeg())
    return out.getvalue()


def files() -> set[str]:
    return set(stored_names(default_storage))


def later(time_machine, minutes: int) -> None:
    time_machine.move_to(timezone.now() + timedelta(minutes=minutes), tick=False)


# The notes themselves --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_uploads_files_are_noted_before_they_are_stored_and_claimed_with_the_row(
    user, monkeypatch
):
    noted_before_stored = []
    storage_class = type(storages["default"])
    save = storage_class.save

    def save_and_check(storage, name, content, **kwargs):
        noted_before_stored.append(PendingFile.objects.filter(name=name).exists())
        return save(storage, name, content, **kwargs)

    monkeypatch.setattr(storage_class, "save", save_and_check)

    (photo,) = ProgressPhoto.objects.add_uploads(
        user, [process_upload(io.BytesIO(jpeg()))], taken_at=None
    )

    assert noted_before_stored == [True, True]
    assert files() == {photo.image.name, photo.thumbnail.name}
    assert not PendingFile.objects.exists()


@pytest.mark.django_db
def test_a_refused_upload_leaves_neither_files_nor_notes(user, settings):
    settings.PHOTO_QUOTA = 0

    with pytest.raises(PhotoQuotaFull):
        ProgressPhoto.objects.add_uploads(user, [process_upload(io.BytesIO(jpeg()))], taken_at=None)

    assert files() == set()
    assert not PendingFile.objects.exists()


@pytest.mark.django_db
def test_the_sweep_deletes_files_pending_for_over_an_hour_and_keeps_younger_ones(
    time_machine, user, monkeypatch
):
    for name in ("photos/abandoned.jpg", "photos/owned.jpg"):
        PendingFile.objects.note([name])
        default_storage.save(name, ContentFile(b"x"))
    ProgressPhoto.objects.create(owner=user, image="photos/owned.jpg", thumbnail="photos/owned.jpg")
    later(time_machine, 59)
    PendingFile.objects.note(["photos/in-flight.jpg"])
    PendingFile.objects.filter(name="photos/in-flight.jpg").update(stored_at=timezone.now())
    default_storage.save("photos/in-flight.jpg", ContentFile(b"x"))

    swept = PendingFile.objects.sweep(default_storage)

    assert swept == []
    later(time_machine, 2)
    assert PendingFile.objects.sweep(default_storage) == ["photos/abandoned.jpg"]
    assert files() == {"photos/owned.jpg", "photos/in-flight.jpg"}
    assert list(PendingFile.objects.values_list("name", flat=True)) == ["photos/in-flight.jpg"]


@pytest.mark.django_db
def test_an_import_whose_files_were_given_up_meanwhile_is_refused_and_leaves_nothing(
    user, monkeypatch
):
    from tracker import portability

    store = portability.restore._store_photo_files

    def store_then_lose_the_notes(archive, plan):
        store(archive, plan)
        PendingFile.objects.all().delete()  # as a sweep an hour later would

    monkeypatch.setattr(portability.restore, "_store_photo_files", store_then_lose_the_notes)

    with pytest.raises(ImportRefused, match="took too long"):
        import_zip(user, io.BytesIO(export_with_photos(2)))

    assert not ProgressPhoto.objects.exists()
    assert files() == set()


@pytest.mark.django_db
def test_cleanup_photo_files_sweeps_abandoned_files_too(time_machine, monkeypatch):
    PendingFile.objects.note(["photos/abandoned.jpg"])
    default_storage.save("photos/abandoned.jpg", ContentFile(b"x"))
    later(time_machine, 61)
    out = io.StringIO()

    call_command("cleanup_photo_files", stdout=out)

    assert "Deleted photos/abandoned.jpg (its upload or import never finished)" in out.getvalue()
    assert files() == set()
    assert not PendingFile.objects.exists()


# Killing a real process mid-import ----------------------------------------------------------

CHILD = """
import sys, time
import django
django.setup()
from django.contrib.auth.models import User
from tracker.models import ProgressPhoto
from tracker.models.files import PendingFileQuerySet
from tracker.portability import import_zip

moment, archive, user_pk = sys.argv[1], sys.argv[2], int(sys.argv[3])
if moment == "decoding":
    attach, stored = ProgressPhoto.attach, []

    def attach_and_wait(photo, processed):
        attach(photo, processed)
        stored.append(photo)
        print(f"stored {len(stored)}", flush=True)
        if len(stored) == 3:
            time.sleep(600)

    ProgressPhoto.attach = attach_and_wait
else:
    claim = PendingFileQuerySet.claim

    def claim_and_wait(notes, names):
        claim(notes, names)
        print("written, not committed", flush=True)
        time.sleep(600)

    PendingFileQuerySet.claim = claim_and_wait
with open(archive, "rb") as data:
    import_zip(User.objects.get(pk=user_pk), data)
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def import_killed(moment: str, archive: Path, user_pk: int, media: Path, marker: str) -> None:
    """Run an import in another process and kill -9 it once it prints `marker`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "DJANGO_VAR_DIR": str(media.parent / "var"),
        "DJANGO_MEDIA_ROOT": str(media),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, moment, str(archive), str(user_pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(120, child.kill)
    timer.start()
    try:
        for line in child.stdout:
            if line.strip() == marker:
                child.send_signal(signal.SIGKILL)
                break
        child.wait(timeout=30)
    finally:
        timer.cancel()
    assert child.returncode == -signal.SIGKILL, child.stderr.read()


@pytest.fixture
def media_on_disk(settings, tmp_path) -> Path:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return media


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("moment", "marker", "left"),
    [("decoding", "stored 3", 6), ("writing", "written, not committed", 10)],
)
def test_an_import_killed_mid_way_leaves_only_noted_files_which_the_next_import_removes(
    time_machine,
    make_user,
    tmp_path,
    media_on_disk,
    monkeypatch,
    moment: str,
    marker: str,
    left: int,
):
    archive = tmp_path / "export.zip"
    archive.write_bytes(export_with_photos(5))
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")

        import_killed(moment, archive, user.pk, media_on_disk, marker)

        # Nothing was saved, and every file on disk is noted as pending.
        assert not ProgressPhoto.objects.exists()
        assert not MassageSession.objects.exists()
        noted = set(PendingFile.objects.values_list("name", flat=True))
        assert len(noted) == left
        assert files() == noted

        # The next import, an hour later, removes them before it stores its own.
        later(time_machine, 61)
        result = import_zip(user, io.BytesIO(archive.read_bytes()))

        assert result.photos == 5
        owned = {n for p in ProgressPhoto.objects.all() for n in (p.image.name, p.thumbnail.name)}
        assert files() == owned
        assert len(owned) == 10
        assert not PendingFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_files_of_a_killed_import_are_removed_by_cleanup_photo_files(
    time_machine, make_user, tmp_path, media_on_disk, monkeypatch
):
    archive = tmp_path / "export.zip"
    archive.write_bytes(export_with_photos(4))
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")
        import_killed("decoding", archive, user.pk, media_on_disk, "stored 3")
        assert len(files()) == 6

        later(time_machine, 61)
        call_command("cleanup_photo_files", stdout=io.StringIO())

        assert files() == set()
        assert not PendingFile.objects.exists()


# Two additions at once, one quota ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_photos_at_once_cannot_pass_the_quota_together(
    make_user, tmp_path, settings
):
    settings.PHOTO_QUOTA = 3
    data = export_with_photos(2)
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")

        def importing():
            import_zip(type(user).objects.get(pk=user.pk), io.BytesIO(data))

        outcomes = run_together(importing, importing)

        assert sorted(type(o).__name__ for o in outcomes) == ["ImportRefused", "NoneType"]
        assert ProgressPhoto.objects.filter(owner=user).count() == 2
        owned = {n for p in ProgressPhoto.objects.all() for n in (p.image.name, p.thumbnail.name)}
        assert files() == owned
        assert not PendingFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_upload_beside_an_import_cannot_pass_the_quota_with_it(make_user, tmp_path, settings):
    settings.PHOTO_QUOTA = 3
    data = export_with_photos(2)
    images = [process_upload(io.BytesIO(jpeg(colour))) for colour in ("white", "black")]
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")

        def importing():
            import_zip(type(user).objects.get(pk=user.pk), io.BytesIO(data))

        def uploading():
            owner = type(user).objects.get(pk=user.pk)
            ProgressPhoto.objects.add_uploads(owner, images, taken_at=None)

        outcomes = run_together(importing, uploading)

        refused = [o for o in outcomes if o is not None]
        assert len(refused) == 1
        assert isinstance(refused[0], ImportRefused | PhotoQuotaFull)
        assert ProgressPhoto.objects.filter(owner=user).count() == 2
        owned = {n for p in ProgressPhoto.objects.all() for n in (p.image.name, p.thumbnail.name)}
        assert files() == owned
