"""Experiments: one change for a fixed number of weeks, set against the weeks before it.

The windows and the comparison are pure functions in tracker.experiments; this module keeps
the rows and feeds those functions with a constant number of queries.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Min

from tracker import experiments as windows
from tracker.models.choices import Technique
from tracker.models.gear import Product
from tracker.models.owned import Editable, OwnedQuerySet, assign
from tracker.models.photos import ProgressPhoto
from tracker.models.routines import Routine
from tracker.models.sessions import MassageSession, RestWeek


class ExperimentRunning(Exception):
    """Another experiment runs (or is planned) in the same weeks: two changes at once cannot
    be told apart."""

    def __init__(self, running: "Experiment") -> None:
        self.running = running
        super().__init__(
            f"“{running.subject}” runs until {running.last_day:%-d %B %Y}: end it first. "
            "Two changes at once cannot be told apart."
        )


class ExperimentQuerySet(OwnedQuerySet):
    def open_on(self, owner, today: date) -> "Experiment | None":
        """The owner's experiment that is running or planned on `today`, if any (one query)."""
        for experiment in self.for_user(owner).filter(ended_on__isnull=True):
            if experiment.last_day >= today:
                return experiment
        return None

    def start(self, owner, today: date, **values: Any) -> "Experiment":
        """Start (or plan) an experiment, unless another one is open: ExperimentRunning then."""
        with transaction.atomic():
            # One at a time per person, so that two starts at once cannot both pass the check.
            owner.profile.lock()
            if running := self.open_on(owner, today):
                raise ExperimentRunning(running)
            experiment = self.model(owner=owner)
            many = assign(experiment, values)
            experiment.subject = experiment.describe()
            experiment.save()
            for name, related in many.items():
                getattr(experiment, name).set(related)
        return experiment


class Experiment(Editable):
    class Change(models.TextChoices):
        PRODUCT = "product", "A new product"
        ROUTINE = "routine", "A new routine"
        TECHNIQUE = "technique", "A new technique"
        FREQUENCY = "frequency", "A new number of sessions a week"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    change = models.CharField("what changes", max_length=10, choices=Change.choices)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True)
    routine = models.ForeignKey(Routine, on_delete=models.SET_NULL, null=True, blank=True)
    technique = models.CharField(max_length=20, choices=Technique.choices, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    # What changed, in words, kept when the product or routine is deleted later.
    subject = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=300, blank=True)
    started_on = models.DateField("first day")
    weeks = models.PositiveSmallIntegerField(
        default=windows.DEFAULT_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(windows.MAX_WEEKS)],
    )
    angle = models.CharField(
        "photo angle", max_length=10, choices=ProgressPhoto.Angle.choices, blank=True
    )
    # Set when the person ends it, early or on time; one past its weeks has ended by itself.
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weeks__gte=1, weeks__lte=windows.MAX_WEEKS),
                name="experiment_weeks_in_range",
            ),
            # An experiment cannot end before it starts.
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="experiment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.get_change_display()} from {self.started_on}"

    def describe(self) -> str:
        """The change in a few words: the product's or routine's name, the technique..."""
        if self.change == self.Change.PRODUCT and self.product:
            return self.product.name
        if self.change == self.Change.ROUTINE and self.routine:
            return self.routine.name
        if self.change == self.Change.TECHNIQUE and self.technique in Technique.values:
            return Technique(self.technique).label
        if self.change == self.Change.FREQUENCY and self.sessions_per_week:
            count = self.sessions_per_week
            return f"{count} session{'' if count == 1 else 's'} a week"
        return self.get_change_display()

    @property
    def last_day(self) -> date:
        """The last day it runs: its planned end, or the day it was ended."""
        planned = windows.planned_last_day(self.started_on, self.weeks)
        return min(planned, self.ended_on) if self.ended_on else planned

    def status(self, today: date) -> str:
        if self.ended_on or self.last_day < today:
            return "ended"
        return "planned" if self.started_on > today else "running"

    def week_of(self, today: date) -> int:
        return windows.week_of(self.started_on, today)

    def end(self, day: date) -> None:
        """End it on `day` (the form checks that it is not before it started, nor ahead)."""
        self.ended_on = min(day, windows.planned_last_day(self.started_on, self.weeks))
        self.save(update_fields=["ended_on"])

    def result(self, today: date, zone: zoneinfo.ZoneInfo) -> "ExperimentResult":
        return ExperimentResult.of(self, today, zone)


class ExperimentResult:
    """An experiment's windows, their summaries and the comparison, from four queries."""

    def __init__(self, experiment: Experiment, today: date, **parts: Any) -> None:
        self.experiment, self.today = experiment, today
        self.__dict__.update(parts)

    @classmethod
    def of(cls, experiment: Experiment, today: date, zone: zoneinfo.ZoneInfo) -> "ExperimentResult":
        owner_id = experiment.owner_id
        sessions = MassageSession.objects.filter(owner_id=owner_id)
        history_starts = sessions.aggregate(first=Min("local_date"))["first"]
        trial = windows.trial_window(
            experiment.started_on, experiment.weeks, experiment.ended_on, today
        )
        baseline = windows.baseline_window(experiment.started_on, experiment.weeks, history_starts)
        rows = [
            windows.Session(day, minutes, reaction, rating)
            for day, minutes, reaction, rating in sessions.filter(
                local_date__range=(baseline.first, max(trial.last, baseline.last))
            ).values_list("local_date", "minutes", "reaction", "rating")
        ]
        rest = list(
            RestWeek.objects.filter(
                owner_id=owner_id,
                week_start__range=(baseline.first - timedelta(days=6), trial.last),
            ).values_list("week_start", flat=True)
        )
        before = windows.summarise(baseline, rows, rest)
        during = windows.summarise(trial, rows, rest)
        return cls(
            experiment,
            today,
            baseline=baseline,
            trial=trial,
            before=before,
            during=during,
            rested=bool(windows.rest_days(rest) & _days_of(baseline, trial)),
            measures=windows.compare(before, during),
            photo_pair=_photo_pair(experiment, trial, zone),
        )

    @property
    def tested(self) -> list:
        return [m for m in self.measures if m.verdict is not None]


def _days_of(*spans: windows.Window) -> set[date]:
    return {w.first + timedelta(days=n) for w in spans for n in range(w.days)}


def _photo_pair(experiment: Experiment, trial: windows.Window, zone: zoneinfo.ZoneInfo):
    """The experiment's first and last photo of its angle (two queries), if it has a pair."""
    if not experiment.angle or trial.days == 0:
        return None
    end = datetime.combine(trial.last + timedelta(days=1), time.min, tzinfo=zone)
    photos = (
        ProgressPhoto.objects.filter(owner_id=experiment.owner_id, angle=experiment.angle)
        .filter(taken_at__lt=end)
        .timeline()
        .values_list("pk", "taken_at")
    )
    days = [(pk, taken_at.astimezone(zone).date()) for pk, taken_at in photos]
    pair = windows.first_and_last(days, trial)
    if pair is None:
        return None
    found = ProgressPhoto.objects.in_bulk(pair)
    return found[pair[0]], found[pair[1]]
