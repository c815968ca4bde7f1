"""Reminders in an export: the plan, whether the calendar feed is on, the browsers that get
notifications, and the reminders sent. An optional section: older exports have none."""

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from tracker.models import CalendarFeed, PushSubscription, ReminderClaim, ReminderPlan
from tracker.portability.common import MAX_RECORDS, ImportRefused
from tracker.reminders import push

SECTION = "reminders"


def export_reminders(user) -> dict[str, Any]:
    """The section as data.json holds it. The calendar's secret address is not in it: a
    restore makes a new one, so that an export never carries a working key to a feed."""
    plan = ReminderPlan.objects.for_user(user).first()
    return {
        "plan": plan
        and {
            "days": plan.days,
            "time": plan.at.isoformat(timespec="minutes"),
            "mode": plan.mode,
            "by_email": plan.by_email,
            "enabled": plan.enabled,
        },
        "calendar_feed": CalendarFeed.objects.for_user(user).exists(),
        "push_subscriptions": list(
            PushSubscription.objects.for_user(user)
            .order_by("pk")
            .values("endpoint", "p256dh", "auth", "server_key")
        ),
        "sent": [
            {
                "occurrence": claim.occurrence.isoformat(),
                "status": claim.status,
                "attempts": claim.attempts,
                # Where it went, without this server's row ids.
                "delivered": sorted({target.split(":")[0] for target in claim.delivered}),
                "note": claim.note,
            }
            for claim in ReminderClaim.objects.for_user(user).order_by("occurrence")
        ],
    }


@dataclass
class CheckedReminders:
    plan: dict[str, Any] | None = None
    calendar_feed: bool = False
    subscriptions: list[dict[str, str]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)


def check_reminders(document: dict[str, Any]) -> CheckedReminders:
    """The section, every value checked; ImportRefused with a message otherwise."""
    section = document.get(SECTION)
    if section is None:
        return CheckedReminders()
    if not isinstance(section, dict):
        raise ImportRefused(f"“{SECTION}” in data.json must be an object.")
    checked = CheckedReminders(calendar_feed=section.get("calendar_feed") is True)
    if section.get("plan") is not None:
        checked.plan = _plan(section["plan"])
    for number, record in enumerate(_list(section, "push_subscriptions"), 1):
        checked.subscriptions.append(_subscription(record, f"Push subscription {number}"))
    for number, record in enumerate(_list(section, "sent"), 1):
        checked.sent.append(_sent(record, f"Reminder sent {number}"))
    return checked


@transaction.atomic(savepoint=False)
def save_reminders(user, checked: CheckedReminders) -> None:
    """Write a checked section through the models' own methods."""
    if checked.plan is not None:
        ReminderPlan.objects.restore_for(user, **checked.plan)
    if checked.calendar_feed:
        CalendarFeed.objects.issue(user)
    # A browser that another account here holds stays with it.
    taken = set(
        PushSubscription.objects.filter(
            endpoint__in=[record["endpoint"] for record in checked.subscriptions]
        ).values_list("endpoint", flat=True)
    )
    PushSubscription.objects.restore_for(
        user, [record for record in checked.subscriptions if record["endpoint"] not in taken]
    )
    ReminderClaim.objects.restore_for(user, checked.sent)


def _list(section: dict, name: str) -> list:
    value = section.get(name, [])
    if not isinstance(value, list) or len(value) > MAX_RECORDS:
        raise ImportRefused(f"“{SECTION}.{name}” in data.json must be a list.")
    return value


def _plan(record: Any) -> dict[str, Any]:
    where = "Reminder plan"
    if not isinstance(record, dict):
        raise ImportRefused(f"{where}: must be an object with named fields.")
    days = record.get("days")
    if (
        not isinstance(days, list)
        or not days
        or not all(type(day) is int and 0 <= day <= 6 for day in days)
    ):
        raise ImportRefused(f"{where}: the days must be a list of weekdays, 0 to 6.")
    try:
        at = time.fromisoformat(record.get("time"))
    except (TypeError, ValueError):
        raise ImportRefused(f"{where}: the time must be like 08:00.") from None
    if record.get("mode") not in ReminderPlan.Mode.values:
        raise ImportRefused(f"{where}: unknown mode {record.get('mode')!r}.")
    flags = {name: record.get(name) for name in ("by_email", "enabled")}
    if not all(isinstance(value, bool) for value in flags.values()):
        raise ImportRefused(f"{where}: “by_email” and “enabled” must be true or false.")
    at = at.replace(tzinfo=None)
    return {"days": sorted(set(days)), "at": at, "mode": record["mode"], **flags}


def _subscription(record: Any, where: str) -> dict[str, str]:
    if not isinstance(record, dict) or not isinstance(record.get("server_key"), str):
        raise ImportRefused(f"{where}: must hold an endpoint, keys and the server's key.")
    keys = {"p256dh": record.get("p256dh"), "auth": record.get("auth")}
    body = {"endpoint": record.get("endpoint"), "keys": keys}
    try:
        parsed = push.parse_subscription(json.dumps(body).encode())
    except push.SubscriptionRefused as refusal:
        raise ImportRefused(f"{where}: {refusal}") from None
    return {
        "endpoint": parsed.endpoint,
        "p256dh": parsed.p256dh,
        "auth": parsed.auth,
        "server_key": record["server_key"][:100],
    }


def _sent(record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ImportRefused(f"{where}: must be an object with named fields.")
    occurrence = record.get("occurrence")
    moment = parse_datetime(occurrence) if isinstance(occurrence, str) else None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ImportRefused(f"{where}: the time must be a date and time with its UTC offset.")
    status, attempts = record.get("status"), record.get("attempts", 0)
    delivered, note = record.get("delivered", []), record.get("note", "")
    if status not in ReminderClaim.Status.values or type(attempts) is not int:
        raise ImportRefused(f"{where}: unknown status or attempts.")
    if not isinstance(delivered, list) or not set(delivered) <= {"email", "push"}:
        raise ImportRefused(f"{where}: “delivered” may only name email and push.")
    if not isinstance(note, str):
        raise ImportRefused(f"{where}: the note must be text.")
    return {
        "occurrence": moment,
        "status": status,
        "attempts": max(0, min(attempts, 100)),
        "delivered": sorted(set(delivered)),
        "note": note[:200],
    }
