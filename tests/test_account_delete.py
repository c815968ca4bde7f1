from datetime import UTC, date, datetime, time

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import make_product, make_rest_week, make_routine, make_session, make_tool
from tests.push_service import BrowserKeys
from tests.test_portability import make_photo
from tracker.models import (
    CalendarFeed,
    MassageSession,
    Profile,
    ProgressPhoto,
    PushSubscription,
    ReminderClaim,
    ReminderPlan,
    RoutineStep,
)

URL = "tracker:account-delete"


def everything(owner) -> list:
    """Something of every kind the app stores for a user, photos with their files."""
    tool, product = make_tool(owner), make_product(owner)
    routine = make_routine(owner, tool=tool, products=[product])
    session = make_session(owner, datetime(2026, 11, 17, 7, 0, tzinfo=UTC), tools=[tool])
    make_rest_week(owner, date(2026, 11, 23))
    ReminderPlan.objects.save_plan(owner, days=[1], at=time(8), mode="always", by_email=True)
    ReminderClaim.objects.claim([(owner.pk, datetime(2026, 11, 17, 8, 0, tzinfo=UTC))])
    CalendarFeed.objects.issue(owner)
    PushSubscription.objects.subscribe(
        owner,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{owner.username}",
        p256dh=BrowserKeys().p256dh,
        auth=BrowserKeys().auth,
        server_key="",
    )
    return [make_photo(owner, session=session), make_photo(owner), routine]


def rows_of(user_id: int) -> dict[str, int]:
    """Rows that point at the user, in every model of the app that has an owner or a user."""
    found = {}
    for model in apps.get_app_config("tracker").get_models():
        for field in ("owner_id", "user_id"):
            if field in {f.attname for f in model._meta.concrete_fields}:
                found[model.__name__] = model.objects.filter(**{field: user_id}).count()
    found["RoutineStep"] = RoutineStep.objects.filter(routine__owner_id=user_id).count()
    found["MassageSession.tools"] = MassageSession.tools.through.objects.filter(
        massagesession__owner_id=user_id
    ).count()
    return found


def file_names(photos: list[ProgressPhoto]) -> list[str]:
    return [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]


def test_the_page_asks_for_the_password_and_deletes_nothing(user, user_client):
    everything(user)
    response = user_client.get(reverse(URL))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in page
    assert '<label for="id_password">Your password' in page
    assert sum(rows_of(user.pk).values()) > 0


def test_a_wrong_password_is_a_form_error_and_keeps_everything(user, user_client):
    photos = everything(user)[:2]
    before = rows_of(user.pk)

    response = user_client.post(reverse(URL), {"password": "not my password"})

    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert rows_of(user.pk) == before
    assert all(default_storage.exists(name) for name in file_names(photos))
    assert user_client.get(reverse("tracker:dashboard")).status_code == 200


def test_the_right_password_deletes_every_row_and_file_and_logs_out(
    user, other_user, user_client, client_for, django_capture_on_commit_callbacks
):
    photos, theirs = everything(user)[:2], everything(other_user)[:2]
    others_before = rows_of(other_user.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse(URL), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "everything in it have been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert set(rows_of(user.pk).values()) == {0}
    assert not any(default_storage.exists(name) for name in file_names(photos))
    # Nobody else loses anything.
    assert rows_of(other_user.pk) == others_before
    assert all(default_storage.exists(name) for name in file_names(theirs))
    assert client_for(other_user).get(reverse("tracker:dashboard")).status_code == 200
    # And the browser that did it is logged out.
    assert user_client.get(reverse("tracker:dashboard")).status_code == 302


def test_the_browser_is_asked_to_forget_the_sites_cache_and_storage(user, user_client):
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_photo_files_go_only_once_the_deletion_has_committed(
    user, django_capture_on_commit_callbacks
):
    names = file_names(everything(user)[:2])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.profile.delete_account()
    assert all(default_storage.exists(name) for name in names)

    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in names)


def test_a_rolled_back_deletion_keeps_the_rows_and_their_files(user):
    photos, user_id = everything(user)[:2], user.pk

    with pytest.raises(RuntimeError), transaction.atomic():
        user.profile.delete_account()
        raise RuntimeError("something failed later in the same transaction")

    assert Profile.objects.filter(user_id=user_id).exists()
    assert ProgressPhoto.objects.filter(owner_id=user_id).count() == 2
    assert all(default_storage.exists(name) for name in file_names(photos))


def test_deleting_an_account_takes_a_post_from_a_logged_in_user(client, user_client):
    assert client.post(reverse(URL), {"password": PASSWORD}).status_code == 302
    assert user_client.put(reverse(URL)).status_code == 405


def test_guessing_the_password_here_counts_towards_the_log_in_lockout(user, user_client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        user_client.post(reverse(URL), {"password": "a wrong guess"})
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
