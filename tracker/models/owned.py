"""What every model that belongs to one person shares: the owner filter and plain edits."""

from collections.abc import Iterable
from typing import Any, Self

from django.db import models, transaction
from django.db.models.lookups import In

from tracker.models.bulk import Batch, write_now


@models.IntegerField.register_lookup
class IntegerFieldIn(In):
    """`id__in=[...]` leaves out ids the column cannot hold, as Django's `id=` already does.

    A form's list of ids (tools=9223372036854775808) is then an invalid choice on SQLite too,
    as on PostgreSQL, instead of an OverflowError from the driver: one place for every
    ModelMultipleChoiceField, and any other list of ids a request carries.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            kind = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(kind)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class OwnedQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        return self.filter(owner=user)

    @transaction.atomic
    def add_for(self, owner, **values: Any) -> models.Model:
        """A new row of `owner`'s from a form's cleaned values, links included."""
        obj = self.model(owner=owner)
        many = assign(obj, values)
        obj.save()
        for name, related in many.items():
            getattr(obj, name).set(related)
        return obj

    def add_many(self, owner, entries: Iterable[dict[str, Any]]) -> list[models.Model]:
        """New rows of `owner`'s, as add_for makes them, in a few inserts however many."""
        batch = Batch()
        objs = self.prepare_many(owner, entries, batch)
        write_now(batch)
        return objs

    def prepare_many(
        self, owner, entries: Iterable[dict[str, Any]], batch: Batch
    ) -> list[models.Model]:
        """add_many's rows and links, made ready in `batch` (see tracker.models.bulk)."""
        objs, links = [], []
        for values in entries:
            obj = self.model(owner=owner)
            links.append(assign(obj, values))
            objs.append(obj)
        batch.add(objs)
        pairs = list(zip(objs, links, strict=True))
        for name in dict.fromkeys(name for many in links for name in many):
            batch.link(self.model, name, [(obj, many.get(name, ())) for obj, many in pairs])
        return objs


def assign(instance: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Set the concrete fields among `values` on `instance`; return the many-to-many ones."""
    many = {}
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        elif field.is_relation and not isinstance(value, models.Model | None):
            setattr(instance, field.attname, value)  # an id
        else:
            setattr(instance, name, value)
    return many


class Editable(models.Model):
    """`edit(**values)`: the one way a form's cleaned values change a row and its links."""

    class Meta:
        abstract = True

    @transaction.atomic
    def edit(self, **values: Any) -> Self:
        many = assign(self, values)
        self.save()
        for name, related in many.items():
            getattr(self, name).set(related)
        return self

    def remove(self) -> None:
        """Delete this row (and, through the database, what hangs on it)."""
        self.delete()
