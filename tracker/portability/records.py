"""Each record of an import checked exactly as its form checks what a person types.

A value reaches the database through an import only if the form for that kind of thing would
have let it through: the same fields with the same validators (lengths, choices, no NUL
characters, the accepted range of dates in the person's time zone, the settings' list of
time zones), then the model's own full_clean, as a ModelForm runs them. A rule added to a
form holds for imports from then on, without a line here.
"""

import json
import math
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime

from tracker.portability.common import ImportRefused, file_fields, plain_fields, quoted


class RecordChecker:
    """The rules for one kind of record, taken from an instance of its form.

    Made once per kind and used for every record of it: building a form costs about 2 ms,
    checking one record through the form's fields some 30 µs, and an import holds thousands.
    """

    def __init__(
        self, model: type[models.Model], form: forms.BaseForm, *, also: Iterable[str] = ()
    ) -> None:
        self.model = model
        own = {f.name: f for f in plain_fields(model)}
        # The form's fields that hold the record's own values (relations are keys in a file).
        self.checked = {
            name: (own[name], field) for name, field in form.fields.items() if name in own
        }
        # Values the app sets itself, which no form asks for (a session's local day): checked
        # as JSON values here, then by the model.
        self.also = {name: own[name] for name in also}

    def values(self, record: dict[str, Any], where: str) -> dict[str, Any]:
        """The record's values as its form would clean them; ImportRefused if it would not."""
        typed = {
            name: json_value(model_field, record[name], where)
            for name, (model_field, _form_field) in self.checked.items()
            if name in record
        }
        values = self.clean(typed, where)
        for name, model_field in self.also.items():
            if name in record:
                values[name] = json_value(model_field, record[name], where)
        return values

    def clean(self, values: dict[str, Any], where: str) -> dict[str, Any]:
        """Python values (a date, a number, text) cleaned by the form's own fields."""
        cleaned = {}
        for name, value in values.items():
            try:
                cleaned[name] = self.checked[name][1].clean(value)
            except ValidationError as error:
                raise ImportRefused(f"{where}, {name}: {' '.join(error.messages)}") from None
        return cleaned

    def build(self, record: dict[str, Any], where: str, **extra: Any) -> models.Model:
        """An unsaved instance of the record, checked by its form's fields and its model."""
        obj = self.model(**self.values(record, where), **extra)
        relations = [f.name for f in self.model._meta.get_fields() if f.is_relation]
        files = [f.name for f in file_fields(self.model)]
        full_clean(obj, where, exclude=[*relations, *files])
        return obj


def full_clean(obj: models.Model, where: str, exclude: list[str]) -> None:
    try:
        # Constraints are checked by the validators and by the plan, without a query each.
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        label = "" if field_name == "__all__" else f", {field_name}"
        raise ImportRefused(f"{where}{label}: {' '.join(messages)}") from None


def json_value(f: models.Field, value: Any, where: str) -> Any:
    """The value of one field as JSON gave it, refused if it is not of the field's JSON type.

    Stricter than a form, which reads text: a number must be a number, true must be true.
    """
    place = f"{where}, {f.name}"
    if value is None:
        if f.null:
            return None
        raise ImportRefused(f"{place}: must have a value.")
    if isinstance(f, models.BooleanField):
        expected, ok = "true or false", isinstance(value, bool)
    elif isinstance(f, models.IntegerField):
        expected, ok = "a whole number", type(value) is int
    elif isinstance(f, models.FloatField):
        expected = "a number"
        ok = (type(value) is float and math.isfinite(value)) or (
            type(value) is int and abs(value) < 2**53
        )
    elif isinstance(f, models.DateTimeField):
        moment = parse_moment(value)
        if moment is None:
            raise ImportRefused(f"{place}: must be a date and time with its UTC offset.")
        return moment
    elif isinstance(f, models.DateField):
        day = parse_day(value)
        if day is None:
            raise ImportRefused(f"{place}: must be a date such as 2026-01-31.")
        return day
    elif isinstance(f, models.UUIDField):
        try:
            return uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            raise ImportRefused(f"{place}: must be an id such as {uuid.UUID(int=0)}.") from None
    elif isinstance(f, (models.CharField, models.TextField)):
        expected, ok = "text", isinstance(value, str)
    else:
        return value
    if not ok:
        raise ImportRefused(f"{place}: must be {expected}, not {json.dumps(value)[:40]}.")
    return value


def parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def section(document: dict, name: str, kind: type, required: bool = True):
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind):
        expected = "a list" if kind is list else "an object"
        raise ImportRefused(f"“{name}” in data.json must be {expected}.")
    return value


def records(document: dict, name: str, noun: str) -> list[tuple[str, dict]]:
    """A section's records, each with a name for messages ("Session 3")."""
    items = section(document, name, list, required=False) or []
    return [(f"{noun} {n}", as_dict(item, f"{noun} {n}")) for n, item in enumerate(items, 1)]


def as_list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ImportRefused(f"{where}: must be a list.")
    return value


def as_dict(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ImportRefused(f"{where}: must be an object with named fields.")
    return value


def key_of(record: dict, where: str, noun: str) -> str:
    key = record.get("key")
    if not isinstance(key, str) or not key or len(key) > 100:
        raise ImportRefused(f"{where}: has no “key” to refer to this {noun} by.")
    return key


def unique_keys(items: list[tuple], noun: str) -> set[str]:
    keys = [item[0] for item in items]
    if len(set(keys)) != len(keys):
        raise ImportRefused(f"Two {noun}s in the export share the same key.")
    return set(keys)


def ref(value: Any, keys: set[str], where: str, noun: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in keys:
        raise ImportRefused(
            f"{where}: refers to a {noun} that is not in the export ({quoted(value)})."
        )
    return value


def refs_in(record: dict, name: str, keys: set[str], where: str) -> list[str]:
    values = as_list(record.get(name, []), f"{where}, {name}")
    return [ref(value, keys, f"{where}, {name}", name.rstrip("s")) for value in values]
