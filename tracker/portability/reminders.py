"""Reminders in an export: the plan, whether the calendar feed is on, the browsers that get
notifications, and the reminders sent. An optional section: older exports have none.

On restore the section goes the way of the rest of an import (tracker.portability.restore):
counted against its limits before anything is built, every value checked by the rules of the
settings form or of the push endpoint, every row made ready in the import's Batch, and written
in its one short transaction. The plan and the calendar feed are settings, as the time zone
is: the export's take the place of an account's own. Browsers and reminders sent join the
account's (a new account has none, or a browser turned on before the import).
"""

import json
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from tracker import forms
from tracker.models import (
    CalendarFeed,
    PushSubscription,
    ReminderClaim,
    ReminderPlan,
    validate_moment,
)
from tracker.models.bulk import Batch
from tracker.models.push import MAX_SUBSCRIPTIONS_PER_PERSON
from tracker.portability.common import ImportRefused, quoted
from tracker.portability.records import RecordChecker, as_dict, as_list, parse_moment
from tracker.reminders import push

SECTION = "reminders"
# Limits a real export never reaches: a person keeps ten browsers at most
# (MAX_SUBSCRIPTIONS_PER_PERSON), and the reminders sent in the last month
# (tracker.reminders.scheduler.KEEP), one a planned day.
MAX_SENT = 1000
DELIVERED_TO = {"email", "push"}


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


def max_containers() -> int:
    """Objects and lists the largest section holds (see archive.max_containers)."""
    # The section, the plan and its days, two lists, each browser, each reminder and its list.
    return 6 + MAX_SUBSCRIPTIONS_PER_PERSON + 2 * MAX_SENT


@dataclass
class CheckedReminders:
    plan: dict[str, Any] | None = None
    calendar_feed: bool = False
    subscriptions: list[dict[str, str]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)


def check_reminder_limits(document: dict[str, Any]) -> None:
    """Refuse more browsers or reminders sent than a person can have, before one is built."""
    section = _section(document)
    for name, noun, limit in (
        ("push_subscriptions", "browsers with notifications", MAX_SUBSCRIPTIONS_PER_PERSON),
        ("sent", "reminders sent", MAX_SENT),
    ):
        count = len(_list(section, name))
        if count > limit:
            raise ImportRefused(
                f"This export holds {count:,} {noun}; an import takes at most {limit:,}. "
                "Nothing was imported."
            )


def check_reminders(user, document: dict[str, Any]) -> CheckedReminders:
    """The section, every value checked; ImportRefused with a message otherwise.

    Runs in the time zone the import sets, as the rest of the records' checks do.
    """
    section = _section(document)
    if not section:
        return CheckedReminders()
    checked = CheckedReminders(calendar_feed=section.get("calendar_feed") is True)
    if section.get("plan") is not None:
        checked.plan = _plan(user, section["plan"])
    endpoints = set()
    for number, record in enumerate(_list(section, "push_subscriptions"), 1):
        subscription = _subscription(record, f"Browser with notifications {number}")
        if subscription["endpoint"] in endpoints:
            raise ImportRefused(f"Browser with notifications {number} is listed twice.")
        endpoints.add(subscription["endpoint"])
        checked.subscriptions.append(subscription)
    occurrences = set()
    for number, record in enumerate(_list(section, "sent"), 1):
        sent = _sent(record, f"Reminder sent {number}")
        if sent["occurrence"] in occurrences:
            raise ImportRefused(f"Reminder sent {number} is listed twice.")
        occurrences.add(sent["occurrence"])
        checked.sent.append(sent)
    return checked


def prepare_reminders(user, checked: CheckedReminders, batch: Batch, *, zone: tzinfo) -> None:
    """A checked section's rows made ready in the import's `batch` by the models' own methods;
    the plan's next reminder in `zone`, the time zone the import sets."""
    if checked.plan is not None:
        ReminderPlan.objects.prepare_restore(user, checked.plan, batch, zone=zone)
    if checked.calendar_feed:
        CalendarFeed.objects.prepare_issue(user, batch)
    PushSubscription.objects.prepare_restore(user, checked.subscriptions, batch)
    ReminderClaim.objects.prepare_restore(user, checked.sent, batch)


def _section(document: dict[str, Any]) -> dict[str, Any]:
    section = document.get(SECTION)
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ImportRefused(f"“{SECTION}” in data.json must be an object.")
    return section


def _list(section: dict, name: str) -> list:
    value = section.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportRefused(f"“{SECTION}.{name}” in data.json must be a list.")
    return value


def _plan(user, record: Any) -> dict[str, Any]:
    """The plan, through the settings form's own fields, then the model's checks.

    "By email" stays as it was chosen: reminders by email wait for a verified address here,
    as they do whenever a person has none (tracker.reminders.tasks).
    """
    where = "Reminder plan"
    record = as_dict(record, where)
    at = record.get("time")
    # The form's time field reads text only: anything else would reach it as a crash.
    if not isinstance(at, str):
        raise ImportRefused(f"{where}, time: must be a time such as 08:00.")
    checker = RecordChecker(ReminderPlan, forms.ReminderPlanForm(user=user), also=["enabled"])
    values = {name: record.get(name) for name in ("days", "mode", "by_email", "enabled")}
    plan = checker.build({**values, "at": at}, where, owner=user)
    return {
        "days": sorted(set(plan.days)),
        "at": plan.at,
        "mode": plan.mode,
        "by_email": plan.by_email,
        "enabled": plan.enabled,
    }


def _subscription(record: Any, where: str) -> dict[str, str]:
    """A browser, by the rules a browser's subscription meets (tracker.reminders.push)."""
    record = as_dict(record, where)
    server_key = record.get("server_key")
    if not isinstance(server_key, str) or len(server_key) > 100 or not server_key.isprintable():
        raise ImportRefused(f"{where}: must hold the server's key it was made with.")
    body = {
        "endpoint": record.get("endpoint"),
        "keys": {k: record.get(k) for k in ("p256dh", "auth")},
    }
    try:
        parsed = push.parse_subscription(json.dumps(body).encode())
    except push.SubscriptionRefused as refusal:
        raise ImportRefused(f"{where}: {refusal}") from None
    return {
        "endpoint": parsed.endpoint,
        "p256dh": parsed.p256dh,
        "auth": parsed.auth,
        "server_key": server_key,
    }


def _sent(record: Any, where: str) -> dict[str, Any]:
    """A reminder sent: the app wrote it, so its values are checked one by one."""
    record = as_dict(record, where)
    moment = parse_moment(record.get("occurrence"))
    if moment is None:
        raise ImportRefused(f"{where}, occurrence: must be a date and time with its UTC offset.")
    try:
        validate_moment(moment)
    except ValidationError as error:
        raise ImportRefused(f"{where}, occurrence: {' '.join(error.messages)}") from None
    status, attempts = record.get("status"), record.get("attempts", 0)
    delivered, note = record.get("delivered", []), record.get("note", "")
    if status not in ReminderClaim.Status.values:
        raise ImportRefused(f"{where}, status: unknown status {quoted(status)}.")
    if type(attempts) is not int or not 0 <= attempts <= 100:
        raise ImportRefused(f"{where}, attempts: must be a whole number from 0 to 100.")
    delivered = as_list(delivered, f"{where}, delivered")
    if not all(isinstance(target, str) for target in delivered) or not (
        set(delivered) <= DELIVERED_TO
    ):
        raise ImportRefused(f"{where}, delivered: may only name email and push.")
    if not isinstance(note, str) or len(note) > 200:
        raise ImportRefused(f"{where}, note: must be text of 200 characters at most.")
    try:
        ProhibitNullCharactersValidator()(note)
    except ValidationError as error:
        raise ImportRefused(f"{where}, note: {' '.join(error.messages)}") from None
    return {
        "occurrence": moment,
        "status": status,
        "attempts": attempts,
        "delivered": sorted(set(delivered)),
        "note": note,
    }
