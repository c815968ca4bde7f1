"""A deleted row as plain values, and the same row built again from them (for Undo).

A snapshot holds the row's own columns by attribute name (its id and foreign-key ids
included, its owner not: whoever restores it becomes its owner, so a snapshot can never move
data into another account). Values stay Python objects here; whoever carries a snapshot
(tracker.undo, as signed JSON) encodes them, and `rebuild` reads them back either way.
"""

from typing import Any

from django.db import models

OWNER = "owner_id"


def snapshot(obj: models.Model) -> dict[str, Any]:
    return {
        f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields if f.attname != OWNER
    }


def snapshot_rows(queryset: models.QuerySet) -> list[dict[str, Any]]:
    """`snapshot` of every row of `queryset`, read as values (no model instance each)."""
    names = [f.attname for f in queryset.model._meta.concrete_fields if f.attname != OWNER]
    return list(queryset.values(*names))


def rebuild[M: models.Model](model: type[M], values: dict[str, Any], **extra: Any) -> M:
    """An unsaved instance with the snapshot's values (ISO strings become dates again)."""
    fields = {
        f.attname: f.to_python(values[f.attname])
        for f in model._meta.concrete_fields
        if f.attname in values and f.attname != OWNER
    }
    return model(**fields, **extra)
