"""Format version 2: eye marks and experiments travel, and version 1 archives still import."""

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.factories import make_export, make_full_account
from tests.portability.test_restore import archive_with, minimal_document
from tracker import portability
from tracker.models import Experiment, HealthCheck, MassageSession, Product, ProgressPhoto
from tracker.portability import ImportRefused, export_document, import_zip

# Made by the version 1 export (main before issue 13) from tests.factories.make_full_account.
V1_ARCHIVE = Path(__file__).resolve().parent.parent / "data" / "export-v1.zip"


def test_an_export_is_format_version_2_with_experiments_and_eye_marks(user):
    make_full_account(user)

    document, _files = export_document(user)

    assert document["version"] == portability.FORMAT_VERSION == 2
    experiments = {e["subject"]: e for e in document["experiments"]}
    assert experiments["Jojoba oil"] | {"product": None, "routine": None} == {
        "change": "product",
        "technique": "",
        "sessions_per_week": None,
        "subject": "Jojoba oil",
        "note": "Only in the evening",
        "started_on": "2026-09-01",
        "weeks": 4,
        "angle": "front",
        "ended_on": "2026-09-20",
        "product": None,
        "routine": None,
    }
    assert experiments["Jojoba oil"]["product"] == "product-1"
    assert experiments["Gua sha scraping"]["technique"] == "gua_sha"
    marked = [p for p in document["photos"] if p["eye_left_x"] is not None]
    assert [
        (p["eye_left_x"], p["eye_left_y"], p["eye_right_x"], p["eye_right_y"]) for p in marked
    ] == [(20.5, 24.25, 44.0, 23.5)]
    assert "aligned" not in marked[0]


def test_experiments_and_eye_marks_come_back_from_an_import(user, make_user):
    make_full_account(user)
    newcomer = make_user("alice-again")

    result = import_zip(newcomer, io.BytesIO(make_export(user)))

    assert result.experiments == 2
    assert "2 experiments" in result.summary()
    ended = Experiment.objects.for_user(newcomer).get(change="product")
    assert ended.product.owner == newcomer and ended.product.name == "Jojoba oil"
    assert ended.ended_on == date(2026, 9, 20)
    marked = ProgressPhoto.objects.for_user(newcomer).exclude(eye_left_x=None).get()
    assert marked.eyes.left == (20.5, 24.25)
    assert not marked.aligned


def test_a_version_1_archive_still_imports(user):
    with zipfile.ZipFile(V1_ARCHIVE) as archive:
        assert json.loads(archive.read("data.json"))["version"] == 1

    result = import_zip(user, V1_ARCHIVE.open("rb"))

    assert (result.sessions, result.photos, result.experiments) == (2, 2, 0)
    assert MassageSession.objects.for_user(user).filter(reaction="redness").exists()
    assert Product.objects.for_user(user).exclude(paused_on=None).exists()
    assert HealthCheck.objects.for_user(user).get().conditions == ["bruises_easily"]
    assert not ProgressPhoto.objects.for_user(user).exclude(eye_left_x=None).exists()


def a_photo_with(**fields) -> dict:
    return {"taken_at": "2026-11-17T07:30:00+00:00", "file": "photos/a.jpg", **fields}


def jpeg(size=(64, 48)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "peachpuff").save(out, "JPEG")
    return out.getvalue()


EYES = {"eye_left_x": 10, "eye_left_y": 10, "eye_right_x": 40, "eye_right_y": 12}


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        (EYES | {"eye_right_x": 65}, "must lie on the photo"),
        (EYES | {"eye_right_x": 10, "eye_right_y": 10}, "same point"),
        (EYES | {"eye_right_y": None}, "need both eyes"),
        (EYES | {"eye_left_x": "10"}, "must be a number"),
        (EYES | {"eye_left_x": True}, "must be a number"),
    ],
)
def test_eye_marks_an_archive_gets_wrong_are_refused(user, marks, message):
    document = minimal_document(version=2, photos=[a_photo_with(**marks)])

    with pytest.raises(ImportRefused, match=message):
        import_zip(user, archive_with(document, **{"photos__a.jpg": jpeg()}))

    assert not ProgressPhoto.objects.exists()


def an_experiment(**fields) -> dict:
    return {"change": "technique", "technique": "rolling", "started_on": "2026-10-01", **fields}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ended_on": "2026-09-01"}, "ends before it starts"),
        ({"started_on": "2099-01-01"}, "more than a year ahead"),
        ({"ended_on": "2099-01-01"}, "in the future"),
        ({"weeks": 0}, "weeks"),
        ({"change": "everything"}, "change"),
        ({"product": "product-9"}, "not in the export"),
    ],
)
def test_an_experiment_an_archive_gets_wrong_is_refused(user, fields, message):
    document = minimal_document(version=2, experiments=[an_experiment(**fields)])

    with pytest.raises(ImportRefused, match=message):
        import_zip(user, archive_with(document))

    assert not Experiment.objects.exists()
