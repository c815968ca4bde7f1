"""Undo, one rule everywhere: for 30 seconds after a deletion (or an import, or a rest week
marked), an Undo that brings back exactly what was there.

Nothing is soft-deleted. What an Undo needs travels with it, in a token signed with the
site's secret key (django.core.signing): the snapshot of the rows deleted, or the ids of the
rows added. A token is good for UNDO_SECONDS, for the person it was made for only, and it is
carried out by the models' own methods (`restore`, `remove`, `remove_all`).
"""

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder

from tracker.models import MassageSession, RestWeek, RoutineFull, RoutineStep

UNDO_SECONDS = 30
SALT = "tracker.undo"

SESSIONS_CHANGED = "sessions-changed"
STEPS_CHANGED = "steps-changed"
REST_WEEKS_CHANGED = "rest-weeks-changed"
# Tells the page's undo area that an offer waits for it.
OFFERED = "undo-offered"


class UndoRefused(Exception):
    """A token that is too old or damaged: the message says so to the person."""


class NotYours(Exception):
    """A token made for someone else: it does nothing, and says nothing about them."""


class JSONWithDates:
    """signing's JSON, able to carry dates, times and UUIDs (read back by the models)."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":"), cls=DjangoJSONEncoder).encode("latin-1")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("latin-1"))


@dataclass(frozen=True)
class Offer:
    """What the page shows after an action: what happened and, while it lasts, an Undo."""

    message: str
    token: str = ""
    seconds: int = UNDO_SECONDS
    error: bool = False


@dataclass(frozen=True)
class Outcome:
    """What an Undo did: a message, the events that make the page refresh its parts, and,
    when the Undo itself deleted something, an offer to undo that in turn."""

    message: str
    events: set[str] = field(default_factory=set)
    offer: Offer | None = None


# Where an offer waits for the next page when the action ended in a redirect (no JavaScript).
STASH = "tracker.undo.offer"


def stash(session, offer: Offer) -> None:
    session[STASH] = {
        "message": offer.message,
        "token": offer.token,
        "seconds": offer.seconds,
        "error": offer.error,
    }


def take_stashed(session) -> Offer | None:
    """The offer a redirect left for this page, once."""
    values = session.pop(STASH, None)
    return Offer(**values) if values else None


def offer(user, kind: str, payload: dict[str, Any], message: str) -> Offer:
    token = signing.dumps(
        {"user": user.pk, "kind": kind, "payload": payload},
        salt=SALT,
        serializer=JSONWithDates,
        compress=True,
    )
    return Offer(message, token)


def read(user, token: str) -> tuple[str, dict[str, Any]]:
    try:
        data = signing.loads(token, salt=SALT, serializer=JSONWithDates, max_age=UNDO_SECONDS)
    except signing.SignatureExpired:
        raise UndoRefused(
            f"Too late to undo: that was more than {UNDO_SECONDS} seconds ago."
        ) from None
    except signing.BadSignature:
        raise UndoRefused("That Undo is damaged, so nothing was changed.") from None
    if data.get("user") != user.pk:
        raise NotYours
    if data.get("kind") not in ACTIONS:
        raise UndoRefused("That Undo is no longer possible, so nothing was changed.")
    return data["kind"], data["payload"]


def carry_out(user, token: str) -> Outcome:
    """Undo what the token says, through the models' methods."""
    kind, payload = read(user, token)
    return ACTIONS[kind](user, payload)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# Offers, one for each action that can be undone


def session_removed(user, session_snapshot: dict[str, Any], when: str) -> Offer:
    message = f"Deleted the session of {when}."
    return offer(user, "restore-sessions", {"sessions": [session_snapshot]}, message)


def step_removed(user, step_snapshot: dict[str, Any], number: int, name: str) -> Offer:
    message = f"Removed step {number} ({name})."
    return offer(user, "restore-step", {"step": step_snapshot}, message)


def rest_week_removed(user, rest_snapshot: dict[str, Any]) -> Offer:
    message = f"The week of {week_words(rest_snapshot['week_start'])} counts again."
    return offer(user, "restore-rest-week", {"rest_week": rest_snapshot}, message)


def rest_week_marked(user, rest: RestWeek) -> Offer:
    message = f"The week of {week_words(rest.week_start)} is a rest week."
    return offer(user, "remove-rest-week", {"id": rest.pk}, message)


def sessions_imported(user, ids: list[int]) -> Offer:
    message = f"Imported {plural(len(ids), 'session', 'sessions')} from Loop."
    return offer(user, "remove-sessions", {"ids": ids}, message)


def week_words(day: date | str) -> str:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day} {day:%b %Y}"


# What each kind of Undo does


def restore_sessions(user, payload: dict[str, Any]) -> Outcome:
    restored = MassageSession.objects.restore(user, payload["sessions"])
    if not restored:
        return Outcome("Already undone: nothing more to bring back.")
    count = plural(len(restored), "session", "sessions")
    return Outcome(f"Restored {count}.", {SESSIONS_CHANGED})


def remove_sessions(user, payload: dict[str, Any]) -> Outcome:
    removed = MassageSession.objects.for_user(user).filter(pk__in=payload["ids"]).remove_all()
    if not removed:
        return Outcome("Already undone: those sessions are gone.")
    message = f"Removed the {plural(len(removed), 'session', 'sessions')} just imported."
    again = offer(user, "restore-sessions", {"sessions": removed}, message)
    return Outcome(message, {SESSIONS_CHANGED}, again)


def restore_step(user, payload: dict[str, Any]) -> Outcome:
    try:
        step = RoutineStep.objects.restore(user, payload["step"])
    except RoutineFull as full:
        return Outcome(f"The step was not put back: {full}")
    if step is None:
        return Outcome("Nothing to put back: the step is there already, or its routine is gone.")
    return Outcome(f"Put step {step.order + 1} ({step}) back.", {STEPS_CHANGED})


def restore_rest_week(user, payload: dict[str, Any]) -> Outcome:
    rest = RestWeek.objects.restore(user, payload["rest_week"])
    if rest is None:
        return Outcome("Already undone: that week is a rest week.")
    return Outcome(
        f"The week of {week_words(rest.week_start)} is a rest week again.", {REST_WEEKS_CHANGED}
    )


def remove_rest_week(user, payload: dict[str, Any]) -> Outcome:
    rest = RestWeek.objects.for_user(user).filter(pk=payload["id"]).first()
    if rest is None:
        return Outcome("Already undone: that week counts as usual.")
    rest.remove()
    return Outcome(f"The week of {week_words(rest.week_start)} counts again.", {REST_WEEKS_CHANGED})


ACTIONS = {
    "restore-sessions": restore_sessions,
    "remove-sessions": remove_sessions,
    "restore-step": restore_step,
    "restore-rest-week": restore_rest_week,
    "remove-rest-week": remove_rest_week,
}
