"""tracker/webapp.py: the manifest, the worker's configuration and version, the icons."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from tracker import webapp
from tracker.models import CalendarFeed
from tracker.reminders.mail import unsubscribe_token


def worker_config(script: str) -> dict:
    return json.loads(re.search(r"self\.FACETRACK = (\{.*?\});\n", script, re.DOTALL).group(1))


def test_the_worker_imports_its_code_and_lists_the_files_it_keeps(client):
    script = webapp.worker_script()

    config = worker_config(script)
    assert config["version"] == webapp.version()
    assert "/static/css/app.css" in config["precache"]
    assert "/static/js/offline.js" in config["precache"]
    assert config["logout"] == reverse("logout")
    assert config["identity"] == reverse("tracker:offline-identity")
    assert "/photos/" in config["neverKeep"]
    assert config["keepHeader"] == webapp.KEEP_HEADER
    assert reverse("tracker:health-check").startswith(tuple(config["neverKeep"]))
    assert (
        'importScripts("/static/js/log-queue.js", "/static/js/service-worker.js", '
        '"/static/js/sw-push.js");'
    ) in script
    for path in config["precache"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_the_worker_never_keeps_settings_or_the_reminders_secret_addresses(user):
    never = tuple(worker_config(webapp.worker_script())["neverKeep"])
    calendar = CalendarFeed.objects.issue(user)
    for url in (
        reverse("tracker:profile"),  # shows the calendar's secret address
        reverse("tracker:calendar-feed", args=[calendar.token]),
        reverse("tracker:reminder-unsubscribe", args=[unsubscribe_token(user)]),
        reverse("tracker:reminder-plan"),
    ):
        assert url.startswith(never), url


@pytest.mark.parametrize("path", ["css/app.css", "js/service-worker.js", "js/sw-push.js"])
def test_a_changed_static_file_changes_the_workers_version(settings, tmp_path, path):
    # Development serves files by their plain names: the contents make the version.
    static = tmp_path / "static"
    shutil.copytree(settings.STATICFILES_DIRS[0], static)
    settings.STATICFILES_DIRS = [static]
    before = webapp.version()
    assert webapp.version() == before

    (static / path).write_text((static / path).read_text() + "\n/* changed */\n")

    assert webapp.version() != before


def test_a_deploy_with_new_hashed_names_changes_the_workers_version(monkeypatch):
    before = webapp.version()

    monkeypatch.setattr(webapp, "static", lambda path: f"/static/{path}.0123456789ab")

    assert webapp.version() != before


def test_in_production_the_worker_keeps_the_hashed_files(settings, tmp_path):
    # collectstatic's hashed names, as `manage.py collectstatic` makes them on a deploy.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    script = webapp.worker_script()

    config = worker_config(script)
    assert config["staticPrefix"] == "/static/"
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", config["stylesheet"])
    assert all(re.search(r"\.[0-9a-f]{12}\.", path) for path in config["precache"])
    assert re.search(r'importScripts\("/static/js/log-queue\.[0-9a-f]{12}\.js"', script)
    # The notifications' code too: a deploy that changes it gives the worker a new name for it.
    assert re.search(r'"/static/js/sw-push\.[0-9a-f]{12}\.js"\);\n', script)
    icons = webapp.manifest()["icons"]
    assert all(re.search(r"\.[0-9a-f]{12}\.png$", icon["src"]) for icon in icons)


def test_the_manifest_makes_the_app_installable():
    manifest = webapp.manifest()

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


@pytest.mark.django_db
def test_every_shortcut_opens_a_page_of_the_app(user_client):
    for shortcut in webapp.manifest()["shortcuts"]:
        assert user_client.get(shortcut["url"].split("#")[0]).status_code == 200
