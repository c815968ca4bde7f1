"""tracker/views/webapp.py: the worker at the root, the manifest, and the offline identity."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_routine
from tracker import webapp
from tracker.models import MassageSession

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return set(response["Cache-Control"].replace(" ", "").split(","))


def test_the_service_worker_is_served_at_the_root_so_it_controls_every_page(client):
    url = reverse("tracker:service-worker")

    response = client.get(url)

    assert url == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.content.decode() == webapp.worker_script()
    # Checked again on every visit, so that a deploy's worker replaces the old one.
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response


def test_an_unchanged_worker_answers_304_to_the_browsers_check(client, user_client):
    for browser in (client, user_client):
        first = browser.get(reverse("tracker:service-worker"))
        again = browser.get(reverse("tracker:service-worker"), HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304


def test_the_manifest_is_served_as_one(client):
    response = client.get(reverse("tracker:manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response.json() == webapp.manifest()


def test_the_manifest_is_public_and_revalidated(client, user_client):
    assert client.get(reverse("tracker:manifest"))["Cache-Control"] == "no-cache"
    response = user_client.get(reverse("tracker:manifest"))
    # Logged in, issue 8's middleware adds `private`: still checked on every visit.
    assert cache_control(response) == {"no-cache", "private"}
    again = client.get(reverse("tracker:manifest"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_every_page_links_the_manifest_icons_and_colours_for_phones(user_client, client):
    for browser, name in ((user_client, "tracker:dashboard"), (client, "login")):
        page = browser.get(reverse(name)).content.decode()
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


def test_the_identity_tells_a_logged_out_browser_nobody_and_gives_a_csrf_token(client):
    response = client.get(reverse("tracker:offline-identity"))

    assert response.status_code == 200
    assert response.json()["user"] is None
    assert response.json()["csrf_token"]
    assert cache_control(response) == {"private", "no-store"}
    assert "csrftoken" in response.cookies


def test_the_identity_names_the_logged_in_person_as_the_page_does(user, user_client):
    response = user_client.get(reverse("tracker:offline-identity"))

    assert response.json()["user"] == str(user.pk)
    assert cache_control(response) == {"private", "no-store"}
    page = user_client.get(reverse("tracker:dashboard")).content.decode()
    assert f'data-user="{user.pk}"' in page


def test_the_fresh_token_lets_a_saved_log_through_csrf_checks(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    routine = make_routine(user)
    token = client.get(reverse("tracker:offline-identity")).json()["csrf_token"]
    url = reverse("tracker:log-routine", kwargs={"pk": routine.pk})
    data = {"client_id": "6f1c1f3e-9d7c-4b7e-9a51-2f0a3d4c5b6a"}

    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200
    assert MassageSession.objects.for_user(user).count() == 1
