"""Ids no database column can hold are an invalid choice in every form, never a 500.

SQLite's driver raised OverflowError for 9223372036854775808 in a list of ids (tools,
products); PostgreSQL simply found nothing. Both now answer like PostgreSQL did.
"""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import make_product, make_routine, make_session, make_tool
from tracker.images import process_upload
from tracker.models import MassageSession, ProgressPhoto, Routine, RoutineStep, Tool

pytestmark = pytest.mark.django_db

HUGE_IDS = [
    "9223372036854775808",  # one past the largest 64-bit id
    "-9223372036854775809",
    "1" + "0" * 40,
    "9223372036854775807",  # the largest id a column holds, and nobody's
    "0",
    "-1",
]
WHEN = datetime(2026, 11, 17, 7, 30, tzinfo=UTC)


def session_data(**fields) -> dict:
    return {
        "performed_at": "2026-11-17T07:30",
        "minutes": "10",
        "pressure": "gentle",
        "reaction": "none",
        **fields,
    }


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "peachpuff").save(out, "JPEG")
    return SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg")


def photo_of(owner) -> ProgressPhoto:
    return ProgressPhoto.objects.add_uploads(owner, [process_upload(jpeg())], taken_at=WHEN)[0]


@pytest.mark.parametrize("value", HUGE_IDS)
@pytest.mark.parametrize("field", ["tools", "products", "routine"])
def test_the_session_form_calls_an_id_out_of_range_an_invalid_choice(
    user, user_client, field: str, value: str
):
    make_tool(user), make_product(user), make_routine(user)

    new = user_client.post(reverse("tracker:session-new"), session_data(**{field: value}))
    session = make_session(user, WHEN)
    edit = user_client.post(
        reverse("tracker:session-edit", args=[session.pk]), session_data(**{field: [value]})
    )

    for response in (new, edit):
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert MassageSession.objects.count() == 1


@pytest.mark.parametrize("value", HUGE_IDS)
def test_the_routine_and_step_forms_call_an_id_out_of_range_an_invalid_choice(
    user, user_client, value: str
):
    routine = make_routine(user)
    steps = RoutineStep.objects.count()

    new = user_client.post(reverse("tracker:routine-new"), {"name": "R", "products": value})
    edit = user_client.post(
        reverse("tracker:routine-detail", args=[routine.pk]), {"name": "R", "products": value}
    )
    step = user_client.post(
        reverse("tracker:step-add", args=[routine.pk]),
        {"technique": "effleurage", "area": "neck", "seconds": "60", "tool": value},
    )

    assert new.status_code == edit.status_code == 200
    assert "Select a valid choice" in new.content.decode()
    assert step.status_code in (200, 302)
    assert Routine.objects.count() == 1
    assert RoutineStep.objects.count() == steps
    assert not Tool.objects.exists()


@pytest.mark.parametrize("value", HUGE_IDS)
def test_the_photo_forms_call_a_session_out_of_range_an_invalid_choice(
    user, user_client, value: str
):
    photo = photo_of(user)
    details = {"angle": "front", "timing": "unrelated", "session": value}

    upload = user_client.post(reverse("tracker:photo-new"), {**details, "photos": jpeg()})
    edit = user_client.post(
        reverse("tracker:photo-edit", args=[photo.pk]), {**details, "taken_at": "2026-11-17T07:30"}
    )

    for response in (upload, edit):
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert ProgressPhoto.objects.count() == 1
