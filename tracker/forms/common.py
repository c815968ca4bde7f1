"""Widgets, choices and mixins that the forms share."""

from django import forms

from tracker.models import (
    FIRST_DAY,
    timezone_names,
    validate_day,
    validate_moment,
    validate_planned_day,
)


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in timezone_names()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DatesInRangeMixin:
    """Every date and time the form takes lies in the app's one accepted range.

    From 2000-01-01 to today in the person's time zone (tracker.models.dates), for each date
    and date-time field the form has, declared or made from the model: nothing typed can come
    near the edges of the calendar. Every form with such a field mixes this in (a test checks).
    The dates named in `planned_fields` may lie up to a year ahead (an experiment's start).
    """

    planned_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.planned_fields:
                field.validators.append(validate_planned_day)
                field.widget.attrs.setdefault("min", f"{FIRST_DAY:%Y-%m-%d}")
            elif isinstance(field, forms.DateTimeField):
                field.validators.append(validate_moment)
                field.widget.attrs.setdefault("min", f"{FIRST_DAY:%Y-%m-%d}T00:00")
            elif isinstance(field, forms.DateField):
                field.validators.append(validate_day)
                field.widget.attrs.setdefault("min", f"{FIRST_DAY:%Y-%m-%d}")


class OwnedChoicesMixin:
    """Limit every related-object field to the user's own objects.

    Another user's id is then an ordinary "select a valid choice" error, never a leak.
    """

    owned_fields: dict[str, type] = {}

    def limit_to_owner(self, user) -> None:
        for name, model in self.owned_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.for_user(user)
