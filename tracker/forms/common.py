"""Widgets, choices and mixins that the forms share."""

import zoneinfo

from django import forms


def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in zones)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OwnedChoicesMixin:
    """Limit every related-object field to the user's own objects.

    Another user's id is then an ordinary "select a valid choice" error, never a leak.
    """

    owned_fields: dict[str, type] = {}

    def limit_to_owner(self, user) -> None:
        for name, model in self.owned_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.for_user(user)
