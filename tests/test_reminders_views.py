"""The reminder plan in Settings, and reminders in the export and the restore."""

import io
import json
import zipfile
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.push_service import BrowserKeys
from tests.reminder_helpers import make_plan
from tests.test_portability import archive_with, exported, minimal_document
from tests.test_reminders_scheduler import at
from tracker.models import CalendarFeed, PushSubscription, ReminderPlan
from tracker.portability import ImportRefused, import_zip

PROFILE = "tracker:profile"
MONDAY = "2027-01-04T07:00:00+00:00"
SAVE = "tracker:reminder-plan"


def plan_form(**fields) -> dict:
    data = {"reminder-days": ["0", "2"], "reminder-at": "08:00", "reminder-mode": "always"}
    data.update({f"reminder-{name}": value for name, value in fields.items()})
    return data


# The plan in Settings -----------------------------------------------------------------------


def test_saving_a_plan_turns_reminders_on_and_the_page_says_when_the_next_one_is(
    make_user, client_for
):
    alice = make_user("alice", timezone="Europe/Paris")

    with at(datetime(2027, 1, 4, 12, tzinfo=UTC)):  # Monday noon in Paris
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


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.lists(st.text(max_size=3), max_size=9),
    at_text=st.text(max_size=12),
    mode=st.text(max_size=8),
)
def test_any_input_saves_a_valid_plan_or_shows_the_form_again(
    user, user_client, days, at_text, mode
):
    response = user_client.post(reverse(SAVE), plan_form(days=days, at=at_text, mode=mode))

    assert response.status_code in {200, 302}
    plan = ReminderPlan.objects.filter(owner=user).first()
    if response.status_code == 302:
        assert plan.weekdays and set(plan.days) <= set(range(7))
    ReminderPlan.objects.all().delete()


def test_email_reminders_need_a_verified_address(user, user_client):
    page = user_client.get(reverse(PROFILE)).content.decode()
    assert "Add and verify an email address" in page

    user_client.post(reverse(SAVE), plan_form(by_email="on"))
    assert ReminderPlan.objects.get().by_email is False

    user.email = "alice@example.org"
    user.save()
    assert "To alice@example.org" in user_client.get(reverse(PROFILE)).content.decode()
    user_client.post(reverse(SAVE), plan_form(by_email="on"))
    assert ReminderPlan.objects.get().by_email is True


def test_the_days_are_listed_from_the_persons_first_weekday(make_user, client_for):
    page = client_for(make_user("sam", week_start=6)).get(reverse(PROFILE)).content.decode()
    assert page.index(">\n Sunday</label>") < page.index(">\n Monday</label>")


def test_turning_reminders_off_keeps_the_plan_for_the_calendar(user, user_client):
    make_plan(user)

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
    make_plan(user)
    CalendarFeed.objects.issue(user)
    for n in range(3):
        keys = BrowserKeys()
        PushSubscription.objects.subscribe(
            user,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{n}",
            p256dh=keys.p256dh,
            auth=keys.auth,
            server_key=vapid[1],
        )
    with django_assert_num_queries(len(without)):
        page = user_client.get(reverse(PROFILE)).content.decode()
    assert "Notifications are on for 3 devices." in page


def test_a_new_time_zone_moves_the_next_reminder_with_it(make_user, client_for):
    alice = make_user("alice", timezone="Europe/Paris")
    with at(datetime(2027, 1, 4, 12, tzinfo=UTC)):
        plan = make_plan(alice, days=[2])
        alice.profile.change_settings(timezone="Asia/Tokyo")
    plan.refresh_from_db()
    assert plan.next_due_at == datetime(2027, 1, 5, 23, tzinfo=UTC)  # Wednesday 08:00 in Tokyo


# Export and restore -------------------------------------------------------------------------


def document_of(owner) -> dict:
    with zipfile.ZipFile(io.BytesIO(exported(owner))) as archive:
        return json.loads(archive.read("data.json"))


def test_the_export_holds_the_plan_browsers_and_reminders_sent_but_no_feed_secret(user, vapid):
    make_plan(user, days=[1, 4], at=time(21, 15), mode="behind")
    feed = CalendarFeed.objects.issue(user)
    keys = BrowserKeys()
    PushSubscription.objects.subscribe(
        user,
        endpoint="https://fcm.googleapis.com/fcm/send/x",
        p256dh=keys.p256dh,
        auth=keys.auth,
        server_key=vapid[1],
    )

    section = document_of(user)["reminders"]

    assert section["plan"] == {
        "days": [1, 4],
        "time": "21:15",
        "mode": "behind",
        "by_email": True,
        "enabled": True,
    }
    assert section["calendar_feed"] is True
    assert section["push_subscriptions"][0]["endpoint"] == "https://fcm.googleapis.com/fcm/send/x"
    assert feed.token not in json.dumps(section)


def test_a_restore_brings_the_plan_a_new_feed_address_and_the_browsers_back(user, make_user, vapid):
    make_plan(user, days=[1, 4], at=time(21, 15))
    old_feed = CalendarFeed.objects.issue(user)
    keys = BrowserKeys()
    PushSubscription.objects.subscribe(
        user,
        endpoint="https://fcm.googleapis.com/fcm/send/x",
        p256dh=keys.p256dh,
        auth=keys.auth,
        server_key=vapid[1],
    )
    data = exported(user)
    # The old account is gone; its owner restores into a new one on the same server.
    user.profile.delete_account()
    newcomer = make_user("alice-again")

    import_zip(newcomer, io.BytesIO(data))

    plan = ReminderPlan.objects.get(owner=newcomer)
    assert (plan.days, plan.at, plan.next_due_at is not None) == ([1, 4], time(21, 15), True)
    assert CalendarFeed.objects.get(owner=newcomer).token != old_feed.token
    assert PushSubscription.objects.get().owner == newcomer


def test_a_restore_leaves_browsers_of_other_keys_or_other_accounts_alone(user, make_user, vapid):
    keys = BrowserKeys()
    theirs = "https://fcm.googleapis.com/fcm/send/theirs"
    PushSubscription.objects.subscribe(
        user, endpoint=theirs, p256dh=keys.p256dh, auth=keys.auth, server_key=vapid[1]
    )
    section = {
        "push_subscriptions": [
            {"endpoint": theirs, "p256dh": keys.p256dh, "auth": keys.auth, "server_key": vapid[1]},
            {
                "endpoint": "https://fcm.googleapis.com/fcm/send/old-key",
                "p256dh": keys.p256dh,
                "auth": keys.auth,
                "server_key": "an-older-key",
            },
        ]
    }
    newcomer = make_user("newcomer")

    import_zip(newcomer, archive_with(minimal_document(reminders=section)))

    assert list(PushSubscription.objects.values_list("owner", flat=True)) == [user.pk]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ([], "“reminders” in data.json must be an object."),
        ({"plan": {"days": [], "time": "08:00"}}, "the days must be a list of weekdays"),
        ({"plan": {"days": [7], "time": "08:00"}}, "the days must be a list of weekdays"),
        ({"plan": {"days": [1], "time": "8 o'clock"}}, "the time must be like 08:00"),
        (
            {"plan": {"days": [1], "time": "08:00", "mode": "often"}},
            "unknown mode 'often'",
        ),
        (
            {"push_subscriptions": [{"endpoint": "https://10.0.0.1/", "server_key": "k"}]},
            "Push subscription 1: The push endpoint is not on a known push service.",
        ),
        ({"sent": [{"occurrence": "yesterday"}]}, "Reminder sent 1: the time must be"),
        (
            {
                "sent": [
                    {
                        "occurrence": "2027-01-04T07:00:00+00:00",
                        "status": "sent",
                        "delivered": ["fax"],
                    }
                ]
            },
            "“delivered” may only name email and push",
        ),
    ],
)
def test_a_damaged_reminders_section_is_refused_and_nothing_is_imported(user, section, message):
    with pytest.raises(ImportRefused, match=message):
        import_zip(user, archive_with(minimal_document(reminders=section)))
    assert not ReminderPlan.objects.exists()


def test_an_export_from_before_reminders_still_imports(user):
    import_zip(user, archive_with(minimal_document()))
    assert not ReminderPlan.objects.exists()


def test_reminders_sent_come_back_as_they_were(user, make_user):
    from tracker.models import ReminderClaim

    moment = datetime(2027, 1, 4, 7, tzinfo=UTC)
    claims = ReminderClaim.objects.claim([(user.pk, moment), (user.pk, moment + timedelta(days=1))])
    claims[0].mark_delivered("email")
    claims[0].finish("sent")
    newcomer = make_user("newcomer")

    import_zip(newcomer, io.BytesIO(exported(user)))

    restored = ReminderClaim.objects.for_user(newcomer).order_by("occurrence")
    assert [(c.occurrence, c.status, c.delivered) for c in restored] == [
        (moment, "sent", ["email"]),
        (moment + timedelta(days=1), "claimed", []),
    ]
