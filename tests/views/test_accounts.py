from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_rest_week, profile_data
from tests.readers import messages_of
from tracker.models import RestWeek, Routine

pytestmark = pytest.mark.django_db

PROFILE = reverse("tracker:profile")
DASHBOARD = reverse("tracker:dashboard")


# Settings


def test_the_settings_page_shows_the_current_targets(user_client):
    html = user_client.get(PROFILE).content.decode()

    assert 'name="target_min" value="2"' in html
    assert 'name="target_stretch" value="3"' in html
    assert "Mark as a rest week" in html


def test_saving_settings_changes_the_zone_week_start_and_targets(user, user_client):
    response = user_client.post(PROFILE, profile_data())

    assert response["Location"] == PROFILE
    assert messages_of(response) == ["Settings saved."]
    user.profile.refresh_from_db()
    assert user.profile.timezone == "Europe/London"
    assert user.profile.week_start == 6
    assert (user.profile.target_min, user.profile.target_stretch) == (2, 4)
    assert user.profile.target_minutes == 12


def test_a_stretch_goal_below_the_minimum_is_explained_not_saved(user, user_client):
    response = user_client.post(PROFILE, profile_data(target_min="3", target_stretch="2"))

    assert response.status_code == 200
    assert "The stretch goal cannot be below the weekly minimum." in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.timezone == "UTC"


def test_an_unknown_time_zone_is_refused(user, user_client):
    response = user_client.post(PROFILE, profile_data(timezone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert user.profile.timezone == "UTC"


# Rest weeks


def test_a_rest_week_added_in_settings_is_listed_there(user, user_client):
    response = user_client.post(
        reverse("tracker:rest-week-add"), {"week_start": "2026-11-19", "reason": "Laser"}
    )

    assert response["Location"] == PROFILE
    assert RestWeek.objects.get().owner == user
    page = user_client.get(PROFILE).content.decode()
    assert "Week of 16 Nov 2026: Laser" in page
    # Said once, with an Undo.
    assert "The week of 16 Nov 2026 is a rest week." in page
    assert f'action="{reverse("tracker:undo")}"' in page


def test_a_rest_week_added_from_the_dashboard_goes_back_there(user_client):
    response = user_client.post(
        reverse("tracker:rest-week-add"), {"week_start": "2026-11-19", "next": "dashboard"}
    )

    assert response["Location"] == DASHBOARD


def test_the_same_rest_week_twice_is_explained_on_the_settings_page(user, user_client):
    make_rest_week(user, date(2026, 11, 16))

    response = user_client.post(reverse("tracker:rest-week-add"), {"week_start": "2026-11-20"})

    assert response.status_code == 200
    assert "That week is already a rest week." in response.content.decode()
    assert RestWeek.objects.count() == 1


def test_removing_a_rest_week_counts_the_week_again(user, user_client):
    rest = make_rest_week(user, date(2026, 11, 16))

    response = user_client.post(reverse("tracker:rest-week-delete", args=[rest.pk]))

    assert response["Location"] == PROFILE
    assert not RestWeek.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_rest_week_is_a_404_and_stays(other_user, user_client, method: str):
    theirs = make_rest_week(other_user, date(2026, 11, 16))

    response = getattr(user_client, method)(reverse("tracker:rest-week-delete", args=[theirs.pk]))

    assert response.status_code in {404, 405}
    assert RestWeek.objects.filter(pk=theirs.pk).exists()
    if method == "post":
        assert response.status_code == 404


@pytest.mark.parametrize("name", ["rest-week-add", "rest-week-delete"])
def test_rest_weeks_change_only_by_post(user, user_client, name: str):
    rest = make_rest_week(user, date(2026, 11, 16))
    args = [rest.pk] if name == "rest-week-delete" else []

    response = user_client.get(reverse(f"tracker:{name}", args=args), {"week_start": "2026-11-23"})

    assert response.status_code == 405
    assert list(RestWeek.objects.all()) == [rest]


# Logged out


PAGES = [
    ("tracker:dashboard", []),
    ("tracker:profile", []),
    ("tracker:history", []),
    ("tracker:session-new", []),
    ("tracker:routine-list", []),
    ("tracker:routine-new", []),
    ("tracker:gear", []),
    ("tracker:gear-new", ["tools"]),
    ("tracker:gear-new", ["products"]),
]
FORMS = [
    ("tracker:profile", []),
    ("tracker:session-new", []),
    ("tracker:routine-new", []),
    ("tracker:gear-new", ["tools"]),
    ("tracker:rest-week-add", []),
    ("tracker:routine-copy-starter", ["hands-10"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_sends_a_visitor_to_log_in(name: str, args: list, db):
    url = reverse(name, args=args)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "args"), FORMS)
def test_every_form_sends_a_visitor_to_log_in_without_acting(name: str, args: list, db):
    url = reverse(name, args=args)

    response = Client().post(url, {"week_start": "2026-11-16", "name": "Sneaky"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not RestWeek.objects.exists()
    assert not Routine.objects.exists()


def test_an_htmx_request_from_a_visitor_is_also_sent_to_log_in(db):
    response = Client().get(DASHBOARD, headers={"HX-Request": "true", "HX-Target": "progress"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Queries


def test_the_settings_page_costs_a_constant_few_queries(
    user, user_client, django_assert_num_queries
):
    for week in range(5):
        make_rest_week(user, date(2026, 10, 5) + timedelta(weeks=week))

    # Session, user, profile, the rest weeks, the email addresses, the passkeys, the reminder
    # plan with the calendar feed, and the verified address reminders would go to.
    with django_assert_num_queries(8):
        user_client.get(PROFILE)
