"""Photos compared honestly: eye marks on a photo's page, the pair lined up by them (derived
images under the photos' privacy rules), and warnings for light and for the glow."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.factories import WEDNESDAY_NOON, make_marked_photo, make_photo, make_session
from tests.readers import messages_of, stored_files
from tracker.alignment import ALIGNED_SIZE
from tracker.models import ProgressPhoto

pytestmark = pytest.mark.django_db

COMPARE = reverse("tracker:photo-compare")
NOW = WEDNESDAY_NOON


def eyes_url(photo) -> str:
    return reverse("tracker:photo-eyes", args=[photo.pk])


def marks(first=(20, 24), second=(44, 24)) -> dict:
    return {"first_x": first[0], "first_y": first[1], "second_x": second[0], "second_y": second[1]}


def test_the_photo_page_offers_to_mark_the_eyes_by_tap_or_by_typing(user, user_client):
    photo = make_photo(user)

    page = user_client.get(reverse("tracker:photo-edit", args=[photo.pk])).content.decode()

    assert 'id="eyes"' in page and "js/eyes.js" in page
    assert 'name="first_x"' in page and 'max="64"' in page and 'max="48"' in page
    assert "arrow keys" in page


def test_marks_are_remembered_left_to_right_and_can_be_forgotten(user, user_client):
    photo = make_photo(user)

    response = user_client.post(eyes_url(photo), marks((44, 24), (20, 23)))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.eyes.left == (20, 23) and photo.eyes.right == (44, 24)
    page = user_client.get(reverse("tracker:photo-edit", args=[photo.pk])).content.decode()
    assert 'value="20.0"' in page and "Forget the marks" in page

    user_client.post(eyes_url(photo), {"forget": "1"})
    photo.refresh_from_db()
    assert photo.eyes is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (marks((-1, 10)), "must lie on the photo"),
        (marks((20, 24), (65, 24)), "must lie on the photo"),
        (marks((20, 24), (20, 24)), "same point"),
        (marks((20, 24), (20.5, 24)), "same point"),
        (marks() | {"first_x": "nan"}, "Enter a number"),
        (marks() | {"second_y": ""}, "required"),
    ],
)
def test_marks_outside_the_photo_or_on_one_point_are_refused(user, user_client, data, message):
    photo = make_photo(user)

    response = user_client.post(eyes_url(photo), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    photo.refresh_from_db()
    assert photo.eyes is None


def test_a_pair_with_both_eyes_marked_is_lined_up_in_the_slider_and_side_by_side(user, user_client):
    before = make_marked_photo(user, taken_at=NOW - timedelta(days=30))
    after = make_marked_photo(user, taken_at=NOW - timedelta(days=1))

    page = user_client.get(COMPARE).content.decode()

    aligned = [reverse("tracker:photo-aligned", args=[p.pk]) for p in (before, after)]
    assert page.count(f'src="{aligned[0]}"') == 2  # side by side, and in the wipe
    assert page.count(f'src="{aligned[1]}"') == 2
    assert "Lined up by the eyes you marked" in page
    assert "Show them as taken" in page
    image = user_client.get(aligned[1])
    assert image["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == ALIGNED_SIZE

    as_taken = user_client.get(f"{COMPARE}?before={before.pk}&after={after.pk}&as=taken")
    assert f'src="{aligned[0]}"' not in as_taken.content.decode()


def test_with_one_photo_unmarked_the_pair_is_shown_as_taken_with_a_link_to_mark_it(
    user, user_client
):
    make_marked_photo(user, taken_at=NOW - timedelta(days=30))
    unmarked = make_photo(user, taken_at=NOW - timedelta(days=1))

    page = user_client.get(COMPARE).content.decode()

    assert "/aligned/" not in page
    assert f'{reverse("tracker:photo-edit", args=[unmarked.pk])}#eyes">the later photo' in page


def test_the_aligned_image_is_derived_once_and_goes_when_the_marks_change(
    user, user_client, django_capture_on_commit_callbacks
):
    photo = make_marked_photo(user)
    url = reverse("tracker:photo-aligned", args=[photo.pk])
    user_client.get(url)
    photo.refresh_from_db()
    first = photo.aligned.name
    assert first in stored_files()
    user_client.get(url)
    photo.refresh_from_db()
    assert photo.aligned.name == first

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(eyes_url(photo), marks((10, 10), (50, 30)))

    photo.refresh_from_db()
    assert not photo.aligned
    assert first not in stored_files()


def test_the_aligned_image_goes_with_its_photo(
    user, user_client, django_capture_on_commit_callbacks
):
    photo = make_marked_photo(user)
    photo.aligned_file()
    names = photo.file_names
    assert len(names) == 3

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(reverse("tracker:photo-delete", args=[photo.pk]))

    assert not set(names) & set(stored_files())


def test_cleanup_never_takes_an_aligned_image_for_an_orphan(user, time_machine):
    photo = make_marked_photo(user)
    photo.aligned_file()
    time_machine.move_to(NOW + timedelta(days=400), tick=False)

    call_command("cleanup_photo_files", stdout=io.StringIO())

    assert photo.aligned.name in stored_files()
    assert sorted(photo.file_names) == stored_files()


def test_an_unmarked_photo_has_no_aligned_image_and_nobody_elses_is_served(
    user, other_user, client_for
):
    unmarked = make_photo(user)
    theirs = make_marked_photo(other_user)

    assert (
        client_for(user).get(reverse("tracker:photo-aligned", args=[unmarked.pk])).status_code
        == 404
    )
    assert (
        client_for(user).get(reverse("tracker:photo-aligned", args=[theirs.pk])).status_code == 404
    )
    assert Client().get(reverse("tracker:photo-aligned", args=[theirs.pk])).status_code == 404
    assert not default_storage.exists(theirs.aligned.name or "photos/none.jpg")


def test_the_compare_view_warns_when_the_light_differs_and_states_the_threshold(user, user_client):
    make_photo(user, NOW - timedelta(days=30), colour=(120, 100, 90))
    make_photo(user, NOW - timedelta(days=1), colour=(200, 180, 170))

    page = user_client.get(COMPARE).content.decode()

    assert "The light differs enough to mislead: the later photo is brighter" in page
    assert "above 20 of 255 levels" in page


def test_similar_light_brings_no_warning(user, user_client):
    make_photo(user, NOW - timedelta(days=30), colour=(120, 100, 90))
    make_photo(user, NOW - timedelta(days=1), colour=(125, 104, 95))

    page = user_client.get(COMPARE).content.decode()

    assert 'data-testid="light-warning"' not in page


def test_a_photo_taken_within_the_hour_after_a_logged_session_is_called_out(user, user_client):
    make_photo(user, NOW - timedelta(days=30))
    make_session(user, NOW - timedelta(days=1, minutes=40))
    make_photo(user, NOW - timedelta(days=1))

    page = user_client.get(COMPARE).content.decode()

    assert "The later photo was taken within the hour after the session you logged" in page


def test_a_photo_labelled_before_a_session_is_not_called_out(user, user_client):
    make_photo(user, NOW - timedelta(days=30))
    make_session(user, NOW - timedelta(days=1, minutes=40))
    make_photo(user, NOW - timedelta(days=1), timing=ProgressPhoto.Timing.BEFORE)

    page = user_client.get(COMPARE).content.decode()

    assert 'data-testid="glow-warning"' not in page


@pytest.mark.parametrize("count", [2, 20])
def test_an_aligned_comparison_costs_the_same_queries_for_two_photos_or_twenty(
    user, user_client, django_assert_num_queries, count
):
    for day in range(count):
        make_marked_photo(user, taken_at=NOW - timedelta(days=day))
        make_session(user, NOW - timedelta(days=day, hours=2))
    pks = sorted(ProgressPhoto.objects.values_list("pk", flat=True))
    for pk in pks:
        ProgressPhoto.objects.get(pk=pk).aligned_file()

    with django_assert_num_queries(9):
        user_client.get(f"{COMPARE}?before={pks[0]}&after={pks[-1]}")


def test_saving_marks_says_so(user, user_client):
    photo = make_photo(user)

    response = user_client.post(eyes_url(photo), marks())

    assert "Eyes marked" in " ".join(messages_of(response))


def test_the_service_worker_never_keeps_an_aligned_image_or_an_experiments_page(user, user_client):
    from tests.factories import make_experiment
    from tracker.webapp import worker_config

    photo = make_marked_photo(user)
    config = worker_config()
    aligned = reverse("tracker:photo-aligned", args=[photo.pk])
    experiment = reverse("tracker:experiment-detail", args=[make_experiment(user).pk])

    # The worker answers every image under the photos' prefix from the network only.
    assert aligned.startswith(config["photos"])
    assert any(aligned.startswith(prefix) for prefix in config["neverKeep"])
    # And it never keeps a page sent no-store.
    assert "no-store" in user_client.get(experiment)["Cache-Control"]
    assert "no-store" in user_client.get(aligned)["Cache-Control"]


def test_a_photo_whose_file_is_gone_is_compared_as_taken_not_as_an_error(user, user_client):
    before = make_marked_photo(user, taken_at=NOW - timedelta(days=30))
    make_marked_photo(user, taken_at=NOW - timedelta(days=1))
    default_storage.delete(before.image.name)

    response = user_client.get(COMPARE)

    assert response.status_code == 200
    assert "/aligned/" not in response.content.decode()
    assert user_client.get(reverse("tracker:photo-aligned", args=[before.pk])).status_code == 404
