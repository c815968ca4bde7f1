"""Your data: deleting the account, and the pages that export and import."""

import io
import json
import re
import zipfile

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PASSWORD, make_export, make_full_account
from tests.readers import owned_counts, photo_file_names, sessions_of
from tracker.models import MassageSession, RoutineStep

URL = "tracker:account-delete"


# Deleting the account


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


def test_the_page_asks_for_the_password_and_deletes_nothing(user, user_client):
    make_full_account(user)
    response = user_client.get(reverse(URL))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in page
    assert '<label for="id_password">Your password' in page
    assert sum(rows_of(user.pk).values()) > 0


def test_a_wrong_password_is_a_form_error_and_keeps_everything(user, user_client):
    photos = make_full_account(user)
    before = rows_of(user.pk)

    response = user_client.post(reverse(URL), {"password": "not my password"})

    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert rows_of(user.pk) == before
    assert all(default_storage.exists(name) for name in photo_file_names(photos))
    assert user_client.get(reverse("tracker:dashboard")).status_code == 200


def test_the_right_password_deletes_every_row_and_file_and_logs_out(
    user, other_user, user_client, client_for, django_capture_on_commit_callbacks
):
    photos, theirs = make_full_account(user), make_full_account(other_user)
    others_before = rows_of(other_user.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse(URL), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "everything in it have been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert set(rows_of(user.pk).values()) == {0}
    assert not any(default_storage.exists(name) for name in photo_file_names(photos))
    # Nobody else loses anything.
    assert rows_of(other_user.pk) == others_before
    assert all(default_storage.exists(name) for name in photo_file_names(theirs))
    assert client_for(other_user).get(reverse("tracker:dashboard")).status_code == 200
    # And the browser that did it is logged out.
    assert user_client.get(reverse("tracker:dashboard")).status_code == 302


def test_the_browser_is_asked_to_forget_the_sites_cache_and_storage(user, user_client):
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_an_account_takes_a_post_from_a_logged_in_user(client, user_client):
    assert client.post(reverse(URL), {"password": PASSWORD}).status_code == 302
    assert user_client.put(reverse(URL)).status_code == 405


def test_guessing_the_password_here_counts_like_failed_log_ins(user, user_client, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT_FROM_ADDRESS):
        user_client.post(reverse(URL), {"password": "a wrong guess"})
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Too many wrong tries" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_an_account_without_a_password_confirms_with_a_passkey_or_code_first(user, client_for):
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    client = client_for(user)

    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    assert User.objects.filter(pk=user.pk).exists()


def test_once_confirmed_an_account_without_a_password_is_deleted_by_the_button(user, client_for):
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    client = client_for(user)
    client.post(
        reverse("account_request_reauthentication_code"), {"recipient": "alice@example.com"}
    )
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    client.post(reverse("account_confirm_reauthentication_code"), {"code": code})

    page = client.get(reverse(URL)).content.decode()
    assert 'type="password"' not in page
    response = client.post(reverse(URL))

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


# Export and import


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
    make_full_account(user)
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
    make_full_account(user)
    newcomer = make_user("alice-again")
    response = client_for(newcomer).post(
        reverse("tracker:data-import"),
        {"archive": upload("export.zip", make_export(user), "application/zip")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("tracker:dashboard")
    assert "Imported 2 sessions" in response.content.decode()
    assert owned_counts(newcomer) == owned_counts(user)


def test_a_refused_upload_shows_the_reason_on_the_form_and_imports_nothing(user, user_client):
    response = user_client.post(
        reverse("tracker:data-import"),
        {"archive": upload("export.zip", b"not a zip", "application/zip")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a ZIP file" in page
    assert 'enctype="multipart/form-data"' in page
    assert owned_counts(user) == dict.fromkeys(owned_counts(user), 0)


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


def test_settings_name_each_import_for_what_it_does_and_give_loop_room_of_its_own(user_client):
    page = user_client.get(reverse("tracker:profile")).content.decode()

    assert "Import export" not in page
    assert ">Restore from this file</button>" in page
    loop = page[page.index('id="loop-heading"') : page.index(">Import from Loop</button>")]
    assert "Bring your history from Loop Habit Tracker" in loop
    assert reverse("tracker:data-import-loop") in loop
    assert 'name="archive"' not in loop
