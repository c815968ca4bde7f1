"""When the task worker and the reminder scheduler last ran, and what waits in the queue."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracker.health import PROCESSES, background


class Command(BaseCommand):
    help = "Show the task worker's and the reminder scheduler's last run; exit 1 if either is dead."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        checks = background(now)
        for check in checks:
            last, ago = check.details.get("last_run"), check.details.get("seconds_ago")
            when = f"last ran {last} ({ago} s ago)" if last else "never ran"
            state = self.style.SUCCESS("alive") if check.ok else self.style.ERROR("NOT RUNNING")
            self.stdout.write(f"{check.name:<10} {state:<12} {when}  [{PROCESSES[check.name]}]")
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        waiting = f"{ready.count()} tasks waiting"
        if oldest:
            waiting += f", the oldest for {(now - oldest).total_seconds():.0f} s"
        failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(days=1))
        self.stdout.write(f"queue      {waiting}; {failed.count()} failed in the last day")
        if not all(check.ok for check in checks):
            raise SystemExit(1)
