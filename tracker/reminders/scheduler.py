"""The scheduler's run: find the reminders that fell due, claim each once, enqueue them.

Run every minute by `manage.py schedule_reminders`. Any number of schedulers may run at once:
an occurrence is sent only by the one whose claim row the database accepted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracker import stats
from tracker.models import (
    BackgroundRun,
    MassageSession,
    PushSubscription,
    ReminderClaim,
    ReminderPlan,
    RestWeek,
    prune_task_results,
)
from tracker.reminders import due, push
from tracker.reminders.tasks import send_reminder, worker_heartbeat

# Plans handled in one transaction: short enough that the app's writes do not wait long.
BATCH = 500
KEEP = timedelta(days=30)
# Heartbeat results say nothing once a newer one exists.
KEEP_HEARTBEATS = timedelta(days=1)
PRUNE_EVERY = timedelta(hours=1)


@dataclass
class Report:
    due: int = 0
    claimed: int = 0
    skipped: Counter = field(default_factory=Counter)
    pruned: int = 0

    def summary(self) -> str:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        text = f"{self.due} due, {self.claimed} enqueued"
        if skipped:
            text += f", skipped: {skipped}"
        if self.pruned:
            text += f", {self.pruned} old rows pruned"
        return text


def run_once(now: datetime | None = None) -> Report:
    """One scheduler run: every due plan claimed or skipped, then moved on to its next time."""
    now = now or timezone.now()
    report = Report()
    while handle_batch(now, report):
        pass
    wake_worker()
    report.pruned = prune()
    BackgroundRun.objects.record(
        "scheduler", due=report.due, claimed=report.claimed, skipped=sum(report.skipped.values())
    )
    return report


def handle_batch(now: datetime, report: Report) -> bool:
    with transaction.atomic():
        # Locked while this batch is decided (PostgreSQL; SQLite's IMMEDIATE transaction holds
        # the whole database): another scheduler takes other plans, an edit waits.
        plans = list(
            ReminderPlan.objects.due(now)
            .select_related("owner__profile")
            .select_for_update(skip_locked=True, of=("self",))[:BATCH]
        )
        if not plans:
            return False
        wanted = decide(plans, now, report)
        claims = ReminderClaim.objects.claim(wanted)
        for claim in claims:
            send_reminder.enqueue(claim.pk)
        ReminderPlan.objects.advance(plans, now)
    report.due += len(plans)
    report.claimed += len(claims)
    # A short batch was the last one.
    return len(plans) == BATCH


def decide(plans: list[ReminderPlan], now: datetime, report: Report) -> list[tuple[int, datetime]]:
    """The (owner id, occurrence) pairs to send, from three queries for the whole batch."""
    days: dict[int, date] = {}
    for plan in plans:
        profile = plan.owner.profile
        days[plan.owner_id] = stats.local_date(plan.next_due_at, profile.zone)
    owners = list(days)
    first, last = min(days.values()) - timedelta(days=6), max(days.values())
    sessions: dict[int, list[date]] = defaultdict(list)
    for owner, day in MassageSession.objects.filter(
        owner_id__in=owners, local_date__range=(first, last)
    ).values_list("owner_id", "local_date"):
        sessions[owner].append(day)
    rests = set(
        RestWeek.objects.filter(owner_id__in=owners, week_start__range=(first, last)).values_list(
            "owner_id", "week_start"
        )
    )
    browsers = set()
    if push.push_configured():
        browsers = set(
            PushSubscription.objects.current()
            .filter(owner_id__in=owners)
            .values_list("owner_id", flat=True)
        )

    wanted = []
    for plan in plans:
        profile, day = plan.owner.profile, days[plan.owner_id]
        state = due.standing(
            sessions[plan.owner_id],
            today=day,
            first_weekday=profile.week_start,
            minimum=profile.target_min,
        )
        if due.is_late(plan.next_due_at, now):
            reason = due.Skip.LATE
        elif not (plan.by_email or plan.owner_id in browsers):
            reason = due.Skip.NO_CHANNEL
        else:
            reason = due.skip_reason(
                state,
                mode=due.Mode(plan.mode),
                rest_week=(plan.owner_id, profile.week_start_of(day)) in rests,
                session_today=day in sessions[plan.owner_id],
            )
        if reason is None:
            wanted.append((plan.owner_id, plan.next_due_at))
        else:
            report.skipped[reason.value] += 1
    return wanted


def wake_worker() -> None:
    """A heartbeat for the worker, unless one is still waiting (the worker is down or busy)."""
    waiting = DBTaskResult.objects.ready().filter(task_path=worker_heartbeat.module_path)
    if not waiting.exists():
        worker_heartbeat.enqueue()


def prune() -> int:
    """Claims and finished task results older than a month, once an hour."""
    now = timezone.now()
    last = BackgroundRun.objects.filter(name="pruning").values_list("last_run_at", flat=True)
    if last and now - last[0] < PRUNE_EVERY:
        return 0
    pruned = ReminderClaim.objects.prune(now - KEEP)
    pruned += prune_task_results(now - KEEP)
    pruned += prune_task_results(now - KEEP_HEARTBEATS, task_path=worker_heartbeat.module_path)
    BackgroundRun.objects.record("pruning", pruned=pruned)
    return pruned
