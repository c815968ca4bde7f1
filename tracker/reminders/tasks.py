"""What the task worker (`manage.py db_worker`) runs: sending one claimed reminder, and a
heartbeat that shows the worker is alive."""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from tracker import stats
from tracker.models import (
    BackgroundRun,
    MassageSession,
    PushSubscription,
    ReminderClaim,
    ReminderPlan,
    RestWeek,
    verified_email,
)
from tracker.reminders import due, push
from tracker.reminders.mail import PermanentEmailFailure, TransientEmailFailure, send_email

logger = logging.getLogger(__name__)
Status = ReminderClaim.Status


@task()
def worker_heartbeat() -> str:
    """Enqueued by the scheduler every run: the worker's last run is when it last ran this."""
    BackgroundRun.objects.record("worker")
    return "alive"


@task()
def send_reminder(claim_id: int) -> str:
    """Send one claimed reminder by email and push, or say why not."""
    return deliver(claim_id)


def deliver(claim_id: int) -> str:
    claim = ReminderClaim.objects.select_related("owner__profile").filter(pk=claim_id).first()
    if claim is None or claim.finished:
        return "nothing to do"
    owner, now = claim.owner, timezone.now()
    plan = ReminderPlan.objects.filter(owner=owner, enabled=True).first()
    if plan is None:
        claim.finish(Status.SKIPPED, "reminders turned off")
        return "skipped"
    if due.is_late(claim.occurrence, now):
        claim.finish(Status.SKIPPED, due.Skip.LATE)
        return "skipped"
    # Checked again here: a session logged since the scheduler ran means no reminder.
    state, reason = standing_at(claim, plan)
    if reason is not None:
        claim.finish(Status.SKIPPED, reason)
        return "skipped"

    message = due.message(state)
    failures, refusals = [], []
    if plan.by_email and "email" not in claim.delivered:
        address = verified_email(owner)
        if address is None:
            refusals.append("no verified email address")
        else:
            try:
                send_email(owner, address, message)
                claim.mark_delivered("email")
            except TransientEmailFailure as failure:
                failures.append(f"email: {failure}")
            except PermanentEmailFailure as refusal:
                refusals.append(f"email: {refusal}")
    if push.push_configured():
        push_to_browsers(claim, message, failures, refusals, now)

    if failures and retry_later(claim, failures, now):
        return "retrying"
    if claim.delivered:
        claim.finish(Status.SENT, "; ".join(failures + refusals))
        return "sent"
    if failures or refusals:
        claim.finish(Status.FAILED, "; ".join(failures + refusals))
        logger.warning("Reminder %s not sent: %s", claim.pk, "; ".join(failures + refusals))
        return "failed"
    claim.finish(Status.SKIPPED, due.Skip.NO_CHANNEL)
    return "skipped"


def standing_at(claim: ReminderClaim, plan: ReminderPlan) -> tuple[due.Standing, str | None]:
    profile = claim.owner.profile
    day = stats.local_date(claim.occurrence, profile.zone)
    week = profile.week_start_of(day)
    days = list(
        MassageSession.objects.for_user(claim.owner)
        .in_week(week)
        .values_list("local_date", flat=True)
    )
    state = due.standing(
        days, today=day, first_weekday=profile.week_start, minimum=profile.target_min
    )
    rest = RestWeek.objects.for_user(claim.owner).filter(week_start=week).exists()
    reason = due.skip_reason(
        state, mode=due.Mode(plan.mode), rest_week=rest, session_today=day in days
    )
    return state, reason


def push_to_browsers(
    claim: ReminderClaim, message: due.Message, failures: list, refusals: list, now
) -> None:
    data = push.payload(message, url=reverse("tracker:dashboard"))
    ttl = due.seconds_until_end_of_day(now, claim.owner.profile.zone)
    for subscription in PushSubscription.objects.for_user(claim.owner).current():
        target = f"push:{subscription.pk}"
        if target in claim.delivered:
            continue
        try:
            outcome = push.send(subscription, data, ttl=ttl)
        except push.TransientPushFailure as failure:
            failures.append(f"push: {failure}")
            continue
        if outcome == push.Outcome.DELIVERED:
            claim.mark_delivered(target)
        elif outcome == push.Outcome.GONE:
            subscription.forget()
        else:
            refusals.append("push: refused by the push service")


def retry_later(claim: ReminderClaim, failures: list[str], now) -> bool:
    """Enqueue this claim again after the next delay, unless retries or time have run out."""
    delays = settings.REMINDER_RETRY_DELAYS
    if claim.attempts >= len(delays):
        return False
    run_after = now + timedelta(seconds=delays[claim.attempts])
    if due.is_late(claim.occurrence, run_after):
        return False
    claim.retry_later("; ".join(failures))
    send_reminder.using(run_after=run_after).enqueue(claim.pk)
    return True
