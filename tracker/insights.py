"""What goes with a reaction: sessions with each thing used against sessions without it.

`compare` is a pure function of plain rows (one per session, and the tools and products
linked to them); `insights_for` feeds it from three queries, however long the history.

Only sessions whose reaction was recorded count: "not recorded" is not "no reaction", so
those sessions are left out of both sides and counted apart. Each comparison needs at least
MIN_SESSIONS sessions with the thing and as many without; the rest say "too few sessions to
tell". The comparisons made are tested with Fisher's exact test and corrected together with
Holm's method, then said in words: a difference is never called a cause.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tracker.models import Area, MassageSession, Pressure, Reaction, Technique
from tracker.statistics import Verdict, fisher_exact, holm

MIN_SESSIONS = 5
MONTHS = 6

KINDS = (
    ("product", "Products"),
    ("tool", "Tools"),
    ("technique", "Techniques"),
    ("area", "Areas"),
    ("pressure", "Pressure"),
)


@dataclass(frozen=True)
class SessionRow:
    """One session's reaction and what it was done with, as plain values."""

    reaction: str
    pressure: str
    techniques: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    tools: tuple[tuple[int, str], ...] = ()
    products: tuple[tuple[int, str], ...] = ()

    def things(self) -> set[tuple[str, object, str]]:
        """(kind, key, how it is named) for everything this session was done with."""
        found = {("pressure", self.pressure, _label(Pressure, self.pressure))}
        found |= {("technique", t, _label(Technique, t)) for t in self.techniques}
        found |= {("area", a, _label(Area, a)) for a in self.areas}
        found |= {("tool", pk, name) for pk, name in self.tools}
        found |= {("product", pk, name) for pk, name in self.products}
        return found


@dataclass(frozen=True)
class Side:
    """Sessions with a recorded reaction on one side of a comparison, and those that reacted."""

    sessions: int
    reacted: int
    kinds: tuple[tuple[str, int], ...] = ()

    @property
    def share(self) -> float:
        return self.reacted / self.sessions if self.sessions else 0.0


@dataclass(frozen=True)
class Comparison:
    kind: str
    key: object
    name: str
    with_it: Side
    without_it: Side
    # Fisher's p-value, and Holm's across the page; None when there were too few sessions.
    p_value: float | None = None
    adjusted: float | None = None

    @property
    def enough(self) -> bool:
        return min(self.with_it.sessions, self.without_it.sessions) >= MIN_SESSIONS

    @property
    def verdict(self) -> Verdict | None:
        return None if self.adjusted is None else Verdict(self.adjusted)

    @property
    def phrase(self) -> str:
        """How "sessions ___" reads for this thing."""
        if self.kind == "pressure":
            return f"with {self.name.lower()} pressure"
        return f"with “{self.name}”"

    @property
    def direction(self) -> str:
        if self.with_it.share > self.without_it.share:
            return "more often"
        if self.with_it.share < self.without_it.share:
            return "less often"
        return "as often"


@dataclass(frozen=True)
class Insights:
    since: date
    today: date
    sessions: int
    not_recorded: int
    reaction_word: str
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return self.sessions - self.not_recorded

    @property
    def tested(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.enough]

    @property
    def findings(self) -> list[Comparison]:
        return [c for c in self.tested if c.verdict and c.verdict.unlikely_chance]

    def by_kind(self) -> list[tuple[str, list[Comparison]]]:
        groups = [(label, [c for c in self.comparisons if c.kind == kind]) for kind, label in KINDS]
        return [(label, items) for label, items in groups if items]


def compare(rows: Iterable[SessionRow], *, since: date, today: date) -> Insights:
    """Every thing used in `rows` set against the sessions without it (see the docstring)."""
    rows = list(rows)
    recorded = [row for row in rows if row.reaction != Reaction.NOT_RECORDED]
    reacted = [row.reaction in Reaction.actual() for row in recorded]
    names: dict[tuple[str, object], str] = {}
    used: dict[tuple[str, object], list[bool]] = {}
    for row in rows:
        for kind, key, name in row.things():
            names.setdefault((kind, key), name)
            used.setdefault((kind, key), [])
    for row in recorded:
        present = {(kind, key) for kind, key, _ in row.things()}
        for thing, flags in used.items():
            flags.append(thing in present)

    comparisons = []
    order = {kind: n for n, (kind, _) in enumerate(KINDS)}
    for (kind, key), flags in sorted(
        used.items(), key=lambda item: (order[item[0][0]], names[item[0]].casefold())
    ):
        with_it = _side(recorded, reacted, flags, True)
        without_it = _side(recorded, reacted, flags, False)
        comparisons.append(Comparison(kind, key, names[(kind, key)], with_it, without_it))

    comparisons = _tested(comparisons)
    kinds = {row.reaction for row in recorded if row.reaction in Reaction.actual()}
    word = Reaction(kinds.pop()).label if len(kinds) == 1 else "A reaction"
    return Insights(
        since=since,
        today=today,
        sessions=len(rows),
        not_recorded=len(rows) - len(recorded),
        reaction_word=word,
        comparisons=comparisons,
    )


def _side(rows: list[SessionRow], reacted: list[bool], flags: list[bool], present: bool) -> Side:
    chosen = [
        (row, r) for row, r, flag in zip(rows, reacted, flags, strict=True) if flag is present
    ]
    kinds = Counter(row.reaction for row, r in chosen if r)
    ordered = tuple((Reaction(k).label, n) for k in Reaction.values if (n := kinds.get(k)))
    return Side(len(chosen), sum(r for _, r in chosen), ordered)


def _tested(comparisons: list[Comparison]) -> list[Comparison]:
    """Fisher's test for each comparison with enough sessions, corrected together (Holm)."""
    enough = [c for c in comparisons if c.enough]
    p_values = [
        fisher_exact(
            c.with_it.reacted,
            c.with_it.sessions - c.with_it.reacted,
            c.without_it.reacted,
            c.without_it.sessions - c.without_it.reacted,
        )
        for c in enough
    ]
    adjusted = dict(zip(map(id, enough), zip(p_values, holm(p_values), strict=True), strict=True))
    return [
        Comparison(c.kind, c.key, c.name, c.with_it, c.without_it, *adjusted[id(c)])
        if id(c) in adjusted
        else c
        for c in comparisons
    ]


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def insights_for(user, today: date) -> Insights:
    """The person's last MONTHS months of sessions compared, in three queries."""
    since = months_before(today, MONTHS)
    sessions = MassageSession.objects.for_user(user).filter(local_date__range=(since, today))
    links: dict[str, dict[int, list[tuple[int, str]]]] = {"tools": {}, "products": {}}
    for name in links:
        through = MassageSession._meta.get_field(name).remote_field.through
        target = name.removesuffix("s")
        pairs = through.objects.filter(massagesession__in=sessions.values("pk")).values_list(
            "massagesession_id", f"{target}_id", f"{target}__name"
        )
        for session_id, pk, label in pairs:
            links[name].setdefault(session_id, []).append((pk, label))
    rows = [
        SessionRow(
            reaction=reaction,
            pressure=pressure,
            techniques=tuple(_strings(techniques)),
            areas=tuple(_strings(areas)),
            tools=tuple(links["tools"].get(pk, ())),
            products=tuple(links["products"].get(pk, ())),
        )
        for pk, reaction, pressure, techniques, areas in sessions.values_list(
            "pk", "reaction", "pressure", "techniques", "areas"
        )
    ]
    return compare(rows, since=since, today=today)


def _strings(values: object) -> list[str]:
    # A JSON list as stored; anything else (a row written some other way) holds nothing.
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value
