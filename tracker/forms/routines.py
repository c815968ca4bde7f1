"""Routines and their steps."""

from django import forms

from tracker.forms.common import OwnedChoicesMixin
from tracker.forms.safety import ReactedProductsMixin
from tracker.models import (
    Product,
    Routine,
    RoutineFull,
    RoutineStep,
    Tool,
)


class RoutineForm(ReactedProductsMixin, OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"products": Product}

    class Meta:
        model = Routine
        fields = ["name", "description", "products"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "products": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_owner(user)
        self.add_reacted_field()
        self.fields[
            "products"
        ].help_text = "The oils or serums you use with it; add new ones under Tools and products."


class StepForm(OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"tool": Tool}

    class Meta:
        model = RoutineStep
        fields = ["technique", "area", "tool", "seconds", "instruction"]

    def __init__(self, *args, user, routine: Routine | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.routine = routine
        self.limit_to_owner(user)
        self.fields["tool"].empty_label = "No tool"

    def clean(self):
        # Its page has to stay a page: a routine of 600,000 steps took minutes to show.
        if self.routine is not None and self.routine.is_full():
            raise forms.ValidationError(str(RoutineFull()), code="full")
        return super().clean()
