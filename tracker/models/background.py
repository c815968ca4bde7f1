"""The background processes' own records: when each last ran, and pruning of old task results."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone


class BackgroundRunQuerySet(models.QuerySet):
    def record(self, name: str, **details: Any) -> None:
        """`name` (the worker, the scheduler) has just done its work: one query, mostly."""
        values = {"last_run_at": timezone.now(), "details": details}
        if not self.filter(name=name).update(**values):
            self.get_or_create(name=name, defaults=values)

    def last_runs(self) -> dict[str, "BackgroundRun"]:
        return {run.name: run for run in self.all()}


class BackgroundRun(models.Model):
    """The last time a background process (the task worker, the reminder scheduler) ran."""

    name = models.CharField(max_length=40, primary_key=True)
    last_run_at = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)

    objects = BackgroundRunQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} last ran at {self.last_run_at:%Y-%m-%d %H:%M:%S}"


def prune_task_results(before: datetime, *, task_path: str | None = None) -> int:
    """Delete the task worker's finished results older than `before` (of one task, if named)."""
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.finished().filter(finished_at__lt=before)
    if task_path:
        results = results.filter(task_path=task_path)
    return results.delete()[0]
