"""Bulk inserts made ready outside a transaction, and written inside it in a few statements.

Django's bulk_create spends nearly all its time in Python (a model instance per row, each
field's value for the database, the SQL), and all of it inside the caller's transaction. On
SQLite that is time every other person's write waits for: an import of 20,000 sessions held
the write lock for seconds. A Batch works the values out first, with the very field methods
bulk_create calls (pre_save, get_db_prep_save), and its write() only sends them.

Rows may refer to objects of an earlier step of the same batch that have no id yet (a
session's routine, a step's routine, a photo's session): the reference becomes the id once
that step is written. Objects that carry their ids already (an Undo bringing rows back) are
written with them. The model methods that write in bulk (log_many, add_many, mark_many,
add_for) are each a Batch made and written; an import makes one Batch of everything, then
writes it in one short transaction.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connections, models, transaction


class Unsaved(NamedTuple):
    """A row's reference to an object written by an earlier step of the batch."""

    step: "Step"
    index: int


@dataclass
class Step:
    """Rows of one table, their values ready for the database."""

    model: type[models.Model]
    objs: list[Any]
    fields: list[models.Field]
    rows: list[list[Any]]
    # Positions in a row that hold an Unsaved reference, found while the values were made.
    unsaved: set[int] = field(default_factory=set)
    ids: list[int] = field(default_factory=list)
    # The rows' own ids, when they come back with the ids they had.
    given_ids: list[int] | None = None


class Batch:
    """Inserts of several models, in the order they were added; see the module's docstring."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self.steps: list[Step] = []
        self.placed: dict[int, tuple[Step, int]] = {}
        self.checks: list[Callable[[], None]] = []
        self.then: list[Callable[[], None]] = []

    @property
    def connection(self):
        return connections[self.using]

    def add(
        self, objs: Iterable[models.Model], *, as_they_were: bool = False
    ) -> list[models.Model]:
        """Rows for new, unsaved objects of one model (their references may be unsaved too).

        `as_they_were`: rows coming back (an Undo) keep every value they carry, their
        automatic stamps (auto_now, auto_now_add) included.
        """
        objs = list(objs)
        if not objs:
            return objs
        model = type(objs[0])
        fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
        for f in fields:
            # Fields with their own placeholder SQL (binary, geometry) need the compiler.
            if "get_placeholder_sql" in type(f).__dict__:
                raise TypeError(f"{f} cannot be written by a Batch")
        given = [obj.pk for obj in objs]
        if None in given and any(pk is not None for pk in given):
            raise ValueError("A batch step's rows either all carry their ids or none does")
        step = Step(model, objs, fields, [], given_ids=None if None in given else given)
        connection = self.connection
        for index, obj in enumerate(objs):
            row = []
            for position, f in enumerate(fields):
                if f.is_relation and getattr(obj, f.attname) is None and f.is_cached(obj):
                    related = f.get_cached_value(obj)
                    if related is not None and related.pk is None:
                        row.append(self._reference(related))
                        step.unsaved.add(position)
                        continue
                value = getattr(obj, f.attname) if as_they_were else f.pre_save(obj, add=True)
                row.append(f.get_db_prep_save(value, connection))
            step.rows.append(row)
            self.placed[id(obj)] = (step, index)
        self.steps.append(step)
        return objs

    def link(self, model: type[models.Model], name: str, pairs: Iterable[tuple[Any, Iterable]]):
        """Many-to-many links (`name` of `model`) from objects to related objects or ids."""
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        links = []
        for obj, related_objects in pairs:
            for related in once_each(related_objects):
                link = through(**{source: obj} if obj.pk is None else {f"{source}_id": obj.pk})
                if isinstance(related, models.Model) and related.pk is None:
                    setattr(link, target, related)
                else:
                    setattr(link, f"{target}_id", getattr(related, "pk", related))
                links.append(link)
        self.add(links)

    def holds(self, obj: models.Model) -> bool:
        """Whether `obj` is one of the batch's rows, not written yet."""
        return obj.pk is None and id(obj) in self.placed

    def amend(self, obj: models.Model, name: str, value: Any) -> None:
        """Change one value of a row made ready already (and of its object)."""
        step, index = self.placed[id(obj)]
        position = next(n for n, f in enumerate(step.fields) if f.name == name)
        setattr(obj, name, value)
        step.rows[index][position] = step.fields[position].get_db_prep_save(value, self.connection)

    def check_first(self, check: Callable[[], None]) -> None:
        """Run `check` in the transaction before anything is written (a lock, a quota)."""
        self.checks.append(check)

    def afterwards(self, action: Callable[[], None]) -> None:
        """Run `action` in the transaction once everything is written (ids are known)."""
        self.then.append(action)

    def write(self) -> None:
        """Send the rows, step by step, inside the caller's transaction."""
        if not transaction.get_connection(self.using).in_atomic_block:
            raise transaction.TransactionManagementError("Batch.write() needs a transaction")
        for check in self.checks:
            check()
        for step in self.steps:
            self._insert(step)
        for action in self.then:
            action()

    def _reference(self, obj: models.Model) -> Unsaved:
        try:
            step, index = self.placed[id(obj)]
        except KeyError:
            raise ValueError(f"{obj!r} is neither saved nor earlier in this batch") from None
        return Unsaved(step, index)

    def _insert(self, step: Step) -> None:
        rows = step.rows
        if step.unsaved:
            rows = [
                [value.step.ids[value.index] if type(value) is Unsaved else value for value in row]
                for row in rows
            ]
            # The objects learn their new references' ids, as saving them would have told them.
            for position in step.unsaved:
                attname = step.fields[position].attname
                for obj, before, after in zip(step.objs, step.rows, rows, strict=True):
                    if type(before[position]) is Unsaved:
                        setattr(obj, attname, after[position])
        if self.connection.vendor == "postgresql":
            step.ids = self._copy(step.model, step.fields, rows, step.given_ids)
        else:
            step.ids = self._insert_returning(step.model, step.fields, rows, step.given_ids)
        for obj, pk_value in zip(step.objs, step.ids, strict=True):
            obj.pk = pk_value
            obj._state.adding = False
            obj._state.db = self.using

    def _insert_returning(
        self, model, fields: list, rows: list[list], given_ids: list[int] | None = None
    ) -> list[int]:
        """Multi-row INSERTs, each giving back its rows' ids in the order of its VALUES (as
        Django's own bulk_create relies on)."""
        connection = self.connection
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        if given_ids is not None:
            fields = [model._meta.pk, *fields]
            rows = [[pk_value, *row] for pk_value, row in zip(given_ids, rows, strict=True)]
        columns = ", ".join(quote(f.column) for f in fields)
        one_row = f"({', '.join(['%s'] * len(fields))})"
        per_statement = max(1, min(1000, connection.features.max_query_params // len(fields)))
        ids: list[int] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))}"
                    f" RETURNING {quote(model._meta.pk.column)}",
                    [value for row in chunk for value in row],
                )
                ids += [row[0] for row in cursor.fetchall()]
        return ids

    def _copy(
        self, model, fields: list, rows: list[list], given_ids: list[int] | None = None
    ) -> list[int]:
        """PostgreSQL: ids taken from the table's sequence (or the rows' own, which came from
        it once), then every row in one COPY (five times faster than INSERTs of a thousand
        rows each, measured on 20,000 sessions)."""
        connection = self.connection
        quote = connection.ops.quote_name
        table, pk = model._meta.db_table, model._meta.pk.column
        columns = ", ".join(quote(column) for column in (pk, *(f.column for f in fields)))
        with connection.cursor() as cursor:
            if given_ids is None:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [quote(table), pk, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                ids = list(given_ids)
            # The driver's own cursor for COPY: its errors still reach callers as Django's
            # (IntegrityError for a one-time id sent twice).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy,
            ):
                for pk_value, row in zip(ids, rows, strict=True):
                    copy.write_row((pk_value, *row))
        return ids


def once_each(items: Iterable[Any]) -> list[Any]:
    """Each object or id once: saved objects by id, unsaved ones by identity."""
    seen, unique = set(), []
    for item in items:
        pk = getattr(item, "pk", item)
        key = ("pk", pk) if pk is not None else ("object", id(item))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def write_now(batch: Batch) -> None:
    """Write a batch in a transaction of its own, or in the caller's."""
    with transaction.atomic(using=batch.using, savepoint=False):
        batch.write()
