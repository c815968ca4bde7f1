"""The reminder plan in Settings."""

from datetime import time

from django import forms

from tracker.models import ReminderPlan, Weekday, verified_email


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ReminderPlanForm(forms.Form):
    # The settings page holds other forms with a week_start or a time: keep the ids apart.
    prefix = "reminder"

    days = forms.TypedMultipleChoiceField(
        label="Days",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    at = forms.TimeField(
        label="Time",
        widget=TimeInput(),
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text="In your time zone, also when the clocks change.",
        error_messages={"invalid": "Enter a time such as 08:00.", "required": "Enter a time."},
    )
    mode = forms.ChoiceField(
        label="Remind me",
        choices=ReminderPlan.Mode.choices,
        widget=forms.RadioSelect,
        initial=ReminderPlan.Mode.ALWAYS,
        help_text=(
            "Behind means: one spare day at most, with the sessions you still need for your "
            "weekly minimum. No reminder in a rest week, or on a day you already massaged."
        ),
    )
    by_email = forms.BooleanField(label="Also by email", required=False)

    def __init__(self, *args, user, plan: ReminderPlan | None = None, **kwargs) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {"days": plan.days, "at": plan.at, "mode": plan.mode, "by_email": plan.by_email},
            )
        super().__init__(*args, **kwargs)
        self.initial.setdefault("at", time(8, 0))
        first = user.profile.week_start
        self.fields["days"].choices = [
            (day, Weekday(day).label) for day in ((first + n) % 7 for n in range(7))
        ]
        self.address = verified_email(user)
        email = self.fields["by_email"]
        if self.address:
            email.help_text = f"To {self.address}, with a link to stop them in every email."
        else:
            email.disabled = True
            email.help_text = "Add and verify an email address in your account to use this."

    def clean_by_email(self) -> bool:
        return bool(self.cleaned_data.get("by_email")) and bool(self.address)
