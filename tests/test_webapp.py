"""The installable app's server side: manifest, service worker, icons, the offline identity."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from tracker import webapp
from tracker.models import Routine


@pytest.fixture
def anonymous() -> Client:
    return Client()


def test_the_service_worker_is_served_at_the_root_so_it_controls_every_page(anonymous):
    url = reverse("tracker:service-worker")
    assert url == "/sw.js"
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    # Checked again on every visit, so that a deploy's worker replaces the old one.
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response


def test_the_service_worker_imports_its_code_and_lists_the_files_it_keeps(anonymous):
    script = anonymous.get(reverse("tracker:service-worker")).content.decode()
    config = json.loads(re.search(r"self\.FACETRACK = (\{.*?\});\n", script, re.DOTALL).group(1))
    assert config["version"] == webapp.version()
    assert "/static/css/app.css" in config["precache"]
    assert "/static/js/offline.js" in config["precache"]
    assert config["logout"] == reverse("logout")
    assert config["identity"] == reverse("tracker:offline-identity")
    assert "/photos/" in config["neverKeep"]
    assert 'importScripts("/static/js/log-queue.js", "/static/js/service-worker.js");' in script
    for path in config["precache"]:
        assert anonymous.get(path).status_code == 200, path


def test_an_unchanged_worker_answers_304_to_the_browsers_check(anonymous):
    first = anonymous.get(reverse("tracker:service-worker"))
    again = anonymous.get(reverse("tracker:service-worker"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_changed_static_file_changes_the_workers_version(settings, tmp_path):
    # Development serves files by their plain names: the contents make the version.
    static = tmp_path / "static"
    shutil.copytree(settings.STATICFILES_DIRS[0], static)
    settings.STATICFILES_DIRS = [static]
    before = webapp.version()
    assert webapp.version() == before
    (static / "css" / "app.css").write_text("body { color: red; }\n")
    assert webapp.version() != before


def test_a_deploy_with_new_hashed_names_changes_the_workers_version(monkeypatch):
    before = webapp.version()
    monkeypatch.setattr(webapp, "static", lambda path: f"/static/{path}.0123456789ab")
    assert webapp.version() != before


def test_the_manifest_makes_the_app_installable(anonymous):
    response = anonymous.get(reverse("tracker:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    home = reverse("tracker:dashboard")
    assert manifest["id"] == manifest["start_url"] == home
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] == "Facetrack" and manifest["description"]
    assert manifest["theme_color"] == webapp.LIGHT["theme_color"]
    assert manifest["background_color"] == webapp.LIGHT["background_color"]
    assert manifest["color_scheme_dark"] == webapp.DARK
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    assert [s["name"] for s in manifest["shortcuts"]] == ["Log a session", "Add a photo"]


def test_the_manifest_is_public_and_revalidated(anonymous, user_client):
    assert anonymous.get(reverse("tracker:manifest")).status_code == 200
    response = user_client.get(reverse("tracker:manifest"))
    assert response["Cache-Control"] == "no-cache"
    again = anonymous.get(reverse("tracker:manifest"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_every_icon_exists_at_its_size_and_maskable_ones_fill_their_square():
    icons = [*webapp.manifest()["icons"]]
    for shortcut in webapp.manifest()["shortcuts"]:
        icons.extend(shortcut["icons"])
    icons.append(
        {"src": "/static/icons/apple-touch-icon.png", "sizes": "180x180", "purpose": "apple"}
    )
    favicon = Path(finders.find("favicon.svg")).read_text()
    favicon_colour = re.search(r'fill="#([0-9a-f]{6})"', favicon).group(1)
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            size = int(icon["sizes"].split("x")[0])
            assert image.size == (size, size), icon["src"]
            assert image.format == "PNG"
            if icon["purpose"] in {"maskable", "apple"}:
                # Full bleed in the favicon's colour: a launcher may cut any shape out of it,
                # and iOS paints transparent corners black.
                corner = image.convert("RGBA").getpixel((0, 0))
                assert corner == (*bytes.fromhex(favicon_colour), 255), icon["src"]


def test_every_shortcut_opens_a_page_of_the_app(user_client):
    for shortcut in webapp.manifest()["shortcuts"]:
        assert user_client.get(shortcut["url"].split("#")[0]).status_code == 200


def test_every_page_links_the_manifest_icons_and_colours_for_phones(user_client, anonymous):
    for client, name in ((user_client, "tracker:dashboard"), (anonymous, "login")):
        page = client.get(reverse(name)).content.decode()
        assert f'<link rel="manifest" href="{reverse("tracker:manifest")}">' in page
        assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in page
        assert (
            f'<meta name="theme-color" content="{webapp.LIGHT["theme_color"]}" '
            'media="(prefers-color-scheme: light)">' in page
        )
        assert (
            f'<meta name="theme-color" content="{webapp.DARK["theme_color"]}" '
            'media="(prefers-color-scheme: dark)">' in page
        )
        assert '<meta name="apple-mobile-web-app-title" content="Facetrack">' in page
        assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page


def test_the_policy_allows_this_sites_worker_and_manifest_only(user_client):
    policy = user_client.get(reverse("tracker:dashboard"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy


def test_the_identity_tells_a_logged_out_browser_nobody_and_gives_a_csrf_token(anonymous):
    response = anonymous.get(reverse("tracker:offline-identity"))
    assert response.status_code == 200
    assert response.json()["user"] is None
    assert response.json()["csrf_token"]
    assert response["Cache-Control"] == "private, no-store"
    assert "csrftoken" in response.cookies


def test_the_identity_names_the_logged_in_person_as_the_page_does(user, user_client):
    answer = user_client.get(reverse("tracker:offline-identity")).json()
    assert answer["user"] == str(user.pk)
    page = user_client.get(reverse("tracker:dashboard")).content.decode()
    assert f'data-user="{user.pk}"' in page


def test_the_fresh_token_lets_a_saved_log_through_csrf_checks(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    routine = Routine.objects.create(owner=user, name="Lift")
    token = client.get(reverse("tracker:offline-identity")).json()["csrf_token"]
    url = reverse("tracker:log-routine", kwargs={"pk": routine.pk})
    data = {"client_id": "6f1c1f3e-9d7c-4b7e-9a51-2f0a3d4c5b6a"}
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert user.massagesession_set.count() == 1


def test_a_saved_log_sent_after_its_routine_was_deleted_gets_a_404(user, user_client):
    routine = Routine.objects.create(owner=user, name="Lift")
    url = reverse("tracker:log-routine", kwargs={"pk": routine.pk})
    routine.remove()
    response = user_client.post(url, {"client_id": "6f1c1f3e-9d7c-4b7e-9a51-2f0a3d4c5b6a"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("tracker:photos", {}),
        ("tracker:photo-new", {}),
    ],
)
def test_photo_pages_are_never_stored(user_client, name, kwargs):
    response = user_client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_photo_edit_and_compare_pages_are_never_stored(user, user_client):
    from tests.test_access_control import make_photo

    photo = make_photo(user)
    for url in (
        reverse("tracker:photo-edit", kwargs={"pk": photo.pk}),
        reverse("tracker:photo-delete", kwargs={"pk": photo.pk}),
        f"{reverse('tracker:photo-compare')}?before={photo.pk}&after={photo.pk}",
    ):
        response = user_client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_the_dashboard_may_be_kept_offline(user_client):
    response = user_client.get(reverse("tracker:dashboard"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_one_tap_forms_can_be_saved_offline(user, user_client):
    Routine.objects.create(owner=user, name="Lift")
    page = user_client.get(reverse("tracker:dashboard")).content.decode()
    form = re.search(r"<form[^>]*data-offline-log[^>]*>", page).group(0)
    assert 'data-label="Lift"' in form
    assert "hx-request='{\"timeout\": 15000}'" in form
    assert 'id="log"' in page


def test_in_production_the_worker_keeps_the_hashed_files(settings, tmp_path, anonymous):
    # collectstatic's hashed names, as `manage.py collectstatic` makes them on a deploy.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    script = anonymous.get(reverse("tracker:service-worker")).content.decode()
    config = json.loads(re.search(r"self\.FACETRACK = (\{.*?\});\n", script, re.DOTALL).group(1))
    assert config["staticPrefix"] == "/static/"
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", config["stylesheet"])
    assert all(re.search(r"\.[0-9a-f]{12}\.", path) for path in config["precache"])
    assert re.search(r'importScripts\("/static/js/log-queue\.[0-9a-f]{12}\.js"', script)
    icons = anonymous.get(reverse("tracker:manifest")).json()["icons"]
    assert all(re.search(r"\.[0-9a-f]{12}\.png$", icon["src"]) for icon in icons)
