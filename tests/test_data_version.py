"""The dashboard's cached progress can never be stale: every write that changes the dashboard
changes the profile's data version (tracker.models.versions), in the same transaction.

The walk sends every state-changing URL as its owner would (the object URLs and their data
from tests/test_access_control.py, the others from NO_ID_POSTS here). After each, the dashboard
as the cache serves it must equal the dashboard rendered afresh, and if the fresh dashboard
changed at all, the version must have changed too. A new URL must join a table, or the
coverage test fails.
"""

import difflib
import re
from datetime import UTC, datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_full_account,
    make_product,
    make_routine,
    make_session,
    product_data,
    profile_data,
    session_data,
)
from tests.test_access_control import OBJECT_URLS, url_names_with_ids
from tracker.models import Profile, versions

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracker:dashboard")
HISTORY = reverse("tracker:history")
NO_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
WITH_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "walk"},
}

# URLs without an id that change what a person keeps: (name, args, data).
NO_ID_POSTS = {
    "profile": ((), profile_data(target_min="3", target_stretch="5")),
    "rest-week-add": ((), {"week_start": "2026-11-18"}),
    "session-new": ((), session_data()),
    "health-check": ((), {"conditions": ["pregnancy"], "agree": "on"}),
    "health-check-delete": ((), {}),
    "routine-new": ((), {"name": "Sunday long"}),
    "routine-copy-starter": (("hands-10",), {}),
    "gear-new": (("products",), product_data(name="Squalane")),
    "experiments": (
        (),
        {"change": "technique", "technique": "gua_sha", "started_on": "2026-11-18", "weeks": "6"},
    ),
}
# Changes nothing the dashboard shows, or needs more than a form post; each says where its
# writes are covered.
NOT_WALKED = {
    "undo": "brings back what a walked deletion removed: tests/views/test_undo.py",
    "photo-new": "an upload; the photo table's trigger is walked through photo-edit/delete",
    "data-import": "an upload; imports write through the same tables' triggers (test below)",
    "data-import-loop": "an upload; sessions' trigger, as session-new",
    "account-delete": "the account is gone: test_a_deleted_account_leaves_nothing_to_meet",
    "reminder-plan": "reminders are not on the dashboard",
    "reminder-plan-off": "reminders are not on the dashboard",
    "push-subscribe": "reminders are not on the dashboard",
    "push-unsubscribe": "reminders are not on the dashboard",
    "calendar-feed-issue": "reminders are not on the dashboard",
    "calendar-feed-off": "reminders are not on the dashboard",
    "reminder-unsubscribe": "reminders are not on the dashboard",
    "offline-identity": "reads only",
}
READ_ONLY = {
    "dashboard",
    "sources",
    "history",
    "routine-list",
    "undo-offer",
    "photos",
    "photo-compare",
    "insights",
    "year",
    "gear",
    "data-export",
    "calendar-feed",
    "health",
    "service-worker",
    "manifest",
}


def normalised(html: str) -> str:
    """The page less what differs on every rendering: tokens, nonces, one-time ids."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = re.sub(r'(name="client_id" id="[^"]*" value=")[^"]*"', r"\1", html)
    # Flash messages show once, on whichever page comes first.
    html = re.sub(r'<div class="messages".*?</div>', "", html, flags=re.DOTALL)
    html = re.sub(r'<div class="undo-offer".*?</form>\s*</div>\s*', "", html, flags=re.DOTALL)
    html = re.sub(r'<meta name="htmx-config"[^>]*>', "", html)
    # One tag a line, whitespace between tags dropped: easy to read in a failure's diff.
    return re.sub(r">\s*<", ">\n<", re.sub(r"\s+", " ", html)).strip()


def diff(one: str, other: str) -> str:
    lines = difflib.unified_diff(one.splitlines(), other.splitlines(), lineterm="", n=0)
    return "\n".join(list(lines)[:20])


def version_of(user) -> int:
    return Profile.objects.values_list("data_version", flat=True).get(user=user)


@pytest.fixture(autouse=True)
def _empty_walk_cache(settings):
    # Ids, clocks and versions repeat from test to test (rolled back): start each one empty.
    settings.CACHES = WITH_CACHE
    caches["pages"].clear()


def dashboard(client: Client, settings, caches_setting: dict, url: str = DASHBOARD) -> str:
    settings.CACHES = caches_setting
    response = client.get(url)
    assert response.status_code == 200
    assert b"placeholder" not in response.content
    return normalised(response.content.decode())


def walked_cases() -> list:
    return list(_walked_cases())


def _walked_cases():
    for name, cases in sorted(OBJECT_URLS.items()):
        for case in cases:
            if "post" in case.methods:
                yield pytest.param(name, case, id=f"{name}-{case.factory.__name__}")
    for name in sorted(NO_ID_POSTS):
        yield pytest.param(name, None, id=name)


def test_every_url_is_walked_or_says_why_not():
    all_names = url_names_with_ids(in_tracker=True) | set(NO_ID_POSTS) | NOT_WALKED.keys()
    from django.urls import get_resolver

    tracker = get_resolver().namespace_dict["tracker"][1]
    names = {name for name in tracker.reverse_dict if isinstance(name, str)}
    missing = names - all_names - READ_ONLY
    assert not missing, f"Add to NO_ID_POSTS, NOT_WALKED or READ_ONLY: {sorted(missing)}"


@pytest.mark.parametrize(("name", "case"), walked_cases())
def test_no_write_leaves_the_dashboard_stale(name, case, user, client_for, settings, now):
    make_full_account(user)
    make_session(user)  # today: the week card has something to lose
    client = client_for(user)
    if case is None:
        args, data = NO_ID_POSTS[name]
        url = reverse(f"tracker:{name}", args=args)
    else:
        obj = case.factory(user)
        url = case.reverse(name, obj)
        data = case.data
    fresh_before = dashboard(client, settings, NO_CACHE)
    dashboard(client, settings, WITH_CACHE)  # the part is now kept
    dashboard(client, settings, WITH_CACHE, HISTORY)  # and the history's list
    version_before = version_of(user)

    settings.CACHES = WITH_CACHE
    response = client.post(url, data, headers={"HX-Request": "true"} if case and case.htmx else {})
    assert response.status_code in (200, 302), response.content[:300]

    served = dashboard(client, settings, WITH_CACHE)
    fresh_after = dashboard(client, settings, NO_CACHE)
    assert served == fresh_after, f"{name} left a stale part in the cache:\n" + diff(
        served, fresh_after
    )
    served = dashboard(client, settings, WITH_CACHE, HISTORY)
    assert "placeholder" not in served
    fresh = dashboard(client, settings, NO_CACHE, HISTORY)
    assert served == fresh, f"{name} left a stale history:\n" + diff(served, fresh)
    if fresh_after != fresh_before:
        assert version_of(user) != version_before, f"{name} changed the page, not the version"


def test_the_check_sees_a_write_that_does_not_count(user, client_for, settings, now):
    """The walk can fail: with the sessions' triggers gone, a log leaves the part stale."""
    make_full_account(user)
    routine = make_routine(user, "Extra")
    client = client_for(user)
    dashboard(client, settings, WITH_CACHE)
    with connection.cursor() as cursor:
        for statement in versions.drop_sql(connection.vendor, ["tracker_massagesession"]):
            cursor.execute(statement)
    before = version_of(user)

    client.post(reverse("tracker:log-routine", args=[routine.pk]))

    assert version_of(user) == before
    assert dashboard(client, settings, WITH_CACHE) != dashboard(client, settings, NO_CACHE)


def test_a_settings_change_and_an_import_count(user, settings, now):
    make_product(user)
    before = version_of(user)
    user.profile.change_settings(target_min=4, target_stretch=6)
    after_settings = version_of(user)
    assert after_settings > before
    user.profile.refresh_from_db()
    user.profile.change_settings(target_min=4, target_stretch=6)  # the same values: no change
    assert version_of(user) == after_settings


def test_an_older_version_written_back_still_moves_it_on(user, now):
    stale = Profile.objects.get(user=user)
    make_session(user)
    counted = version_of(user)
    stale.target_minutes = 15
    stale.save()
    assert version_of(user) == counted + 1


def test_a_deleted_account_leaves_nothing_to_meet(make_user, client_for, settings, now):
    settings.CACHES = WITH_CACHE
    first = make_user("first")
    make_session(first)
    page = client_for(first).get(DASHBOARD).content.decode()
    assert 'data-testid="week-count">1<' in page
    first_id = first.pk
    first.profile.delete_account()
    # The old entries may stay, but no later account can reach them.
    second = make_user("second")
    assert second.pk != first_id or second.date_joined != first.date_joined
    page = client_for(second).get(DASHBOARD).content.decode()
    assert 'data-testid="week-count">0<' in page


def test_a_new_day_in_the_persons_zone_is_a_new_part(make_user, client_for, time_machine):
    # 23:59 in Auckland on Sunday 22 November: the week (from Monday) ends at midnight there.
    time_machine.move_to(datetime(2026, 11, 22, 10, 59, tzinfo=UTC), tick=False)
    user = make_user("night", timezone="Pacific/Auckland")
    client = client_for(user)
    make_session(user)
    assert 'data-testid="week-count">1<' in client.get(DASHBOARD).content.decode()

    time_machine.move_to(datetime(2026, 11, 22, 11, 0, tzinfo=UTC), tick=False)

    assert 'data-testid="week-count">0<' in client.get(DASHBOARD).content.decode()
