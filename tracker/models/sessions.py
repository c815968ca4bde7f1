import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tracker import stats
from tracker.models.bulk import Batch, write_now
from tracker.models.choices import (
    MAX_SESSION_MINUTES,
    MIN_FULL_SESSION_MINUTES,
    REACTION_WINDOW_DAYS,
    Area,
    Pressure,
    Reaction,
    Technique,
)
from tracker.models.dates import MomentField
from tracker.models.gear import Product, Tool
from tracker.models.owned import Editable, OwnedQuerySet, assign
from tracker.models.routines import Routine, RoutineStep, details_of_steps
from tracker.models.snapshots import rebuild, snapshot, snapshot_rows


class SessionQuerySet(OwnedQuerySet):
    def in_week(self, start: date) -> Self:
        return self.filter(local_date__gte=start, local_date__lte=stats.week_end_of(start))

    def newest_first(self) -> Self:
        return self.order_by("-performed_at", "-id")

    def for_list(self) -> Self:
        """What every list of sessions shows: the routine's name and the products' flags.

        The routines by a second query on their keys, not a join: with thousands of people,
        PostgreSQL hash-joins a list page against the whole routine table (make bench-postgres).
        """
        return self.prefetch_related("routine", "products")

    def reaction_to_answer(self) -> "MassageSession | None":
        """The latest reaction noted with no session logged since: its advice still stands.

        One query, however long the history.
        """
        logged_since = MassageSession.objects.filter(
            owner=models.OuterRef("owner"), created_at__gt=models.OuterRef("reaction_noted_at")
        ).exclude(pk=models.OuterRef("pk"))
        return (
            self.filter(reaction__in=Reaction.actual(), reaction_noted_at__isnull=False)
            .exclude(models.Exists(logged_since))
            .order_by("-reaction_noted_at", "-pk")
            .first()
        )

    def log(self, owner, **details: Any) -> "MassageSession":
        """Log one session; with a `client_id` already used by `owner`, the session it made.

        A double tap, a form sent twice, or an offline log replayed: the second arrival creates
        nothing and gets the first one's session, so it can answer exactly as the first did.
        """
        client_id = details.get("client_id")
        if details.get("reaction") in Reaction.actual():
            # A reaction logged with the session: its advice shows until the next session.
            details.setdefault("reaction_noted_at", timezone.now())
        try:
            # A savepoint only when called inside a transaction: a refused insert must not
            # spoil the caller's, so that the first arrival's session can still be read.
            with transaction.atomic():
                return self.log_many(owner, [details])[0]
        except IntegrityError:
            # The id is taken (the unique constraint says so, races included): answer with
            # the session it made. Any other refusal is not a replay.
            existing = client_id and self.filter(owner=owner, client_id=client_id).first()
            if not existing:
                raise
            return existing

    def log_many(self, owner, entries: Iterable[dict[str, Any]]) -> list["MassageSession"]:
        """Log sessions in bulk (imports, and `log` for one): the rules of logging live here.

        Each entry holds a session's fields, and `tools` and `products` to link. The local day
        is worked out in the owner's zone unless an entry gives it; ticking "clean hands and
        tools" records the tools' cleaning on that day. A `client_id` used before is refused
        by the database (IntegrityError): `log` turns that into the earlier session.
        """
        batch = Batch()
        sessions = self.prepare_log(owner, entries, batch)
        write_now(batch)
        return sessions

    def prepare_log(
        self, owner, entries: Iterable[dict[str, Any]], batch: Batch
    ) -> list["MassageSession"]:
        """log_many's sessions, links and cleaning records, made ready in `batch`."""
        zone = owner.profile.zone
        sessions, links = [], []
        for values in entries:
            session = self.model(owner=owner)
            links.append(assign(session, values))
            if session.local_date is None:
                session.set_local_date(zone)
            sessions.append(session)
        batch.add(sessions)
        for session in sessions:
            session._stored_reaction = session.reaction
        pairs = list(zip(sessions, links, strict=True))
        for name in ("tools", "products"):
            batch.link(self.model, name, [(s, many.get(name, ())) for s, many in pairs])
        _record_cleaning(pairs, batch)
        return sessions

    @transaction.atomic
    def remove_all(self) -> list[dict[str, Any]]:
        """Delete these sessions. The snapshots returned bring them back (`restore`): every
        value, the same ids, and their links to tools, products and photos."""
        rows = snapshot_rows(self.order_by("pk"))
        ids = [row["id"] for row in rows]
        # These sessions as a subquery: a list of thousands of ids costs a foreign key's
        # lookup far more Python time than the database's.
        chosen = self.values("pk")
        tools = _linked(self.model, "tools", chosen)
        products = _linked(self.model, "products", chosen)
        photos: dict[int, list[int]] = defaultdict(list)
        photo_model = self.model._meta.get_field("photos").related_model
        for session_id, photo_id in photo_model.objects.filter(session__in=chosen).values_list(
            "session_id", "pk"
        ):
            photos[session_id].append(photo_id)
        snapshots = [
            row | {"tools": tools[pk], "products": products[pk], "photos": photos[pk]}
            for pk, row in zip(ids, rows, strict=True)
        ]
        self.model.objects.filter(pk__in=ids).delete()
        return snapshots

    @transaction.atomic
    def restore(self, owner, snapshots: Iterable[dict[str, Any]]) -> list["MassageSession"]:
        """Bring back sessions that `remove_all` deleted, as `owner`'s, with their ids and links.

        Links to what has gone meanwhile (a deleted tool, a photo deleted or given another
        session) are left out; a session that is back already is not made twice.
        """
        snapshots = list(snapshots)
        back = set(self.filter(pk__in=[s["id"] for s in snapshots]).values_list("pk", flat=True))
        snapshots = [s for s in snapshots if s["id"] not in back]
        if not snapshots:
            return []
        mine = self.for_user(owner)
        routines = _owned_ids(Routine, owner, (s["routine_id"] for s in snapshots))
        tools = _owned_ids(Tool, owner, (pk for s in snapshots for pk in s["tools"]))
        products = _owned_ids(Product, owner, (pk for s in snapshots for pk in s["products"]))
        sessions = [rebuild(self.model, values, owner=owner) for values in snapshots]
        taken = set(
            mine.filter(client_id__in=[s.client_id for s in sessions if s.client_id]).values_list(
                "client_id", flat=True
            )
        )
        for session in sessions:
            if session.routine_id not in routines:
                session.routine_id = None
            if session.client_id in taken:
                session.client_id = None  # a later log has it now
        batch = Batch()
        batch.add(sessions, as_they_were=True)
        for session in sessions:
            # As read from the database: a later edit can tell what it changes.
            session._stored_performed_at, session._stored_reaction = (
                session.performed_at,
                session.reaction,
            )
        by_id = {s["id"]: s for s in snapshots}
        for name, kept in (("tools", tools), ("products", products)):
            batch.link(
                self.model,
                name,
                [(s, [pk for pk in by_id[s.pk][name] if pk in kept]) for s in sessions],
            )
        batch.afterwards(lambda: _give_back_photos(owner, sessions, by_id))
        write_now(batch)
        return sessions


def _give_back_photos(owner, sessions: list["MassageSession"], snapshots: dict) -> None:
    """Photos go back to their restored sessions (in one update), unless deleted or given
    another session meanwhile."""
    session_of = {pk: s.pk for s in sessions for pk in snapshots[s.pk]["photos"]}
    if not session_of:
        return
    photo_model = MassageSession._meta.get_field("photos").related_model
    photo_model.objects.filter(owner=owner, pk__in=session_of, session__isnull=True).update(
        session_id=models.Case(
            *(
                models.When(pk=photo, then=models.Value(session))
                for photo, session in session_of.items()
            ),
            output_field=models.BigIntegerField(),
        )
    )


def _linked(model: type[models.Model], name: str, ids: models.QuerySet) -> dict[int, list[int]]:
    """The ids each row links to through a many-to-many field, in one query."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    linked: dict[int, list[int]] = defaultdict(list)
    for row, other in through.objects.filter(**{f"{source}__in": ids}).values_list(source, target):
        linked[row].append(other)
    return linked


def _owned_ids(model: type[models.Model], owner, ids: Iterable[int | None]) -> set[int]:
    wanted = {pk for pk in ids if pk is not None}
    return set(model.objects.for_user(owner).filter(pk__in=wanted).values_list("pk", flat=True))


def _record_cleaning(
    logged: Iterable[tuple["MassageSession", dict[str, Any]]], batch: Batch
) -> None:
    """Ticking "clean hands and tools" is the tools' hygiene record too: each tool's latest
    such day. A tool new in the same batch (an import) gets it in its own row; the others in
    one update once the batch is written."""
    cleaned_on: dict[int, tuple[Any, date]] = {}
    for session, many in logged:
        if session.clean_hands_and_tools:
            for tool in many.get("tools", ()):
                key = id(tool) if getattr(tool, "pk", tool) is None else getattr(tool, "pk", tool)
                _, day = cleaned_on.get(key, (tool, date.min))
                cleaned_on[key] = (tool, max(day, session.local_date))
    saved = {}
    for tool, day in cleaned_on.values():
        if isinstance(tool, Tool) and batch.holds(tool):
            if tool.last_cleaned_on is None or tool.last_cleaned_on < day:
                batch.amend(tool, "last_cleaned_on", day)
        else:
            saved[getattr(tool, "pk", tool)] = day
    if len(saved) == 1:
        [(pk, day)] = saved.items()
        batch.afterwards(lambda: Tool.objects.filter(pk=pk).mark_cleaned(day))
    elif saved:
        batch.afterwards(lambda: Tool.objects.filter(pk__in=saved).mark_cleaned_on(saved))


class MassageSession(Editable):
    """One logged massage session (named so it does not clash with Django's sessions)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    performed_at = MomentField(default=timezone.now)
    # The calendar day in the owner's zone when it was logged; weeks are counted from it,
    # so a later change of time zone does not move past sessions between weeks.
    local_date = models.DateField(editable=False)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    routine = models.ForeignKey(Routine, on_delete=models.SET_NULL, null=True, blank=True)
    techniques = models.JSONField(default=list, blank=True)
    areas = models.JSONField(default=list, blank=True)
    tools = models.ManyToManyField(Tool, blank=True)
    products = models.ManyToManyField(Product, blank=True)
    pressure = models.CharField(max_length=10, choices=Pressure.choices, default=Pressure.GENTLE)
    cleansed_skin = models.BooleanField(default=False)
    clean_hands_and_tools = models.BooleanField(default=False)
    used_slip = models.BooleanField("used an oil or serum for slip", default=False)
    reaction = models.CharField(
        "skin reaction",
        max_length=12,
        choices=Reaction.choices,
        blank=True,
        default=Reaction.NOT_RECORDED,
    )
    # When a reaction was last recorded: its advice shows until the next session is logged.
    reaction_noted_at = models.DateTimeField(null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(blank=True, max_length=2000)
    # The one-time id the log form (or the phone's offline queue) sent: see SessionQuerySet.log.
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every dashboard and history query filters by owner and a range of local days.
            models.Index(fields=["owner", "local_date"], name="session_owner_local_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_SESSION_MINUTES),
                name="session_minutes_in_range",
            ),
            # A log sent twice (double tap, offline replay) must create one session.
            models.UniqueConstraint(
                fields=["owner", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="session_client_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.local_date}"

    def save(self, *args, **kwargs) -> None:
        if self.local_date is None:
            self.set_local_date(self.owner.profile.zone)
        if self.reaction != getattr(self, "_stored_reaction", Reaction.NOT_RECORDED):
            self.reaction_noted_at = timezone.now() if self.has_reaction else None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "reaction_noted_at"}
        super().save(*args, **kwargs)
        self._stored_performed_at = self.performed_at
        self._stored_reaction = self.reaction

    @property
    def is_short(self) -> bool:
        return self.minutes < MIN_FULL_SESSION_MINUTES

    @property
    def has_reaction(self) -> bool:
        """A reaction that calls for advice (not "no reaction", not "not recorded")."""
        return self.reaction in Reaction.actual()

    def accepts_reaction(self, today: date) -> bool:
        """A reaction can be added for REACTION_WINDOW_DAYS days: a breakout may show late."""
        return self.local_date >= today - timedelta(days=REACTION_WINDOW_DAYS)

    def record_reaction(self, reaction: str) -> None:
        """How the skin reacted, one tap after the session (see accepts_reaction)."""
        self.reaction = Reaction(reaction)
        self.save(update_fields=["reaction", "updated_at"])

    def technique_labels(self) -> list[str]:
        return [Technique(t).label for t in self.techniques if t in Technique.values]

    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas if a in Area.values]

    @classmethod
    def log_routine(
        cls,
        routine: Routine,
        owner,
        performed_at: datetime,
        *,
        steps_done: "Iterable[RoutineStep] | None" = None,
        **details: Any,
    ) -> "MassageSession":
        """A session done with a routine as saved: length, techniques, areas, tools, products.

        After a guided session, `steps_done` are the steps done (the techniques, areas and tools
        come from them alone); `details` add to what the routine says, or correct it (the
        minutes actually spent).
        """
        steps = list(routine.steps.all() if steps_done is None else steps_done)
        if any(step.routine_id != routine.pk for step in steps):
            raise ValueError("Every step done must be one of the routine's.")
        from_routine = {
            "routine": routine,
            "performed_at": performed_at,
            "minutes": min(MAX_SESSION_MINUTES, routine.minutes()),
            **details_of_steps(steps),
            # A paused product is left out until the person uses it again.
            "products": [p for p in routine.products.all() if not p.paused_on],
        }
        return cls.objects.log(owner, **(from_routine | details))

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs) -> "MassageSession":
        session = super().from_db(db, field_names, values, **kwargs)
        # The stored time, so that edit() can tell a new time from the same one: a ModelForm
        # puts the new value on the instance before edit() runs.
        session._stored_performed_at = session.__dict__.get("performed_at")
        # The stored reaction, so that save() can tell when a new one was recorded.
        session._stored_reaction = session.__dict__.get("reaction")
        return session

    @transaction.atomic
    def edit(self, **details: Any) -> Self:
        """Correct a session. Its local day stays, unless its time changes (see local_date)."""
        stored = getattr(self, "_stored_performed_at", None) or self.performed_at
        many = assign(self, details)
        # Times are entered to the minute: seconds dropped by a form are not a new time.
        if _to_minute(self.performed_at) != _to_minute(stored):
            self.set_local_date(self.owner.profile.zone)
        self.save()
        for name, related in many.items():
            getattr(self, name).set(related)
        batch = Batch()
        _record_cleaning([(self, many)], batch)
        batch.write()
        return self

    def remove(self) -> dict[str, Any]:
        """Delete the session; the snapshot returned brings it back (SessionQuerySet.restore)."""
        return type(self).objects.filter(pk=self.pk).remove_all()[0]

    def set_local_date(self, zone: zoneinfo.ZoneInfo) -> None:
        self.local_date = stats.local_date(self.performed_at, zone)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


class RestWeekQuerySet(OwnedQuerySet):
    def mark(self, owner, day: date, reason: str = "") -> "RestWeek":
        """Make the week around `day` (in the owner's weeks) a rest week; once is enough."""
        return self.mark_once(owner, day, reason)[0]

    def mark_once(self, owner, day: date, reason: str = "") -> tuple["RestWeek", bool]:
        """`mark`, and whether the week is newly marked (only then can Undo remove it)."""
        start = owner.profile.week_start_of(day)
        return self.get_or_create(owner=owner, week_start=start, defaults={"reason": reason})

    @transaction.atomic
    def restore(self, owner, values: dict[str, Any]) -> "RestWeek | None":
        """Bring back a rest week that `RestWeek.remove` deleted, with its id; None when that
        week is marked again already."""
        rest = rebuild(self.model, values, owner=owner)
        if self.filter(pk=rest.pk).exists() or (
            self.for_user(owner).filter(week_start=rest.week_start).exists()
        ):
            return None
        rest.save(force_insert=True)
        return rest

    def mark_many(self, owner, days: Iterable[tuple[date, str]]) -> list["RestWeek"]:
        """Mark the weeks around several days, each with its reason, as mark() does one:
        weeks already marked (or given twice) keep their first reason."""
        batch = Batch()
        weeks = self.prepare_marks(owner, days, batch, owner.profile.week_start)
        write_now(batch)
        return weeks

    def prepare_marks(
        self, owner, days: Iterable[tuple[date, str]], batch: Batch, first_weekday: int
    ) -> list["RestWeek"]:
        """mark_many's rest weeks, made ready in `batch`, in weeks from `first_weekday` (an
        import gives the one it is about to set)."""
        taken = set(self.for_user(owner).values_list("week_start", flat=True))
        new: dict[date, RestWeek] = {}
        for day, reason in days:
            start = stats.week_start_of(day, first_weekday)
            if start not in taken:
                new.setdefault(start, self.model(owner=owner, week_start=start, reason=reason))
        return batch.add(new.values())

    def realign(self, owner, first_weekday: int) -> None:
        """Move the owner's rest weeks to the first day of their week under a new week start.

        Each keeps the week it mostly overlapped; two that land on one week become one.
        """
        kept: set[date] = set()
        for rest in self.for_user(owner).order_by("week_start"):
            start = stats.week_start_of(rest.week_start, first_weekday)
            if start in kept:
                rest.delete()
            elif start != rest.week_start:
                rest.week_start = start
                rest.save(update_fields=["week_start"])
            kept.add(start)


class RestWeek(Editable):
    """A week the user paused on purpose: it neither counts nor breaks the streak."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week_start = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    objects = RestWeekQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            # Marking the same week twice would be meaningless.
            models.UniqueConstraint(fields=["owner", "week_start"], name="rest_week_once"),
        ]

    def __str__(self) -> str:
        return f"Rest week from {self.week_start}"

    def remove(self) -> dict[str, Any]:
        """Count the week as an ordinary one again; the snapshot returned brings it back."""
        values = snapshot(self)
        self.delete()
        return values
