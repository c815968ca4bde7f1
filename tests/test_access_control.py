"""Walks every URL of the app that takes an object id: nobody but the owner gets past it.

Each URL is sent the methods it serves, with the data its POST needs to succeed. The owner must
succeed (which proves that the factory and the URL arguments reach the object), while another
user gets a 404 and a logged-out visitor a redirect to log in (a 404 for photos), and neither
changes anything. A new URL with an id must be added to OBJECT_URLS (the app's) or
ACCOUNT_OBJECT_URLS (allauth's, outside the app's namespace), or the first test fails: that is
the point.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    PASSWORD,
    make_experiment,
    make_marked_photo,
    make_passkey,
    make_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_step,
    make_tool,
    product_data,
    session_data,
    step_data,
    tool_data,
)

METHODS = ("get", "post")


@dataclass(frozen=True)
class ObjectURL:
    """A URL with an id: an object it reaches, the methods it serves, what a POST sends."""

    factory: Callable[[User], Model]
    kwargs: dict = field(default_factory=dict)
    methods: tuple[str, ...] = METHODS
    data: dict = field(default_factory=dict)
    # Photo URLs answer a logged-out visitor as they answer a stranger (tracker.views.photos).
    hidden_from_visitors: bool = False
    # allauth's passkey pages first ask for a recent confirmation of who you are (password or
    # passkey): the owner and the stranger both give it, so that the walk reaches the ownership
    # check behind it.
    confirm_first: bool = False
    namespace: str = "tracker"
    # Sent as htmx sends it: a URL whose answer is a part of a page (without htmx, a redirect
    # to that page).
    htmx: bool = False

    def reverse(self, name: str, obj: Model) -> str:
        full_name = f"{self.namespace}:{name}" if self.namespace else name
        return reverse(full_name, kwargs={"pk": obj.pk, **self.kwargs})

    def request(self, client: Client, method: str, url: str):
        headers = {"HX-Request": "true"} if self.htmx else {}
        if method == "post":
            return client.post(url, self.data, headers=headers)
        return client.get(url, headers=headers)

    def client(self, user: User, client_for: Callable[[User], Client]) -> Client:
        client = client_for(user)
        if self.confirm_first:
            response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
            assert response.status_code == 302, response.content[:500]
        return client


PHOTO = {"factory": make_photo, "hidden_from_visitors": True}
PHOTO_DATA = {"taken_at": "2026-11-10T08:00", "angle": "left", "timing": "before"}
EYES_DATA = {"first_x": "20", "first_y": "24", "second_x": "44", "second_y": "24"}

OBJECT_URLS: dict[str, list[ObjectURL]] = {
    "session-detail": [ObjectURL(make_session, methods=("get",))],
    "session-edit": [ObjectURL(make_session, data=session_data())],
    "session-delete": [ObjectURL(make_session)],
    "log-routine": [ObjectURL(make_routine, methods=("post",))],
    "routine-detail": [ObjectURL(make_routine, data={"name": "Morning depuff"})],
    "routine-guide": [ObjectURL(make_routine, methods=("get",))],
    "routine-delete": [ObjectURL(make_routine)],
    "step-add": [ObjectURL(make_routine, methods=("post",), data=step_data())],
    "step-move": [ObjectURL(make_step, {"direction": "up"}, methods=("post",))],
    "step-detail": [ObjectURL(make_step, methods=("get",), htmx=True)],
    "step-edit": [ObjectURL(make_step, data=step_data())],
    "step-delete": [ObjectURL(make_step, methods=("post",))],
    "gear-edit": [
        ObjectURL(make_tool, {"kind": "tools"}, data=tool_data()),
        ObjectURL(make_product, {"kind": "products"}, data=product_data()),
    ],
    "gear-delete": [
        ObjectURL(make_tool, {"kind": "tools"}),
        ObjectURL(make_product, {"kind": "products"}),
    ],
    "rest-week-delete": [ObjectURL(make_rest_week, methods=("post",))],
    "tool-cleaned": [ObjectURL(make_tool, methods=("post",))],
    "session-reaction": [ObjectURL(make_session, data={"reaction": "redness"}, htmx=True)],
    "patch-test-start": [ObjectURL(make_product, methods=("post",))],
    "product-pause": [ObjectURL(make_product, methods=("post",))],
    "product-resume": [ObjectURL(make_product, methods=("post",))],
    "photo-edit": [ObjectURL(**PHOTO, data=PHOTO_DATA)],
    "photo-delete": [ObjectURL(**PHOTO)],
    "photo-image": [ObjectURL(**PHOTO, methods=("get",))],
    "photo-thumbnail": [ObjectURL(**PHOTO, methods=("get",))],
    "photo-eyes": [ObjectURL(**PHOTO, methods=("post",), data=EYES_DATA)],
    "photo-aligned": [ObjectURL(make_marked_photo, methods=("get",), hidden_from_visitors=True)],
    "experiment-detail": [ObjectURL(make_experiment, methods=("get",))],
    "experiment-end": [
        ObjectURL(make_experiment, methods=("post",), data={"ended_on": "2026-11-12"})
    ],
    "experiment-delete": [ObjectURL(make_experiment, methods=("post",))],
}

# allauth's URLs with an id: passkeys, renamed and removed in Settings.
PASSKEY = {"factory": make_passkey, "namespace": "", "confirm_first": True}

ACCOUNT_OBJECT_URLS: dict[str, list[ObjectURL]] = {
    "mfa_edit_webauthn": [ObjectURL(**PASSKEY, data={"name": "Laptop"})],
    "mfa_remove_webauthn": [ObjectURL(**PASSKEY)],
}

# The models whose rows a walk must leave as they were: the app's, and allauth's (passkeys,
# email addresses).
STORED_APPS = ("tracker", "account", "mfa")


@pytest.fixture(autouse=True)
def ids_apart(db) -> None:
    """Each model's ids start in a range of their own, so an id of the wrong kind reaches nothing.

    Otherwise a routine and its first step would both be number 1, and a walker that sent a
    routine's id to a step URL would see the owner get through.
    """
    with connection.cursor() as cursor:
        for number, model in enumerate(stored_models(), start=1):
            table, start = model._meta.db_table, number * 1000
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                )
            else:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [table, model._meta.pk.column, start],
                )


def stored_models() -> list[type[Model]]:
    return [model for label in STORED_APPS for model in apps.get_app_config(label).get_models()]


def url_names_with_ids(in_tracker: bool) -> set[str]:
    """Names of the URLs that take an id: the app's, or the others (allauth's; not the admin)."""

    def walk(patterns, namespace: str = "", with_id: bool = False):
        for pattern in patterns:
            # An id may sit in an include's prefix as well as in the pattern itself.
            found = with_id or "pk" in pattern.pattern.regex.groupindex
            found = found or "<int:" in str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, found)
            elif isinstance(pattern, URLPattern) and found and namespace != "admin":
                yield from [pattern.name] if (namespace == "tracker") == in_tracker else []

    return set(walk(get_resolver().url_patterns))


def object_urls() -> list:
    def cases(urls: dict[str, list[ObjectURL]]):
        for name in sorted(urls):
            for case in urls[name]:
                yield pytest.param(
                    name, case, id=f"{name}-{case.factory.__name__.removeprefix('make_')}"
                )

    return [*cases(OBJECT_URLS), *cases(ACCOUNT_OBJECT_URLS)]


def everything_stored() -> dict[str, list[dict]]:
    """Every row of every model walked, to show that a refused request changed nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in stored_models()
    }


@pytest.mark.parametrize(
    ("in_tracker", "walked", "where"),
    [(True, OBJECT_URLS, "OBJECT_URLS"), (False, ACCOUNT_OBJECT_URLS, "ACCOUNT_OBJECT_URLS")],
)
def test_every_url_that_takes_an_id_is_walked_here(in_tracker, walked, where):
    unwalked = url_names_with_ids(in_tracker) - set(walked)
    gone = set(walked) - url_names_with_ids(in_tracker)
    assert not unwalked, f"Add these URLs to {where} in {__file__}: {sorted(unwalked)}"
    assert not gone, f"These URLs are no more: remove them from {where}: {sorted(gone)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case"), object_urls())
def test_the_owner_gets_through_with_every_method_the_url_serves(name, case, user, client_for):
    # Guards the tests below: a 404 for others proves nothing unless the owner gets through.
    owner = case.client(user, client_for)
    url = case.reverse(name, case.factory(user))
    for method in METHODS:
        response = case.request(owner, method, url)
        if method in case.methods:
            # A page (or a part of one for htmx), or the redirect that ends a successful POST
            # without htmx.
            expected = 200 if method == "get" or case.htmx else 302
            assert response.status_code == expected, (method, url, response.content[:500])
        else:
            assert response.status_code == 405, (method, url)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case"), object_urls())
def test_another_user_gets_a_404_and_changes_nothing(name, case, user, other_user, client_for):
    url = case.reverse(name, case.factory(user))
    intruder = case.client(other_user, client_for)
    before = everything_stored()
    for method in case.methods:
        assert case.request(intruder, method, url).status_code == 404, (method, url)
    assert everything_stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case"), object_urls())
def test_a_logged_out_visitor_is_sent_to_log_in_and_changes_nothing(name, case, user):
    url = case.reverse(name, case.factory(user))
    before = everything_stored()
    for method in case.methods:
        response = case.request(Client(), method, url)
        if case.hidden_from_visitors:
            assert response.status_code == 404, (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), (method, url)
    assert everything_stored() == before


# Pages without an id show the logged-in person's own data: the walk checks that a visitor is
# sent to log in and that another person sees none of the owner's sessions there.
PAGES_WITHOUT_IDS = ("tracker:year",)


@pytest.mark.parametrize("name", PAGES_WITHOUT_IDS)
def test_a_page_without_an_id_shows_only_its_viewers_own_data(name, user, other_user, client_for):
    make_session(user, minutes=37)
    url = reverse(name)

    assert "37 min" in client_for(user).get(url).content.decode()
    seen_by_other = client_for(other_user).get(url)
    assert seen_by_other.status_code == 200
    assert "37 min" not in seen_by_other.content.decode()
    visitor = Client().get(url)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login"))
