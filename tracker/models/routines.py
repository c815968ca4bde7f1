from collections.abc import Iterable
from typing import Any, Literal, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Max

from tracker.models.choices import Area, Technique
from tracker.models.gear import Product, Tool
from tracker.models.owned import Editable, OwnedQuerySet, assign
from tracker.models.snapshots import rebuild, snapshot


class RoutineFull(Exception):
    """A routine holds ROUTINE_MAX_STEPS steps at most: its page has to stay a page."""

    def __init__(self) -> None:
        super().__init__(f"A routine holds at most {settings.ROUTINE_MAX_STEPS} steps.")


class RoutineQuerySet(OwnedQuerySet):
    @transaction.atomic
    def add_for(self, owner, *, steps: Iterable[dict[str, Any]] = (), **values: Any) -> "Routine":
        """A new routine of `owner`'s, with its products and, in this order, its steps."""
        routine = super().add_for(owner, **values)
        routine.append_steps(steps)
        return routine

    def prepare_many(self, owner, entries: Iterable[dict[str, Any]], batch) -> list["Routine"]:
        """New routines as add_for makes them, each with its steps (add_many writes them)."""
        entries = list(entries)
        steps_of = [list(entry.get("steps", ())) for entry in entries]
        if any(len(steps) > settings.ROUTINE_MAX_STEPS for steps in steps_of):
            raise RoutineFull
        routines = super().prepare_many(
            owner, ({k: v for k, v in entry.items() if k != "steps"} for entry in entries), batch
        )
        batch.add(
            numbered_step(routine, order, values)
            for routine, steps in zip(routines, steps_of, strict=True)
            for order, values in enumerate(steps)
        )
        return routines


def numbered_step(routine: "Routine", order: int, values: dict[str, Any]) -> "RoutineStep":
    step = RoutineStep(routine=routine)
    assign(step, values)
    # The order is the list's: one numbering, whatever numbers the values carried.
    step.order = order
    return step


class Routine(Editable):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    products = models.ManyToManyField(Product, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def append_step(self, **values: Any) -> "RoutineStep":
        """Add a step after the last one."""
        return self.append_steps([values])[0]

    @transaction.atomic
    def append_steps(self, steps: Iterable[dict[str, Any]]) -> list["RoutineStep"]:
        """Add steps after the last one, numbered on from it (steps count from 0, no gaps).

        Raises RoutineFull rather than pass ROUTINE_MAX_STEPS.
        """
        steps = list(steps)
        last = self.steps.aggregate(last=Max("order"))["last"]
        start = 0 if last is None else last + 1
        if start + len(steps) > settings.ROUTINE_MAX_STEPS:
            raise RoutineFull
        return RoutineStep.objects.bulk_create(
            numbered_step(self, start + offset, values) for offset, values in enumerate(steps)
        )

    def is_full(self) -> bool:
        return self.steps.count() >= settings.ROUTINE_MAX_STEPS

    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps.all())

    def minutes(self) -> int:
        """Whole minutes the routine takes, never less than one."""
        return max(1, round(self.total_seconds() / 60))

    def step_details(self) -> dict[str, list]:
        """What its steps do, as a session records it: techniques, areas and tool ids."""
        return details_of_steps(self.steps.all())


def details_of_steps(steps: Iterable["RoutineStep"]) -> dict[str, list]:
    """Techniques, areas and tool ids of `steps`, each once, in the steps' order."""
    steps = list(steps)
    return {
        "techniques": list(dict.fromkeys(step.technique for step in steps)),
        "areas": list(dict.fromkeys(step.area for step in steps)),
        "tools": list(dict.fromkeys(step.tool_id for step in steps if step.tool_id)),
    }


class RoutineStepQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        # Steps belong to their routine's owner.
        return self.filter(routine__owner=user)

    @transaction.atomic
    def restore(self, owner, values: dict[str, Any]) -> "RoutineStep | None":
        """Put back a step that `RoutineStep.remove` took out: the same id, at its old place
        (the steps after it move down again). None if its routine has gone, or it is back;
        RoutineFull if steps added meanwhile leave no room for it."""
        step = rebuild(self.model, values)
        routine = (
            Routine.objects.for_user(owner).select_for_update().filter(pk=step.routine_id).first()
        )
        if routine is None or self.filter(pk=step.pk).exists():
            return None
        count = routine.steps.count()
        if count >= settings.ROUTINE_MAX_STEPS:
            raise RoutineFull
        step.order = min(step.order, count)
        routine.steps.filter(order__gte=step.order).update(order=F("order") + 1)
        if step.tool_id and not Tool.objects.for_user(owner).filter(pk=step.tool_id).exists():
            step.tool_id = None
        step.save(force_insert=True)
        return step


class RoutineStep(Editable):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    technique = models.CharField(max_length=20, choices=Technique.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    tool = models.ForeignKey(Tool, on_delete=models.SET_NULL, null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(30 * 60)]
    )
    instruction = models.CharField(max_length=300, blank=True)

    objects = RoutineStepQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_technique_display()}, {self.get_area_display()}"

    @transaction.atomic
    def move(self, direction: Literal["up", "down"]) -> None:
        """Swap places with the step above or below (nothing happens at either end)."""
        siblings = list(self.routine.steps.select_for_update())
        index = next(i for i, step in enumerate(siblings) if step.pk == self.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings):
            sibling.order = order
        RoutineStep.objects.bulk_update(siblings, ["order"])

    @transaction.atomic
    def remove(self) -> dict[str, Any]:
        """Delete the step and close the gap it leaves; the snapshot returned puts it back
        (RoutineStepQuerySet.restore)."""
        values = snapshot(self)
        self.delete()
        self.routine.steps.filter(order__gt=self.order).update(order=F("order") - 1)
        return values
