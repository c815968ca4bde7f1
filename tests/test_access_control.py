"""Walks every URL of the app that takes an object id: nobody but the owner gets past it.

A new URL with an id must be added to OBJECT_URLS, or the first test fails: that is the point.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tracker.models import (
    Area,
    MassageSession,
    Product,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)


def make_session(owner) -> MassageSession:
    return MassageSession.objects.create(
        owner=owner, performed_at=timezone.now() - timedelta(hours=1), minutes=10
    )


def make_routine(owner) -> Routine:
    return Routine.objects.create(owner=owner, name="Lift")


def make_step(owner) -> RoutineStep:
    routine = make_routine(owner)
    RoutineStep.objects.create(
        routine=routine, order=0, technique=Technique.ROLLING, area=Area.CHIN
    )
    return RoutineStep.objects.create(
        routine=routine, order=1, technique=Technique.EFFLEURAGE, area=Area.NECK
    )


def make_photo(owner) -> ProgressPhoto:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("photos/test.jpg", ContentFile(b"\xff\xd8 not served"))
    return ProgressPhoto.objects.create(owner=owner, image=name, thumbnail=name)


def make_tool(owner) -> Tool:
    return Tool.objects.create(owner=owner, name="Roller", kind=Tool.Kind.JADE_ROLLER)


def make_product(owner) -> Product:
    return Product.objects.create(owner=owner, name="Jojoba")


def make_rest_week(owner) -> RestWeek:
    return RestWeek.objects.create(owner=owner, week_start=timezone.localdate())


# URL name -> (factory of an object owned by the given user, extra URL kwargs)
ObjectURL = tuple[Callable, dict]
OBJECT_URLS: dict[str, list[ObjectURL]] = {
    "session-detail": [(make_session, {})],
    "session-edit": [(make_session, {})],
    "session-delete": [(make_session, {})],
    "log-routine": [(make_routine, {})],
    "routine-detail": [(make_routine, {})],
    "routine-guide": [(make_routine, {})],
    "routine-delete": [(make_routine, {})],
    "step-add": [(make_routine, {})],
    "step-move": [(make_step, {"direction": "up"})],
    "step-detail": [(make_step, {})],
    "step-edit": [(make_step, {})],
    "step-delete": [(make_step, {})],
    "gear-edit": [(make_tool, {"kind": "tools"}), (make_product, {"kind": "products"})],
    "gear-delete": [(make_tool, {"kind": "tools"}), (make_product, {"kind": "products"})],
    "rest-week-delete": [(make_rest_week, {})],
    "tool-cleaned": [(make_tool, {})],
}
PHOTO_URL_PREFIX = "photo-"


def tracker_url_names_with_ids() -> set[str]:
    def walk(patterns, namespace: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "tracker":
                regex = pattern.pattern.regex.pattern
                if "pk" in regex or "<int:" in str(pattern.pattern):
                    yield pattern.name

    return set(walk(get_resolver().url_patterns))


def object_urls() -> list[tuple[str, Callable, dict]]:
    cases = []
    for name in sorted(tracker_url_names_with_ids()):
        factories = OBJECT_URLS.get(name)
        if factories is None and name.startswith(PHOTO_URL_PREFIX):
            factories = [(make_photo, {})]
        for factory, extra in factories or []:
            cases.append((name, factory, extra))
    return cases


def test_every_url_that_takes_an_id_is_walked_here():
    walked = set(OBJECT_URLS) | {
        n for n in tracker_url_names_with_ids() if n.startswith(PHOTO_URL_PREFIX)
    }
    unwalked = tracker_url_names_with_ids() - walked
    assert not unwalked, f"Add these URLs to OBJECT_URLS in {__file__}: {sorted(unwalked)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "factory", "extra"), object_urls())
def test_another_user_gets_a_404_for_every_method(name, factory, extra, user, other_user):
    url = reverse(f"tracker:{name}", kwargs={"pk": factory(user).pk, **extra})
    intruder = Client()
    intruder.force_login(other_user)
    statuses = {method: getattr(intruder, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405}, statuses
    assert 404 in statuses.values(), statuses


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "factory", "extra"), object_urls())
def test_a_logged_out_visitor_is_sent_to_log_in(name, factory, extra, user):
    url = reverse(f"tracker:{name}", kwargs={"pk": factory(user).pk, **extra})
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code in {302, 404, 405}, (method, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "factory", "extra"), object_urls())
def test_the_owner_gets_past_the_check(name, factory, extra, user, client_for):
    # Guards the two tests above against factories that build the wrong object.
    url = reverse(f"tracker:{name}", kwargs={"pk": factory(user).pk, **extra})
    statuses = {method: getattr(client_for(user), method)(url).status_code for method in ("get",)}
    assert statuses["get"] != 404, url
