"""Reminders in the export and the restore (tracker/portability/reminders.py)."""

import io
import json
import re
import zipfile
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from tests import photo_samples as samples
from tests.factories import (
    TUESDAY_MORNING,
    archive_with,
    make_export,
    make_full_account,
    make_push_subscription,
    make_reminder_plan,
    minimal_document,
)
from tests.push_service import BrowserKeys
from tests.readers import owned_counts
from tracker import portability
from tracker.backups import stored_names
from tracker.models import CalendarFeed, PushSubscription, ReminderClaim, ReminderPlan
from tracker.models.bulk import Batch
from tracker.portability import ImportRefused, import_zip
from tracker.portability.reminders import MAX_SENT

FCM = "https://fcm.googleapis.com/fcm/send/"
REMINDER_MODELS = (ReminderPlan, CalendarFeed, PushSubscription, ReminderClaim)
REMINDER_MODELS_NAMES = [model.__name__ for model in REMINDER_MODELS]


def document_of(owner) -> dict:
    with zipfile.ZipFile(io.BytesIO(make_export(owner))) as archive:
        return json.loads(archive.read("data.json"))


def reminder_rows(owner) -> dict[str, int]:
    return {model.__name__: model.objects.filter(owner=owner).count() for model in REMINDER_MODELS}


def a_browser(keys: BrowserKeys, endpoint: str = FCM + "x", server_key: str = "") -> dict:
    return {
        "endpoint": endpoint,
        "p256dh": keys.p256dh,
        "auth": keys.auth,
        "server_key": server_key,
    }


def a_plan(**fields) -> dict:
    plan = {"days": [1], "time": "08:00", "mode": "always", "by_email": False, "enabled": True}
    return {**plan, **fields}


def a_reminder_sent(occurrence: datetime = TUESDAY_MORNING, **fields) -> dict:
    return {
        "occurrence": occurrence.isoformat(),
        "status": "sent",
        "delivered": ["email"],
        **fields,
    }


# The export ---------------------------------------------------------------------------------


def test_the_export_holds_the_plan_browsers_and_reminders_sent_but_no_feed_secret(user, vapid):
    make_reminder_plan(user, days=[1, 4], at=time(21, 15), mode="behind")
    feed = CalendarFeed.objects.issue(user)
    make_push_subscription(user, FCM + "x")
    ReminderClaim.objects.claim([(user.pk, TUESDAY_MORNING)])

    section = document_of(user)["reminders"]

    assert section["plan"] == {
        "days": [1, 4],
        "time": "21:15",
        "mode": "behind",
        "by_email": True,
        "enabled": True,
    }
    assert section["calendar_feed"] is True
    assert section["push_subscriptions"][0]["endpoint"] == FCM + "x"
    assert section["push_subscriptions"][0]["server_key"] == vapid[1]
    assert section["sent"] == [
        {
            "occurrence": TUESDAY_MORNING.isoformat(),
            "status": "claimed",
            "attempts": 0,
            "delivered": [],
            "note": "",
        }
    ]
    assert feed.token not in json.dumps(section)


# The restore --------------------------------------------------------------------------------


def test_a_restore_brings_the_plan_a_new_feed_address_and_the_browsers_back(user, make_user, vapid):
    make_reminder_plan(user, days=[1, 4], at=time(21, 15))
    old_feed = CalendarFeed.objects.issue(user)
    make_push_subscription(user, FCM + "x")
    data = make_export(user)
    # The old account is gone; its owner restores into a new one on the same server.
    user.profile.delete_account()
    newcomer = make_user("alice-again")

    import_zip(newcomer, io.BytesIO(data))

    plan = ReminderPlan.objects.get(owner=newcomer)
    assert (plan.days, plan.at, plan.next_due_at is not None) == ([1, 4], time(21, 15), True)
    assert CalendarFeed.objects.get(owner=newcomer).token != old_feed.token
    assert PushSubscription.objects.get().owner == newcomer


def test_a_restored_plans_next_reminder_is_in_the_time_zone_the_import_sets(
    user, make_user, time_machine
):
    time_machine.move_to(datetime(2026, 11, 24, 12, tzinfo=UTC), tick=False)  # Tuesday noon
    make_full_account(user)  # Europe/Paris; reminders on Monday and Thursday at 07:45
    newcomer = make_user("alice-again", timezone="Pacific/Auckland")

    import_zip(newcomer, io.BytesIO(make_export(user)))

    # Thursday 07:45 in Paris, 06:45 UTC (in Auckland it would be Wednesday 18:45 UTC).
    plan = ReminderPlan.objects.get(owner=newcomer)
    assert plan.next_due_at == datetime(2026, 11, 26, 6, 45, tzinfo=UTC)


def test_a_restore_leaves_browsers_of_other_keys_or_other_accounts_alone(user, make_user, vapid):
    keys = BrowserKeys()
    make_push_subscription(user, FCM + "theirs", keys)
    section = {
        "push_subscriptions": [
            a_browser(keys, FCM + "theirs", vapid[1]),
            a_browser(keys, FCM + "old-key", "an-older-key"),
        ]
    }
    newcomer = make_user("newcomer")

    import_zip(newcomer, archive_with(minimal_document(reminders=section)))

    assert list(PushSubscription.objects.values_list("owner", flat=True)) == [user.pk]


def test_reminders_sent_come_back_as_they_were(user, make_user, now):
    earlier = TUESDAY_MORNING - timedelta(days=1)
    claims = ReminderClaim.objects.claim([(user.pk, earlier), (user.pk, TUESDAY_MORNING)])
    claims[0].mark_delivered("email")
    claims[0].finish("sent", "on time")
    newcomer = make_user("newcomer")

    import_zip(newcomer, io.BytesIO(make_export(user)))

    restored = ReminderClaim.objects.for_user(newcomer).order_by("occurrence")
    assert [(c.occurrence, c.status, c.attempts, c.delivered, c.note) for c in restored] == [
        (earlier, "sent", 1, ["email"], "on time"),
        (TUESDAY_MORNING, "claimed", 0, [], ""),
    ]


def test_an_export_from_before_reminders_still_imports(user):
    import_zip(user, archive_with(minimal_document()))
    assert reminder_rows(user) == dict.fromkeys(reminder_rows(user), 0)


# Into an account that has reminders of its own ----------------------------------------------


def test_reminder_settings_alone_do_not_stop_an_import_and_the_exports_plan_replaces_them(
    user, make_user, vapid
):
    # The plan and the calendar feed are settings, like the time zone: a new account may have
    # them (and a browser turned on) before its owner imports; nothing of theirs is duplicated.
    make_full_account(user)
    newcomer = make_user("alice-again")
    make_reminder_plan(newcomer, days=[5], at=time(20, 0), mode="always", by_email=False)
    feed = CalendarFeed.objects.issue(newcomer)
    own_browser = make_push_subscription(newcomer, FCM + "newcomer")

    result = import_zip(newcomer, io.BytesIO(make_export(user)))

    assert result.sessions == 2
    plan = ReminderPlan.objects.get(owner=newcomer)
    assert (plan.days, plan.at, plan.mode, plan.by_email) == ([0, 3], time(7, 45), "behind", True)
    assert CalendarFeed.objects.get(owner=newcomer).token == feed.token
    assert list(PushSubscription.objects.for_user(newcomer)) == [own_browser]
    assert ReminderClaim.objects.for_user(newcomer).count() == 1


def test_a_reminder_sent_here_already_keeps_its_claim(user, make_user, now):
    ReminderClaim.objects.claim([(user.pk, TUESDAY_MORNING)])
    newcomer = make_user("alice-again")
    (own,) = ReminderClaim.objects.claim([(newcomer.pk, TUESDAY_MORNING)])

    import_zip(newcomer, io.BytesIO(make_export(user)))

    assert list(ReminderClaim.objects.for_user(newcomer)) == [own]


def test_a_person_keeps_at_most_ten_browsers_after_a_restore(make_user, vapid):
    section = {
        "push_subscriptions": [a_browser(BrowserKeys(), f"{FCM}{n}", vapid[1]) for n in range(10)]
    }
    newcomer = make_user("newcomer")
    for n in range(3):
        make_push_subscription(newcomer, f"{FCM}own-{n}")

    import_zip(newcomer, archive_with(minimal_document(reminders=section)))

    endpoints = set(PushSubscription.objects.for_user(newcomer).values_list("endpoint", flat=True))
    assert endpoints == {f"{FCM}own-{n}" for n in range(3)} | {f"{FCM}{n}" for n in range(7)}


def test_an_account_holding_anything_else_is_refused_and_keeps_its_reminders(user, make_user):
    make_full_account(user)
    busy = make_user("busy")
    make_full_account(busy)
    before = reminder_rows(busy)
    plan = ReminderPlan.objects.get(owner=busy)

    with pytest.raises(ImportRefused, match="already holds"):
        import_zip(busy, io.BytesIO(make_export(user)))

    assert reminder_rows(busy) == before
    assert ReminderPlan.objects.get(owner=busy).updated_at == plan.updated_at


# All of it or nothing -----------------------------------------------------------------------


def test_reminders_are_written_in_the_imports_one_transaction(user, make_user, monkeypatch):
    # Everything written, then the database refuses at the end: the reminders go back too.
    write = Batch.write

    def write_then_fail(batch):
        write(batch)
        assert ReminderClaim.objects.for_user(newcomer).exists()
        raise IntegrityError("simulated")

    make_full_account(user)
    newcomer = make_user("alice-again")
    make_reminder_plan(newcomer, days=[5])
    monkeypatch.setattr(Batch, "write", write_then_fail)

    with pytest.raises(ImportRefused, match="nothing was imported"):
        import_zip(newcomer, io.BytesIO(make_export(user)))

    assert owned_counts(newcomer) == dict.fromkeys(owned_counts(newcomer), 0)
    assert reminder_rows(newcomer) == {**dict.fromkeys(REMINDER_MODELS_NAMES, 0), "ReminderPlan": 1}
    assert ReminderPlan.objects.get(owner=newcomer).days == [5]


def test_inside_the_transaction_reminders_are_only_sent(user, make_user, monkeypatch):
    # Rows are made ready beforehand (tracker.models.bulk): while the import holds the write
    # lock, the reminder tables see their inserts and the one update of a replaced plan.
    make_full_account(user)
    newcomer = make_user("alice-again")
    make_reminder_plan(newcomer, days=[5])
    during: list[str] = []
    steps = []
    write = Batch.write

    def watched(batch):
        with CaptureQueriesContext(connection) as captured:
            write(batch)
        during.extend(query["sql"] for query in captured.captured_queries)
        steps.extend(batch.steps)

    monkeypatch.setattr(Batch, "write", watched)

    import_zip(newcomer, io.BytesIO(make_export(user)))

    tables = "|".join(model._meta.db_table for model in REMINDER_MODELS)
    touched = [sql for sql in during if re.search(f'"({tables})"', sql)]
    # No row of theirs is read or deleted: the inserts (a COPY on PostgreSQL, its ids from
    # the sequence) and the plan's one update.
    assert not [sql for sql in touched if re.search(f'(FROM|DELETE) +"({tables})"', sql)]
    updates = [sql for sql in touched if sql.startswith("UPDATE")]
    assert len(updates) == 1 and updates[0].startswith('UPDATE "tracker_reminderplan"')
    assert {CalendarFeed, ReminderClaim} <= {step.model for step in steps}
    assert ReminderPlan.objects.get(owner=newcomer).days == [0, 3]


# Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ([], "“reminders” in data.json must be an object."),
        ({"plan": []}, "Reminder plan: must be an object with named fields."),
        ({"plan": a_plan(days=[])}, "Reminder plan, days: Choose at least one day."),
        ({"plan": a_plan(days=[7])}, "Reminder plan, days: Select a valid choice."),
        ({"plan": a_plan(days=[True])}, "Reminder plan, days: Select a valid choice."),
        ({"plan": a_plan(days="0")}, "Reminder plan, days: Enter a list of values."),
        ({"plan": a_plan(time=8)}, "Reminder plan, time: must be a time such as 08:00."),
        ({"plan": a_plan(time="8 o'clock")}, "Reminder plan, at: Enter a time such as 08:00."),
        ({"plan": a_plan(mode="often")}, "Reminder plan, mode: Select a valid choice."),
        ({"plan": a_plan(mode=None)}, "Reminder plan, mode: must have a value."),
        ({"plan": a_plan(by_email="yes")}, "Reminder plan, by_email: must be true or false"),
        ({"plan": a_plan(enabled=1)}, "Reminder plan, enabled: must be true or false"),
        ({"push_subscriptions": {}}, "“reminders.push_subscriptions” in data.json must be a list."),
        (
            {"push_subscriptions": [{"endpoint": "https://10.0.0.1/", "server_key": "k"}]},
            "Browser with notifications 1: The push endpoint is not on a known push service.",
        ),
        ({"push_subscriptions": [{"endpoint": FCM}]}, "must hold the server's key"),
        ({"sent": [{"occurrence": "yesterday"}]}, "Reminder sent 1, occurrence: must be a date"),
        (
            {"sent": [a_reminder_sent(datetime(1999, 12, 31, 12, tzinfo=UTC))]},
            "Reminder sent 1, occurrence: Choose a date from 1 January 2000 on.",
        ),
        (
            {"sent": [a_reminder_sent(datetime(2099, 1, 1, tzinfo=UTC))]},
            "Reminder sent 1, occurrence: That is in the future.",
        ),
        ({"sent": [a_reminder_sent(status="lost")]}, "Reminder sent 1, status: unknown status"),
        ({"sent": [a_reminder_sent(attempts=-1)]}, "attempts: must be a whole number"),
        ({"sent": [a_reminder_sent(delivered=["fax"])]}, "may only name email and push"),
        ({"sent": [a_reminder_sent(note="a\x00b")]}, "note: Null characters are not allowed."),
        ({"sent": [a_reminder_sent(), a_reminder_sent()]}, "Reminder sent 2 is listed twice."),
    ],
)
def test_a_damaged_reminders_section_is_refused_and_nothing_is_imported(
    user, now, section, message
):
    document = minimal_document(sessions=[], tools=[{"key": "t", "name": "Roller"}])
    with pytest.raises(ImportRefused, match=re.escape(message)):
        import_zip(user, archive_with({**document, "reminders": section}))
    assert owned_counts(user) == dict.fromkeys(owned_counts(user), 0)
    assert reminder_rows(user) == dict.fromkeys(reminder_rows(user), 0)


def test_the_same_browser_twice_is_refused(user, vapid):
    keys = BrowserKeys()
    section = {"push_subscriptions": [a_browser(keys, FCM + "x", vapid[1])] * 2}

    with pytest.raises(
        ImportRefused, match=re.escape("Browser with notifications 2 is listed twice.")
    ):
        import_zip(user, archive_with(minimal_document(reminders=section)))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"push_subscriptions": [{}] * 11},
            "holds 11 browsers with notifications; an import takes at most 10.",
        ),
        (
            {"sent": [{}] * (MAX_SENT + 1)},
            f"holds {MAX_SENT + 1:,} reminders sent; an import takes at most {MAX_SENT:,}.",
        ),
    ],
)
def test_more_browsers_or_reminders_sent_than_anyone_has_are_refused_before_any_is_read(
    user, monkeypatch, section, message
):
    def built(*args, **kwargs):
        raise AssertionError("a record was read before the limits were checked")

    monkeypatch.setattr(portability.records.RecordChecker, "build", built)
    monkeypatch.setattr(portability.restore, "process_upload", built)
    files = set(stored_names(default_storage))
    document = minimal_document(photos=[{"file": "photos/a.jpg"}], reminders=section)

    with pytest.raises(ImportRefused, match=re.escape(message)):
        import_zip(user, archive_with(document, **{"photos__a.jpg": samples.jpeg((8, 6))}))

    assert set(stored_names(default_storage)) == files
