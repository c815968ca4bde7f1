"""The full session form."""

from django import forms
from django.utils import timezone

from tracker.forms.common import FUTURE_TOLERANCE, DateTimeLocalInput, OwnedChoicesMixin
from tracker.models import (
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Product,
    Routine,
    Technique,
    Tool,
)


class SessionForm(OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"routine": Routine, "tools": Tool, "products": Product}

    performed_at = forms.DateTimeField(label="When", widget=DateTimeLocalInput())
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
        self.fields["routine"].empty_label = "No routine"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "performed_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("minutes", user.profile.target_minutes)
        if self.instance.pk:
            # The widget shows whole minutes: compare like with like, so that an edit that
            # leaves the time alone is not seen as a new time (see save).
            self.initial["performed_at"] = self.instance.performed_at.replace(
                second=0, microsecond=0
            )

    def checklist(self) -> list[forms.BoundField]:
        """The pre-session hygiene checks, drawn as one group of tick boxes."""
        return [self[name] for name in ("cleansed_skin", "clean_hands_and_tools", "used_slip")]

    def clean_performed_at(self):
        performed_at = self.cleaned_data["performed_at"]
        if performed_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError("That is in the future: log a session once it is done.")
        return performed_at

    def save(self, commit: bool = True) -> MassageSession:
        session = super().save(commit=False)
        session.owner = self.user
        # The local day is fixed when a session is logged; only a new time moves it, so that
        # moving to another zone later does not shuffle old sessions between weeks.
        if session.local_date is None or session.performed_at != self.initial["performed_at"]:
            session.set_local_date(self.user.profile.zone)
        if commit:
            session.save()
            self.save_m2m()
            if session.clean_hands_and_tools and self.cleaned_data["tools"]:
                # Ticking "clean hands and tools" is the tools' hygiene record too.
                self.cleaned_data["tools"].mark_cleaned(session.local_date)
        return session
