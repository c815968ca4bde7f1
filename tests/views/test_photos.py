"""Progress photo pages: upload and refusals, private serving, gallery, edit, delete, compare."""

import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from tests import photo_samples as samples
from tests.factories import WEDNESDAY_NOON, make_photo, make_session
from tests.readers import stored_files
from tracker import images
from tracker.forms import PhotoUploadForm
from tracker.images import process_upload
from tracker.models import ProgressPhoto
from tracker.models.bulk import Batch

pytestmark = pytest.mark.django_db

Angle, Timing = ProgressPhoto.Angle, ProgressPhoto.Timing
NEW = reverse("tracker:photo-new")
GALLERY = reverse("tracker:photos")
COMPARE = reverse("tracker:photo-compare")
NOW = WEDNESDAY_NOON
RANDOM_NAME = re.compile(r"^photos/[A-Za-z0-9_-]{32}\.jpg$")


def upload(data: bytes, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_photos(client: Client, *files, **fields):
    data = {"angle": Angle.FRONT, "timing": Timing.UNRELATED, "photos": list(files), **fields}
    return client.post(NEW, data, **fields.pop("headers", {}))


def html(response) -> str:
    return response.content.decode()


# Upload


def test_the_upload_page_offers_several_files_with_a_label_for_every_input(user_client):
    page = html(user_client.get(NEW))

    assert re.search(r'<input type="file" name="photos"[^>]* multiple', page)
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"' in page
    assert 'enctype="multipart/form-data"' in page
    for input_id in re.findall(
        r'<(?:input(?! type="hidden")|select|textarea)[^>]* id="([^"]+)"', page
    ):
        assert f'for="{input_id}"' in page, input_id
    assert 'hx-history="false"' in page
    assert "js/camera.js" in page


@pytest.mark.parametrize(
    ("query", "checked"), [("", "front"), ("?angle=left", "left"), ("?angle=up", "front")]
)
def test_the_upload_form_starts_on_the_angle_asked_for_or_front(user_client, query, checked):
    page = html(user_client.get(f"{NEW}{query}"))

    assert re.findall(r'name="angle" value="(\w+)"[^>]*checked', page) == [checked]


def test_uploading_two_photos_stores_them_under_random_names_with_thumbnails(user, user_client):
    response = post_photos(
        user_client,
        upload(samples.phone_jpeg(), name="alice-face.jpg"),
        upload(samples.heic(), name="IMG_0002.HEIC", content_type="image/heic"),
        angle=Angle.LEFT,
        timing=Timing.BEFORE,
        note="Morning light",
    )

    assert response.status_code == 302
    assert response["Location"] == f"{GALLERY}?angle=left"
    photos = list(ProgressPhoto.objects.for_user(user).order_by("pk"))
    assert len(photos) == 2
    names = [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]
    assert sorted(names) == stored_files()
    assert len(set(names)) == 4
    assert all(RANDOM_NAME.match(name) for name in names), names
    # Whole names only: a random name may contain any three letters by chance.
    assert not any(word in name for name in names for word in ("alice", "IMG_0002", "face"))
    assert {(p.angle, p.timing, p.note) for p in photos} == {
        (Angle.LEFT, Timing.BEFORE, "Morning light")
    }
    assert (photos[1].width, photos[1].height) == (400, 300)


def test_the_stored_files_carry_no_exif_gps_or_comment(user, user_client):
    post_photos(user_client, upload(samples.phone_jpeg()))

    for name in stored_files():
        data = default_storage.open(name).read()
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "comment" not in stored.info and "xmp" not in stored.info
        assert b"Alice" not in data and b"Phone maker" not in data


def test_a_photo_with_exif_orientation_6_is_stored_upright(user, user_client):
    post_photos(user_client, upload(samples.jpeg((400, 300), samples.camera_exif(orientation=6))))

    photo = ProgressPhoto.objects.get()
    assert (photo.width, photo.height) == (300, 400)
    assert Image.open(photo.image.open()).size == (300, 400)
    assert Image.open(photo.thumbnail.open()).size == (300, 400)


def test_a_photo_spooled_to_a_temporary_file_is_processed_and_the_file_removed(
    user_client, settings, tmp_path
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = samples.phone_jpeg((800, 600))
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    response = post_photos(user_client, upload(data))

    assert response.status_code == 302
    assert (ProgressPhoto.objects.get().width, ProgressPhoto.objects.get().height) == (800, 600)
    assert list(tmp_path.iterdir()) == []


def test_the_date_taken_is_read_from_the_photo_in_the_owners_time_zone(make_user, client_for):
    user = make_user("paris", timezone="Europe/Paris")
    exif = samples.camera_exif(taken="2025:06:01 10:00:00")

    post_photos(client_for(user), upload(samples.jpeg(exif=exif)))

    assert ProgressPhoto.objects.get().taken_at == datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def test_a_date_given_in_the_form_wins_over_the_photos_own(user, user_client, now):
    exif = samples.camera_exif(taken="2025:06:01 10:00:00")

    post_photos(user_client, upload(samples.jpeg(exif=exif)), taken_at="2026-11-01T09:30")

    assert ProgressPhoto.objects.get().taken_at == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_a_photo_without_a_date_is_dated_now(user, user_client, now):
    post_photos(user_client, upload(samples.png(), name="screenshot.png"))

    assert ProgressPhoto.objects.get().taken_at == NOW


def test_a_photo_dated_in_the_future_by_a_wrong_camera_clock_is_dated_now(user_client, now):
    exif = samples.camera_exif(taken="2031:01:01 10:00:00")

    post_photos(user_client, upload(samples.jpeg(exif=exif)))

    assert ProgressPhoto.objects.get().taken_at == NOW


def test_a_future_date_typed_in_the_form_is_refused(user_client, now):
    response = post_photos(user_client, upload(samples.jpeg()), taken_at="2026-12-01T09:00")

    assert response.status_code == 200
    assert "That is in the future." in html(response)
    assert stored_files() == []


def test_a_photo_can_be_linked_to_ones_own_session_only(user, other_user, user_client):
    mine, theirs = make_session(user), make_session(other_user)

    refused = post_photos(user_client, upload(samples.jpeg()), session=theirs.pk)
    accepted = post_photos(user_client, upload(samples.jpeg()), session=mine.pk)

    assert "Select a valid choice" in html(refused)
    assert accepted.status_code == 302
    assert ProgressPhoto.objects.get().session == mine


def test_an_htmx_upload_answers_with_the_form_partial_a_confirmation_and_an_event(
    user_client, htmx_headers
):
    response = user_client.post(
        NEW,
        {"angle": Angle.RIGHT, "timing": Timing.AFTER, "photos": [upload(samples.jpeg())]},
        headers=htmx_headers,
    )

    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="photo-upload"' in page
    assert "Added 1 photo." in page
    assert "photos-changed" in json.loads(response["HX-Trigger"])
    # The next photo is probably of the same angle.
    assert re.search(r'value="right"[^>]*checked', page)


def test_a_history_restore_gets_the_whole_upload_page(user_client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    assert "<html" in html(user_client.get(NEW, headers=headers))


def test_the_camera_gets_the_latest_photo_of_each_angle_to_line_up_with(user, user_client):
    make_photo(user, NOW - timedelta(days=30), Angle.FRONT)
    latest_front = make_photo(user, NOW - timedelta(days=2), Angle.FRONT)
    left = make_photo(user, NOW - timedelta(days=9), Angle.LEFT)

    page = html(user_client.get(NEW))

    overlays = re.search(r'data-overlays="([^"]*)"', page).group(1).replace("&quot;", '"')
    overlays = json.loads(overlays)
    assert overlays["front"] == {
        "src": f"/photos/{latest_front.pk}/image/",
        "width": latest_front.width,
        "height": latest_front.height,
    }
    assert overlays["left"]["src"] == f"/photos/{left.pk}/image/"


# Refused uploads: a message on the form, no row, and nothing left in storage.

# Built when a test runs, not when tests are collected.
REFUSED = {
    "a 0-byte file": (lambda: b"", "IMG_0001.jpg: this file is empty."),
    "a truncated jpeg": (samples.truncated_jpeg, images.DAMAGED),
    "a 20000 by 20000 png": (samples.huge_png, images.TOO_MANY_PIXELS),
    "an svg renamed .jpg": (lambda: samples.SVG, images.NOT_AN_IMAGE),
    "an html page renamed .jpg": (lambda: samples.HTML, images.NOT_AN_IMAGE),
    "a pdf renamed .jpg": (lambda: samples.PDF, images.NOT_AN_IMAGE),
    "a png with html appended": (lambda: samples.png() + samples.HTML, images.TRAILING_DATA),
}


@pytest.mark.parametrize(("make_data", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_bad_uploads_are_refused_with_a_message_and_leave_nothing_behind(
    user_client, make_data, message
):
    response = post_photos(user_client, upload(make_data()))

    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in html(response)
    assert not ProgressPhoto.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded(
    user_client, settings, monkeypatch
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1024 * 1024
    # A valid JPEG, padded past the limit: only its size can refuse it.
    big = samples.jpeg() + bytes(settings.PHOTO_MAX_UPLOAD_BYTES)
    monkeypatch.setattr("tracker.forms.photos.process_upload", pytest.fail)

    response = post_photos(user_client, upload(big, name="big.png"))

    assert "big.png: this file is larger than 1 MB." in html(response)
    assert stored_files() == []


def test_the_size_limit_defaults_to_20_megabytes():
    from django.conf import settings

    assert settings.PHOTO_MAX_UPLOAD_BYTES == 20 * 1024 * 1024


def test_more_photos_than_the_quota_are_refused(user, user_client, settings):
    settings.PHOTO_QUOTA = 3
    make_photo(user)
    make_photo(user)
    kept = stored_files()

    response = post_photos(user_client, upload(samples.jpeg()), upload(samples.jpeg()))

    assert "You can keep up to 3 photos and you have 2: add at most 1 more." in html(response)
    assert ProgressPhoto.objects.count() == 2
    assert stored_files() == kept


def test_a_full_quota_asks_to_delete_photos_first(user, user_client, settings):
    settings.PHOTO_QUOTA = 1
    make_photo(user)

    response = post_photos(user_client, upload(samples.jpeg()))

    assert "you have 1: delete some to add new ones." in html(response)
    assert ProgressPhoto.objects.count() == 1


def test_a_quota_filled_by_another_upload_meanwhile_is_refused_without_a_file(
    user, user_client, settings, monkeypatch
):
    # Two uploads at once: the other one saves its photo after this one's form was checked.
    settings.PHOTO_QUOTA = 1
    checked = PhotoUploadForm.clean_photos

    def clean_then_race(form):
        processed = checked(form)
        make_photo(user)
        return processed

    monkeypatch.setattr(PhotoUploadForm, "clean_photos", clean_then_race)
    kept_before_race = stored_files()

    response = post_photos(user_client, upload(samples.jpeg()))

    assert response.status_code == 200
    assert "you have 1: delete some to add new ones." in html(response)
    assert ProgressPhoto.objects.count() == 1
    assert len(stored_files()) == len(kept_before_race) + 2  # only the racing photo's two files


def test_the_quota_is_counted_per_user(user, other_user, user_client, settings):
    settings.PHOTO_QUOTA = 1
    make_photo(other_user)

    assert post_photos(user_client, upload(samples.jpeg())).status_code == 302


def test_too_many_files_at_once_are_refused(user_client, settings):
    settings.PHOTO_MAX_FILES_PER_UPLOAD = 2

    response = post_photos(user_client, *(upload(samples.jpeg()) for _ in range(3)))

    assert "Add at most 2 photos at a time." in html(response)
    assert stored_files() == []


def test_one_bad_file_refuses_the_whole_upload_and_names_the_file(user_client):
    response = post_photos(
        user_client, upload(samples.jpeg(), name="good.jpg"), upload(samples.HTML, name="bad.jpg")
    )

    page = html(response)
    assert f"bad.jpg: {images.NOT_AN_IMAGE}" in page
    assert "good.jpg" not in page
    assert stored_files() == []


def test_an_upload_without_a_file_asks_for_one(user_client):
    response = user_client.post(NEW, {"angle": Angle.FRONT, "timing": Timing.UNRELATED})

    assert "Choose at least one photo." in html(response)


def test_an_htmx_refusal_comes_back_as_the_partial_with_status_200(user_client, htmx_headers):
    response = user_client.post(
        NEW,
        {"angle": Angle.FRONT, "timing": Timing.UNRELATED, "photos": [upload(samples.SVG)]},
        headers={**htmx_headers, "HX-Target": "photo-upload"},
    )

    assert response.status_code == 200
    assert "<html" not in html(response)
    assert images.NOT_AN_IMAGE in html(response)
    assert stored_files() == []


def test_files_written_before_a_failed_save_are_removed(user_client, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Batch, "_insert", fail)

    with pytest.raises(RuntimeError):
        post_photos(user_client, upload(samples.jpeg()), upload(samples.jpeg()))

    assert not ProgressPhoto.objects.exists()
    assert stored_files() == []


# Serving the files


@pytest.mark.parametrize(
    ("url_name", "field"), [("photo-image", "image"), ("photo-thumbnail", "thumbnail")]
)
def test_the_owner_gets_the_file_privately(user, user_client, url_name, field):
    photo = make_photo(user)

    response = user_client.get(reverse(f"tracker:{url_name}", args=[photo.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == getattr(photo, field).open().read()


def test_every_photo_page_says_no_store_beside_private(user, user_client):
    # The service worker keeps pages unless they say no-store (static/js/service-worker.js);
    # `private`, on every logged-in page, lets a browser's own caches keep them.
    photo, later = make_photo(user, NOW - timedelta(days=30)), make_photo(user, NOW)
    pages = [
        GALLERY,
        NEW,
        reverse("tracker:photo-edit", args=[photo.pk]),
        reverse("tracker:photo-delete", args=[photo.pk]),
        f"{COMPARE}?before={photo.pk}&after={later.pk}",
    ]
    for url in pages:
        response = user_client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= set(
            response["Cache-Control"].replace(" ", "").split(",")
        ), url


def test_the_thumbnail_is_smaller_than_the_image(user, user_client):
    photo = ProgressPhoto(owner=user)
    photo.attach(process_upload(io.BytesIO(samples.jpeg((1600, 1200)))))
    photo.save()

    image = Image.open(
        io.BytesIO(b"".join(user_client.get(f"/photos/{photo.pk}/image/").streaming_content))
    )
    thumbnail = Image.open(
        io.BytesIO(b"".join(user_client.get(f"/photos/{photo.pk}/thumbnail/").streaming_content))
    )

    assert image.size == (1600, 1200)
    assert thumbnail.size == (images.THUMBNAIL_SIDE, 360)


def test_nginx_can_send_the_bytes_with_x_accel_redirect(user, user_client, settings):
    settings.PHOTOS_X_ACCEL_PREFIX = "/protected-photos/"
    photo = make_photo(user)

    response = user_client.get(reverse("tracker:photo-image", args=[photo.pk]))

    assert response["X-Accel-Redirect"] == f"/protected-photos/{photo.image.name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


class SigningStorage(InMemoryStorage):
    """What django-storages' S3 backend offers with querystring_auth: URLs that expire."""

    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"https://bucket.example.com/{name}?X-Amz-Expires={expire}&X-Amz-Signature=abc"


def test_an_object_store_that_signs_urls_gets_a_redirect_to_a_short_lived_one(
    user, user_client, settings
):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.SigningStorage"}}
    settings.PHOTOS_SIGNED_URL_SECONDS = 45
    photo = make_photo(user)

    response = user_client.get(reverse("tracker:photo-thumbnail", args=[photo.pk]))

    assert response.status_code == 302
    assert response["Location"] == (
        f"https://bucket.example.com/{photo.thumbnail.name}?X-Amz-Expires=45&X-Amz-Signature=abc"
    )
    assert response["Cache-Control"] == "private, no-store"


def test_no_photo_file_is_reachable_under_the_media_url(user, user_client, settings):
    photo = make_photo(user)

    for name in (photo.image.name, photo.thumbnail.name):
        assert user_client.get(f"/{settings.MEDIA_URL.strip('/')}/{name}").status_code == 404


def test_a_photo_whose_file_is_gone_is_a_404(user, user_client):
    photo = make_photo(user)
    default_storage.delete(photo.image.name)

    assert user_client.get(reverse("tracker:photo-image", args=[photo.pk])).status_code == 404


def photo_urls(photo: ProgressPhoto, other: ProgressPhoto) -> list[str]:
    return [
        reverse("tracker:photo-image", args=[photo.pk]),
        reverse("tracker:photo-thumbnail", args=[photo.pk]),
        reverse("tracker:photo-edit", args=[photo.pk]),
        reverse("tracker:photo-delete", args=[photo.pk]),
        f"{COMPARE}?before={photo.pk}&after={other.pk}",
        f"{COMPARE}?before={other.pk}&after={photo.pk}",
    ]


def test_another_user_gets_a_404_for_every_photo_url(user, other_user, client_for):
    photo = make_photo(user)
    intruder_own = make_photo(other_user)
    intruder = client_for(other_user)

    for url in photo_urls(photo, intruder_own):
        assert intruder.get(url).status_code == 404, url
        assert intruder.post(url).status_code in {404, 405}, url
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()


def test_a_logged_out_visitor_gets_a_404_for_every_photo_url(user):
    first, second = make_photo(user), make_photo(user)
    visitor = Client()

    for url in [*photo_urls(first, second), COMPARE]:
        assert visitor.get(url).status_code == 404, url
        assert visitor.post(url).status_code in {403, 404, 405}, url
    assert ProgressPhoto.objects.count() == 2


def test_a_logged_out_visitor_is_sent_to_log_in_for_the_gallery_and_the_upload_page():
    for url in (GALLERY, NEW):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_owner_reaches_every_photo_url(user, user_client):
    first, second = make_photo(user), make_photo(user)

    for url in photo_urls(first, second):
        assert user_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "query", ["?before=abc&after=1", "?before=1", "?after=1", "?before=&after="]
)
def test_a_malformed_comparison_is_a_404(user, user_client, query):
    make_photo(user)

    assert user_client.get(f"{COMPARE}{query}").status_code == 404


def test_two_photos_of_different_angles_are_not_compared(user, user_client):
    front, left = make_photo(user, angle=Angle.FRONT), make_photo(user, angle=Angle.LEFT)

    response = user_client.get(f"{COMPARE}?before={front.pk}&after={left.pk}")

    assert response.status_code == 404


# Gallery


def test_the_gallery_shows_a_timeline_per_angle_oldest_first(user, user_client, now):
    first = make_photo(user, NOW - timedelta(weeks=8), Angle.FRONT)
    latest = make_photo(user, NOW - timedelta(days=1), Angle.FRONT, Timing.AFTER, "After gua sha")
    left = make_photo(user, NOW - timedelta(weeks=3), Angle.LEFT)

    page = html(user_client.get(GALLERY))

    order = [
        'id="timeline-front"',
        f'id="photo-{first.pk}"',
        f'id="photo-{latest.pk}"',
        'id="timeline-left"',
        f'id="photo-{left.pk}"',
    ]
    assert [page.index(marker) for marker in order] == sorted(page.index(m) for m in order)
    # Exact, in calendar days: 8 weeks less a day is not "7 weeks".
    assert "the first" in page and "7 weeks and 6 days after the first" in page
    assert page.count("After a session: the glow is temporary") == 1
    assert "After gua sha" in page
    assert f'src="/photos/{first.pk}/thumbnail/"' in page
    assert f'alt="Front photo of {first.taken_at:%-d %B %Y}"' in page
    assert f"{COMPARE}?angle=front" in page
    assert f"{COMPARE}?angle=left" not in page
    assert 'hx-history="false"' in page


def test_the_gallery_shows_only_the_owners_photos(user, other_user, user_client):
    theirs = make_photo(other_user)

    page = html(user_client.get(GALLERY))

    assert f"/photos/{theirs.pk}/" not in page
    assert "No photos yet." in page


def test_the_gallery_filters_by_angle_and_answers_htmx_with_its_partial(
    user, user_client, htmx_headers
):
    front, left = make_photo(user, angle=Angle.FRONT), make_photo(user, angle=Angle.LEFT)

    response = user_client.get(
        f"{GALLERY}?angle=left", headers={**htmx_headers, "HX-Target": "photo-gallery"}
    )

    page = html(response)
    assert "<html" not in page
    assert page.strip().startswith('<section id="photo-gallery"')
    assert f'id="photo-{left.pk}"' in page
    assert f'id="photo-{front.pk}"' not in page


def test_an_unknown_angle_shows_every_photo(user, user_client):
    photo = make_photo(user)

    assert f'id="photo-{photo.pk}"' in html(user_client.get(f"{GALLERY}?angle=sideways"))


@pytest.mark.parametrize("count", [2, 20])
def test_the_gallery_costs_the_same_queries_for_two_photos_or_twenty(
    user, user_client, django_assert_num_queries, count
):
    for day in range(count):
        make_photo(user, NOW - timedelta(days=day), [Angle.FRONT, Angle.LEFT][day % 2])

    # Session, user, profile, then the photos.
    with django_assert_num_queries(4):
        user_client.get(GALLERY)


# Edit


def test_editing_a_photo_corrects_its_details(user, user_client, now):
    photo = make_photo(user)
    session = make_session(user, NOW - timedelta(hours=1))

    response = user_client.post(
        reverse("tracker:photo-edit", args=[photo.pk]),
        {
            "taken_at": "2026-11-10T08:00",
            "angle": Angle.JAWLINE,
            "timing": Timing.AFTER,
            "note": "Puffy after a late night",
            "session": session.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{GALLERY}?angle=jawline#photo-{photo.pk}"
    photo.refresh_from_db()
    assert photo.taken_at == datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
    assert (photo.angle, photo.timing, photo.note) == (
        Angle.JAWLINE,
        Timing.AFTER,
        "Puffy after a late night",
    )
    assert photo.session == session


def test_the_edit_page_shows_the_photo_with_a_label_for_every_input(user, user_client):
    photo = make_photo(user, timing=Timing.AFTER)

    page = html(user_client.get(reverse("tracker:photo-edit", args=[photo.pk])))

    assert f'src="/photos/{photo.pk}/image/"' in page
    assert "the glow is temporary" in page
    for input_id in re.findall(
        r'<(?:input(?! type="hidden")|select|textarea)[^>]* id="([^"]+)"', page
    ):
        assert f'for="{input_id}"' in page, input_id
    assert 'hx-history="false"' in page


def test_an_edit_cannot_link_another_users_session(user, other_user, user_client):
    photo = make_photo(user)
    theirs = make_session(other_user)

    response = user_client.post(
        reverse("tracker:photo-edit", args=[photo.pk]),
        {
            "taken_at": "2026-11-10T08:00",
            "angle": Angle.LEFT,
            "timing": Timing.BEFORE,
            "session": theirs.pk,
        },
    )

    assert "Select a valid choice" in html(response)
    photo.refresh_from_db()
    assert photo.session is None


# Delete


def test_deleting_asks_first(user, user_client):
    photo = make_photo(user)

    page = html(user_client.get(reverse("tracker:photo-delete", args=[photo.pk])))

    assert "Delete this photo?" in page
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()


def test_deleting_a_photo_removes_its_files_once_the_transaction_commits(
    user, user_client, django_capture_on_commit_callbacks
):
    photo = make_photo(user)
    keep = make_photo(user)
    files = {photo.image.name, photo.thumbnail.name}

    with django_capture_on_commit_callbacks() as callbacks:
        response = user_client.post(reverse("tracker:photo-delete", args=[photo.pk]))
        # Not yet: a rolled-back delete must find its files still there.
        assert files <= set(stored_files())

    assert response.status_code == 302
    assert not ProgressPhoto.objects.filter(pk=photo.pk).exists()
    for callback in callbacks:
        callback()
    assert stored_files() == sorted([keep.image.name, keep.thumbnail.name])


def test_an_htmx_delete_answers_empty_with_an_event(
    user, user_client, htmx_headers, django_capture_on_commit_callbacks
):
    photo = make_photo(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            reverse("tracker:photo-delete", args=[photo.pk]), headers=htmx_headers
        )

    assert response.content == b""
    assert "photos-changed" in json.loads(response["HX-Trigger"])
    assert stored_files() == []


# Compare


def test_the_default_comparison_is_the_first_and_latest_photo_of_an_angle(user, user_client, now):
    first = make_photo(user, NOW - timedelta(weeks=6, days=3), Angle.FRONT)
    make_photo(user, NOW - timedelta(weeks=3), Angle.FRONT)
    latest = make_photo(user, NOW - timedelta(days=1), Angle.FRONT)
    make_session(user, first.taken_at - timedelta(hours=1))
    for days_ago in (40, 20, 10, 3):
        make_session(user, NOW - timedelta(days=days_ago))
    make_session(user, NOW)

    page = html(user_client.get(f"{COMPARE}?angle=front"))

    assert page.index(f'src="/photos/{first.pk}/image/"') < page.index(
        f'src="/photos/{latest.pk}/image/"'
    )
    assert "<strong>6 weeks and 2 days apart</strong>" in page
    assert '<strong data-testid="sessions-between">4</strong> sessions logged in between' in page
    assert "(0.6 a week)" in page
    assert "data-wipe hidden" in page and 'type="range"' in page
    assert "js/compare.js" in page
    assert 'hx-history="false"' in page


def test_without_an_angle_the_angle_photographed_last_is_compared(user, user_client, now):
    make_photo(user, NOW - timedelta(days=30), Angle.FRONT)
    make_photo(user, NOW - timedelta(days=20), Angle.FRONT)
    left_first = make_photo(user, NOW - timedelta(days=15), Angle.LEFT)
    left_latest = make_photo(user, NOW - timedelta(days=2), Angle.LEFT)
    make_photo(user, NOW - timedelta(days=1), Angle.RIGHT)

    page = html(user_client.get(COMPARE))

    assert f'src="/photos/{left_first.pk}/image/"' in page
    assert f'src="/photos/{left_latest.pk}/image/"' in page
    assert re.search(r'aria-current="page">Left side<', page)
    assert "Right side" not in page


def test_a_chosen_pair_is_compared_earlier_first_whatever_the_order(user, user_client, now):
    earlier = make_photo(user, NOW - timedelta(days=14))
    make_photo(user, NOW - timedelta(days=30))
    later = make_photo(user, NOW - timedelta(days=1), timing=Timing.AFTER)

    page = html(user_client.get(f"{COMPARE}?before={later.pk}&after={earlier.pk}"))

    assert page.index(f'src="/photos/{earlier.pk}/image/"') < page.index(
        f'src="/photos/{later.pk}/image/"'
    )
    assert "<strong>13 days apart</strong>" in page
    assert "The later photo was taken right after a session" in page
    assert re.search(rf'<option value="{earlier.pk}" selected>', page)


def test_comparing_needs_two_photos_of_one_angle(user, user_client):
    make_photo(user, angle=Angle.FRONT)
    make_photo(user, angle=Angle.LEFT)

    page = html(user_client.get(COMPARE))

    assert "Comparing needs two photos of the same angle." in page
    assert "/image/" not in page


def test_another_pair_comes_back_as_the_comparison_partial(user, user_client, htmx_headers):
    first, second = make_photo(user), make_photo(user)

    response = user_client.get(
        f"{COMPARE}?before={first.pk}&after={second.pk}",
        headers={**htmx_headers, "HX-Target": "photo-comparison"},
    )

    assert html(response).strip().startswith('<div id="photo-comparison"')


@pytest.mark.parametrize("count", [2, 20])
def test_a_comparison_costs_the_same_queries_for_two_photos_or_twenty(
    user, user_client, django_assert_num_queries, count
):
    for day in range(count):
        make_photo(user, NOW - timedelta(days=day))
        make_session(user, NOW - timedelta(days=day, hours=2))
    pks = list(ProgressPhoto.objects.values_list("pk", flat=True))

    # Session, user, profile; which photos pair up, then the pair; the sessions between;
    # the sessions in the hour before either photo (a glow); the angles; the choices.
    with django_assert_num_queries(9):
        user_client.get(COMPARE)
    # A chosen pair: both photos, and no search for the default pair.
    with django_assert_num_queries(9):
        user_client.get(f"{COMPARE}?before={pks[0]}&after={pks[-1]}")


def test_the_nav_links_to_the_photos(user_client):
    page = html(user_client.get(GALLERY))

    assert re.search(rf'<a href="{GALLERY}"[^>]*aria-current="page">Photos</a>', page)


def test_every_photo_shown_carries_its_size_so_nothing_moves_as_it_loads(user, user_client, now):
    first = make_photo(user, NOW - timedelta(days=20), size=(800, 600))
    make_photo(user, NOW - timedelta(days=2), size=(800, 600))
    assert (first.thumbnail_width, first.thumbnail_height) == (480, 360)

    pages = [
        GALLERY,
        COMPARE,
        reverse("tracker:dashboard"),
        reverse("tracker:photo-edit", args=[first.pk]),
        reverse("tracker:photo-delete", args=[first.pk]),
    ]
    for url in pages:
        images = re.findall(r"<img [^>]*>", html(user_client.get(url)))
        assert images, url
        for tag in images:
            if "data-camera-overlay" in tag:
                continue
            assert re.search(r' width="\d+" height="\d+"', tag), (url, tag)
        if "thumbnail" in "".join(images):
            assert 'width="480" height="360"' in "".join(images), url


# Guidance


def test_the_photo_pages_cite_the_glow(user_client):
    html = user_client.get(reverse("tracker:photo-new")).content.decode()

    assert 'href="/sources/#dubinskaya-2023"' in html
