"""The full session form."""

from django import forms
from django.urls import reverse
from django.utils import timezone

from tracker.forms.common import DatesInRangeMixin, DateTimeLocalInput, OwnedChoicesMixin
from tracker.forms.safety import ReactedProductsMixin
from tracker.models import (
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Product,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)


def one_time_id_field() -> forms.UUIDField:
    """The id a log form sends once, so that sending it twice logs one session."""
    return forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "This log carries a damaged id: reload the page and log again."},
    )


# A log is of something done: a time ahead of the clock is a mistake, said as such.
LOGGED_IN_THE_FUTURE = {"future": "That is in the future: log a session once it is done."}


class SessionForm(ReactedProductsMixin, DatesInRangeMixin, OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"routine": Routine, "tools": Tool, "products": Product}

    client_id = one_time_id_field()
    # The routine whose steps the form shows ticked already (chosen with the script on): what
    # is ticked then is the person's word, even nothing at all.
    steps_from_routine = forms.IntegerField(required=False, widget=forms.HiddenInput)

    performed_at = forms.DateTimeField(
        label="When", widget=DateTimeLocalInput(), error_messages=LOGGED_IN_THE_FUTURE
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        error_messages={
            "min_value": "A session lasts at least 1 minute.",
            "max_value": f"That is more than {MAX_SESSION_MINUTES} minutes: check the number.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    techniques = forms.MultipleChoiceField(
        choices=Technique.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        choices=Area.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    rating = forms.TypedChoiceField(
        label="How did it feel?",
        choices=[("", "No rating"), *((str(n), f"{n} of 5") for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = MassageSession
        fields = [
            "performed_at",
            "minutes",
            "routine",
            "techniques",
            "areas",
            "tools",
            "products",
            "pressure",
            "cleansed_skin",
            "clean_hands_and_tools",
            "used_slip",
            "reaction",
            "rating",
            "notes",
        ]
        widgets = {
            "tools": forms.CheckboxSelectMultiple,
            "products": forms.CheckboxSelectMultiple,
            "pressure": forms.RadioSelect,
            "reaction": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_to_owner(user)
        self.add_reacted_field()
        self.fields["routine"].empty_label = "No routine"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "performed_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("minutes", user.profile.target_minutes)
        if self.instance.pk:
            # An edit changes a session logged once: it has no one-time id to send.
            del self.fields["client_id"]
        else:
            # Choosing a routine brings in its steps, to change at will (the server fills them
            # in anyway when nothing is ticked, for a page without the script).
            self.fields["routine"].widget.attrs.update(
                {
                    "hx-get": reverse("tracker:session-new"),
                    "hx-trigger": "change",
                    "hx-target": "#routine-steps",
                    "hx-swap": "outerHTML",
                    "hx-sync": "this:replace",
                }
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        routine = cleaned.get("routine")
        shown = cleaned.pop("steps_from_routine", None)
        if routine is not None and shown != routine.pk:
            # A session of a routine did its steps, unless the person says otherwise.
            details = routine.step_details()
            # As the field would have cleaned them: the person's own tools, as objects.
            details["tools"] = list(self.fields["tools"].queryset.filter(pk__in=details["tools"]))
            for name, value in details.items():
                if not cleaned.get(name):
                    cleaned[name] = value
        return cleaned

    def details_have_errors(self) -> bool:
        """An error among the folded-away fields: they are shown open, with it."""
        folded = {"techniques", "areas", "tools", "products", "add_reacted"}
        return bool(folded & self.errors.keys())

    def checklist(self) -> list[forms.BoundField]:
        """The pre-session hygiene checks, drawn as one group of tick boxes."""
        return [self[name] for name in ("cleansed_skin", "clean_hands_and_tools", "used_slip")]


class OneTapLogForm(DatesInRangeMixin, forms.Form):
    """A one-tap log: its one-time id, and when it was done (a log queued offline says)."""

    client_id = one_time_id_field()
    performed_at = forms.DateTimeField(required=False, error_messages=LOGGED_IN_THE_FUTURE)

    def clean_performed_at(self):
        return self.cleaned_data["performed_at"] or timezone.now()


class WeekFilterForm(DatesInRangeMixin, forms.Form):
    """History's "show one week", by any day in it."""

    week = forms.DateField(required=False, error_messages={"invalid": "That week is not a date."})


class RoutineLogForm(OneTapLogForm):
    """A log from a routine: one tap says nothing more; after a guided session (which may have
    stopped early or skipped steps), the minutes actually spent and the steps done."""

    minutes = forms.IntegerField(
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        required=False,
        error_messages={
            "min_value": "A session lasts at least 1 minute.",
            "max_value": f"That is more than {MAX_SESSION_MINUTES} minutes.",
        },
    )
    steps = forms.ModelMultipleChoiceField(
        queryset=RoutineStep.objects.none(),
        required=False,
        error_messages={"invalid_choice": "That step is not one of this routine's."},
    )

    def __init__(self, *args, routine: Routine, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps"].queryset = RoutineStep.objects.filter(routine=routine)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("steps") and cleaned.get("minutes") is None:
            raise forms.ValidationError("Say how many minutes the steps took.")
        return cleaned

    def log_arguments(self) -> dict:
        """Keyword arguments for MassageSession.log_routine."""
        arguments = {
            "client_id": self.cleaned_data["client_id"],
            "performed_at": self.cleaned_data["performed_at"],
        }
        if self.cleaned_data["minutes"] is not None:
            arguments["minutes"] = self.cleaned_data["minutes"]
            arguments["steps_done"] = self.cleaned_data["steps"]
        return arguments
