"""Reminders in Settings: the plan, notifications on this device, the calendar address; the
endpoints the page's script posts to, and the calendar feed itself."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from tests.factories import (
    give_verified_email,
    make_push_subscription,
    make_reminder_plan,
    make_user,
)
from tests.properties import rolled_back
from tests.push_service import BrowserKeys
from tracker.models import CalendarFeed, PushSubscription, ReminderPlan, RestWeek
from tracker.reminders.mail import unsubscribe_token
from tracker.reminders.push import generate_keys

PROFILE = "tracker:profile"
SAVE = "tracker:reminder-plan"
SUBSCRIBE = "tracker:push-subscribe"
FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHtest"


def plan_form(**fields) -> dict:
    data = {"reminder-days": ["0", "2"], "reminder-at": "08:00", "reminder-mode": "always"}
    data.update({f"reminder-{name}": value for name, value in fields.items()})
    return data


def post_json(client, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(reverse(SUBSCRIBE), data=data, content_type="application/json", **extra)


def feed_url(feed: CalendarFeed) -> str:
    return reverse("tracker:calendar-feed", args=[feed.token])


# The plan in Settings -----------------------------------------------------------------------


def test_saving_a_plan_turns_reminders_on_and_the_page_says_when_the_next_one_is(
    make_user, client_for, time_machine
):
    alice = make_user("alice", timezone="Europe/Paris")

    time_machine.move_to(datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False)  # Monday noon, Paris
    client = client_for(alice)
    response = client.post(reverse(SAVE), plan_form(mode="behind"))
    page = client.get(reverse(PROFILE)).content.decode()

    assert response.status_code == 302
    assert response["Location"] == reverse(PROFILE) + "#reminders"
    plan = ReminderPlan.objects.get(owner=alice)
    assert (plan.days, plan.at, plan.mode, plan.by_email) == ([0, 2], time(8), "behind", False)
    assert plan.next_due_at == datetime(2027, 1, 6, 7, tzinfo=UTC)  # Wednesday 08:00 in Paris
    assert "On: Monday and Wednesday at 08:00; the next one Wednesday 6 Jan, 08:00." in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"days": []}, "Choose at least one day."),
        ({"at": "25:61"}, "Enter a time such as 08:00."),
        ({"at": "soon"}, "Enter a time such as 08:00."),
        ({"at": ""}, "Enter a time."),
        ({"days": ["9"]}, "Select a valid choice."),
        ({"mode": "sometimes"}, "Select a valid choice."),
    ],
)
def test_a_plan_that_is_not_one_is_a_form_error_and_saves_nothing(user_client, fields, error):
    response = user_client.post(reverse(SAVE), plan_form(**fields))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ReminderPlan.objects.exists()


def test_email_reminders_need_a_verified_address(user, user_client):
    page = user_client.get(reverse(PROFILE)).content.decode()
    assert "Add and verify an email address" in page

    user_client.post(reverse(SAVE), plan_form(by_email="on"))
    assert ReminderPlan.objects.get().by_email is False

    give_verified_email(user, "alice@example.org")
    assert "To alice@example.org" in user_client.get(reverse(PROFILE)).content.decode()
    user_client.post(reverse(SAVE), plan_form(by_email="on"))
    assert ReminderPlan.objects.get().by_email is True


def test_the_days_are_listed_from_the_persons_first_weekday(make_user, client_for):
    page = client_for(make_user("sam", week_start=6)).get(reverse(PROFILE)).content.decode()
    assert page.index(">\n Sunday</label>") < page.index(">\n Monday</label>")


def test_turning_reminders_off_keeps_the_plan_for_the_calendar(user, user_client):
    make_reminder_plan(user)

    user_client.post(reverse("tracker:reminder-plan-off"))

    plan = ReminderPlan.objects.get()
    assert (plan.enabled, plan.next_due_at, plan.days) == (False, None, list(range(7)))
    assert "Turn on reminders" in user_client.get(reverse(PROFILE)).content.decode()


def test_the_notifications_part_asks_nothing_on_load_and_tells_iphone_users_what_to_do(
    user_client, vapid
):
    page = user_client.get(reverse(PROFILE)).content.decode()

    assert "data-push-on hidden>Turn on notifications</button>" in page
    assert f'data-public-key="{vapid[1]}"' in page
    assert "js/push.js" in page
    assert "only once Facetrack is on the home screen" in page


def test_without_vapid_keys_the_page_says_notifications_are_not_set_up(user_client, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    page = user_client.get(reverse(PROFILE)).content.decode()
    assert "Notifications are not set up on this server" in page
    assert "js/push.js" not in page


def test_the_settings_page_takes_as_many_queries_with_reminders_as_without(
    user, user_client, django_assert_num_queries, vapid
):
    user_client.get(reverse(PROFILE))
    with CaptureQueriesContext(connection) as without:
        user_client.get(reverse(PROFILE))
    make_reminder_plan(user)
    CalendarFeed.objects.issue(user)
    for n in range(3):
        make_push_subscription(user, f"{FCM}{n}")
    with django_assert_num_queries(len(without)):
        page = user_client.get(reverse(PROFILE)).content.decode()
    assert "Notifications are on for 3 devices." in page


# Notifications on this device ----------------------------------------------------------------


def test_a_browsers_subscription_is_stored_with_the_servers_key(user, user_client, vapid):
    keys = BrowserKeys()

    response = post_json(user_client, keys.subscription(FCM))

    assert response.status_code == 201
    assert response.json()["message"] == "Notifications are on for this device."
    stored = PushSubscription.objects.get()
    assert (stored.owner, stored.endpoint, stored.p256dh, stored.auth) == (
        user,
        FCM,
        keys.p256dh,
        keys.auth,
    )
    assert stored.server_key == vapid[1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "That is not a push subscription."),
        ([1, 2], "That is not a push subscription."),
        ({"endpoint": FCM}, "The subscription has no endpoint or keys."),
        ({"endpoint": 3, "keys": {}}, "The subscription has no endpoint or keys."),
        (
            {"endpoint": "http://fcm.googleapis.com/x", "keys": {"p256dh": "x", "auth": "y"}},
            "The push endpoint must use https.",
        ),
        (
            {"endpoint": "https://example.com/x", "keys": {"p256dh": "x", "auth": "y"}},
            "The push endpoint is not on a known push service.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": "AAAA", "auth": BrowserKeys().auth}},
            "The subscription's p256dh key is not a P-256 public key.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": "B" + "A" * 86, "auth": BrowserKeys().auth}},
            "The subscription's p256dh key is not a P-256 public key.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": BrowserKeys().p256dh, "auth": "abc!"}},
            "The subscription's auth secret is not 16 bytes.",
        ),
        (b"x" * 5000, "That subscription is too large."),
    ],
)
def test_a_malformed_or_oversized_subscription_is_refused_with_a_message(
    user_client, vapid, body, message
):
    response = post_json(user_client, body)

    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()


KEYS = BrowserKeys()
SERVER_KEYS = generate_keys()
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
HOSTILE = {
    "endpoint": st.sampled_from(
        [
            FCM,
            "http://fcm.googleapis.com/x",
            "https://fcm.googleapis.com.evil.example/x",
            "https://169.254.169.254/latest",
            "https://fcm.googleapis.com/" + "a" * 1100,
            "https://fcm.googleapis.com/\x00",
        ]
    )
    | json_values,
    "keys": st.fixed_dictionaries(
        {},
        optional={
            "p256dh": st.sampled_from([KEYS.p256dh, KEYS.p256dh[:-1], "B" + "A" * 86])
            | json_values,
            "auth": st.sampled_from([KEYS.auth, KEYS.auth + "A", "abc!"]) | json_values,
        },
    )
    | json_values,
    "expirationTime": json_values,
}
# A browser's own subscription with any of its parts replaced, or anything at all.
subscription_bodies = st.one_of(
    st.fixed_dictionaries({}, optional=HOSTILE).map(
        lambda changed: json.dumps({**KEYS.subscription(FCM), **changed})
    ),
    json_values.map(json.dumps),
    st.binary(max_size=600),
    st.just(json.dumps(KEYS.subscription(FCM))),
)


@pytest.mark.django_db
@given(body=subscription_bodies)
def test_whatever_is_posted_is_stored_whole_or_refused_with_400(body):
    private_key, public_key = SERVER_KEYS
    with (
        rolled_back(),
        override_settings(VAPID_PRIVATE_KEY=private_key, VAPID_PUBLIC_KEY=public_key),
    ):
        client = Client()
        client.force_login(make_user("alice"))

        response = post_json(client, body)
        event(f"answered {response.status_code}")

        stored = list(PushSubscription.objects.values("endpoint", "p256dh", "auth", "server_key"))
        if response.status_code == 201:
            sent = json.loads(body)
            assert stored == [
                {
                    "endpoint": sent["endpoint"],
                    "p256dh": sent["keys"]["p256dh"],
                    "auth": sent["keys"]["auth"],
                    "server_key": public_key,
                }
            ]
            # Only the browser's own values pass the checks.
            keys = sent["keys"]
            assert (sent["endpoint"], keys["p256dh"], keys["auth"]) == (FCM, KEYS.p256dh, KEYS.auth)
        else:
            assert response.status_code == 400
            assert isinstance(response.json()["error"], str)
            assert stored == []


def test_without_vapid_keys_the_server_says_notifications_are_not_set_up(user_client, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    response = post_json(user_client, BrowserKeys().subscription(FCM))

    assert response.status_code == 400
    assert "not set up" in response.json()["error"]


def test_a_browser_subscribed_again_under_another_account_moves_there(
    user, other_user, client_for, vapid
):
    keys = BrowserKeys()
    post_json(client_for(user), keys.subscription(FCM))

    post_json(client_for(other_user), keys.subscription(FCM))

    assert list(PushSubscription.objects.values_list("owner", flat=True)) == [other_user.pk]


def test_a_person_keeps_at_most_ten_browsers(user, user_client, vapid):
    for n in range(12):
        post_json(user_client, BrowserKeys().subscription(f"{FCM}{n}"))

    kept = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == {f"{FCM}{n}" for n in range(2, 12)}


def test_turning_off_forgets_only_ones_own_browser(user, other_user, client_for, vapid):
    make_push_subscription(user, FCM + "mine")
    make_push_subscription(other_user, FCM + "theirs")
    url = reverse("tracker:push-unsubscribe")

    for endpoint in (FCM + "mine", FCM + "theirs"):
        response = client_for(user).post(
            url, data=json.dumps({"endpoint": endpoint}), content_type="application/json"
        )
        assert response.status_code == 200

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM + "theirs"]
    bad = client_for(user).post(url, data="[]", content_type="application/json")
    assert bad.status_code == 400


def test_subscribing_needs_a_login_and_a_post(client, user_client, vapid):
    assert post_json(client, BrowserKeys().subscription(FCM)).status_code == 302
    assert user_client.get(reverse(SUBSCRIBE)).status_code == 405
    assert not PushSubscription.objects.exists()


# The calendar address and its feed ----------------------------------------------------------


@pytest.fixture
def paris(make_user):
    return make_user("alice", timezone="Europe/Paris", target_minutes=12)


def test_a_new_address_retires_the_old_one_and_wrong_ones_all_look_alike(paris, client):
    make_reminder_plan(paris)
    old = CalendarFeed.objects.issue(paris)
    old_url = feed_url(old)
    new = CalendarFeed.objects.issue(paris)

    gone = client.get(old_url)
    wrong = client.get(feed_url(CalendarFeed(token="A" * 43)))
    malformed = client.get("/calendar/x.ics")

    assert client.get(feed_url(new)).status_code == 200
    assert gone.status_code == wrong.status_code == malformed.status_code == 404
    assert gone.content == wrong.content == malformed.content
    assert old.token not in gone.content.decode()


def test_the_feed_needs_no_login_and_is_never_cached_by_others(paris, client):
    make_reminder_plan(paris)
    url = feed_url(CalendarFeed.objects.issue(paris))

    response = client.get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_settings_make_renew_and_stop_the_address(user, user_client):
    profile = reverse("tracker:profile")
    assert "Make a calendar address" in user_client.get(profile).content.decode()

    user_client.post(reverse("tracker:calendar-feed-issue"))
    first = CalendarFeed.objects.get(owner=user).token
    page = user_client.get(profile).content.decode()
    assert f"http://testserver/calendar/{first}.ics" in page
    assert f"webcal://testserver/calendar/{first}.ics" in page
    assert "Google Calendar ignores alerts" in page

    user_client.post(reverse("tracker:calendar-feed-issue"))
    assert CalendarFeed.objects.get(owner=user).token != first

    user_client.post(reverse("tracker:calendar-feed-off"))
    assert not CalendarFeed.objects.filter(owner=user).exists()


def no_store(response) -> bool:
    return "no-store" in response["Cache-Control"].replace(" ", "").split(",")


def test_settings_showing_the_secret_address_are_kept_by_no_cache_nor_service_worker(
    user, user_client
):
    feed = CalendarFeed.objects.issue(user)
    shown = user_client.get(reverse("tracker:profile"))
    invalid = user_client.post(reverse(SAVE), plan_form(at="noon"))

    for response in (shown, invalid):
        assert response.status_code == 200
        assert feed.token in response.content.decode()
        assert no_store(response) and "private" in response["Cache-Control"]


def test_the_unsubscribe_page_whose_address_holds_its_token_is_never_kept(paris, client):
    make_reminder_plan(paris)
    url = reverse("tracker:reminder-unsubscribe", args=[unsubscribe_token(paris)])

    assert no_store(client.get(url))
    assert no_store(client.post(url))


def test_the_feed_costs_three_queries_however_many_rest_weeks(
    paris, client, django_assert_num_queries
):
    make_reminder_plan(paris)
    url = feed_url(CalendarFeed.objects.issue(paris))
    for weeks in (1, 12):
        for week in range(weeks):
            RestWeek.objects.mark(paris, date(2026, 1, 5) + timedelta(weeks=week))
        # The feed with its owner and profile, the plan, the rest weeks.
        with django_assert_num_queries(3):
            client.get(url)
