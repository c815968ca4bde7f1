"""Experiments: start one (one change, its weeks, a photo angle), end one."""

from django import forms

from tracker.forms.common import DateInput, DatesInRangeMixin, OwnedChoicesMixin
from tracker.models import Experiment, Product, Routine
from tracker.models.experiments import ExperimentRunning

# Which field names the change, for each kind of change.
CHANGE_FIELDS = {
    Experiment.Change.PRODUCT: "product",
    Experiment.Change.ROUTINE: "routine",
    Experiment.Change.TECHNIQUE: "technique",
    Experiment.Change.FREQUENCY: "sessions_per_week",
}


class ExperimentForm(DatesInRangeMixin, OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"product": Product, "routine": Routine}
    # An experiment may be planned to start later, up to a year ahead.
    planned_fields = ("started_on",)

    class Meta:
        model = Experiment
        fields = [
            "change",
            "product",
            "routine",
            "technique",
            "sessions_per_week",
            "note",
            "started_on",
            "weeks",
            "angle",
        ]
        labels = {
            "sessions_per_week": "New number of sessions a week",
            "note": "In your words (optional)",
            "weeks": "How many weeks",
            "angle": "Photos to compare (optional)",
        }
        help_texts = {
            "weeks": "6 by default: long enough for a few sessions of each kind to count.",
            "started_on": "Today, a day already past, or up to a year ahead.",
            "angle": "The first and last photo of this angle are compared at the end.",
        }
        widgets = {"change": forms.RadioSelect, "started_on": DateInput()}

    def __init__(self, *args, user, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        self.limit_to_owner(user)
        self.fields["product"].empty_label = "Choose a product"
        self.fields["routine"].empty_label = "Choose a routine"
        self.fields["angle"].choices = [("", "No photos"), *self.fields["angle"].choices[1:]]
        self.fields["technique"].choices = [
            ("", "Choose a technique"),
            *self.fields["technique"].choices[1:],
        ]
        self.initial.setdefault("started_on", today)

    def clean(self):
        cleaned = super().clean()
        change = cleaned.get("change")
        needed = CHANGE_FIELDS.get(change)
        if needed and cleaned.get(needed) in (None, ""):
            self.add_error(needed, "Say what changes: this is the one change of the experiment.")
        # Only the field of the chosen change is kept: the experiment changes one thing.
        for name in CHANGE_FIELDS.values():
            if name != needed:
                cleaned[name] = "" if name == "technique" else None
        if not self.errors:
            running = Experiment.objects.open_on(self.user, self.today)
            if running:
                raise forms.ValidationError(str(ExperimentRunning(running)), code="running")
        return cleaned


class ExperimentEndForm(DatesInRangeMixin, forms.Form):
    ended_on = forms.DateField(label="Last day of the experiment", widget=DateInput())

    def __init__(self, *args, experiment: Experiment, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.experiment = experiment
        self.initial.setdefault("ended_on", min(today, experiment.last_day))

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day < self.experiment.started_on:
            raise forms.ValidationError(
                "An experiment cannot end before it starts "
                f"({self.experiment.started_on:%-d %B %Y}).",
                code="before_start",
            )
        return day
