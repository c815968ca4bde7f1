from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tracker.models.choices import Area, Technique
from tracker.models.gear import Product, Tool
from tracker.models.owned import OwnedQuerySet


class Routine(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    products = models.ManyToManyField(Product, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps.all())

    def minutes(self) -> int:
        """Whole minutes the routine takes, never less than one."""
        return max(1, round(self.total_seconds() / 60))


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    technique = models.CharField(max_length=20, choices=Technique.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    tool = models.ForeignKey(Tool, on_delete=models.SET_NULL, null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(30 * 60)]
    )
    instruction = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_technique_display()}, {self.get_area_display()}"
