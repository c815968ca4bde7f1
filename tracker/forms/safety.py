"""The reaction after a session, the "before you start" check, and products that need care."""

from django import forms

from tracker.models import REACTION_WINDOW_DAYS, HealthCondition, MassageSession, Reaction


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(
        choices=[(r.value, r.label) for r in Reaction if r != Reaction.NOT_RECORDED]
    )

    def __init__(self, *args, session: MassageSession, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session, self.today = session, today

    def clean(self):
        if not self.session.accepts_reaction(self.today):
            raise forms.ValidationError(
                f"A reaction can be added up to {REACTION_WINDOW_DAYS} days after a session; "
                "this one is older. Add a note to it instead."
            )
        return super().clean()


class KnownConditionsField(forms.MultipleChoiceField):
    """The questions ticked; unknown keys (an old page, a newer app) are ignored, not refused."""

    def to_python(self, value) -> list[str]:
        return HealthCondition.known(super().to_python(value))


class HealthCheckForm(forms.Form):
    conditions = KnownConditionsField(
        label="Does any of this apply to you now?",
        choices=HealthCondition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply; leave them all empty if none does.",
    )
    agree = forms.BooleanField(
        label="Keep my answers in my account, to adjust the advice I see",
        required=False,
        help_text="Without this, you see the advice for your answers once and nothing is kept.",
    )


class ReactedProductsMixin:
    """A product that reacted on the person's skin needs an explicit "add it anyway".

    Products already chosen before (an edit that leaves them alone) need nothing new.
    """

    def add_reacted_field(self) -> None:
        self.fields["add_reacted"] = forms.BooleanField(
            label="It reacted on my skin before: add it anyway",
            required=False,
        )

    def clean(self):
        cleaned = super().clean()
        products = cleaned.get("products") or []
        before = set(self.instance.products.all()) if self.instance.pk else set()
        newly_reacted = [p for p in products if p.reacted and p not in before]
        if newly_reacted and not cleaned.get("add_reacted"):
            names = ", ".join(f"“{p.name}”" for p in newly_reacted)
            self.add_error(
                "products",
                f"{names} reacted on your skin: stop using it. To add it all the same, tick "
                "“add it anyway”.",
            )
        # Not a field of the model: the confirmation is spent here.
        cleaned.pop("add_reacted", None)
        return cleaned
