"""Rendered parts of pages kept in the `pages` cache: the dashboard's progress, the history's
list of sessions.

The progress part (week, streak, strength, totals, chart, calendar, expectation) depends only
on the person's sessions and rest weeks, their settings and their local date. Its key holds
the owner (id and the moment the account was made: a later account never meets an earlier
one's entries), the local date and the settings; beside the part is kept the profile's data
version it was rendered at (the database adds one to it with every write the dashboard
shows, see tracker.models.versions), and a part of another version is not used. A write
changes the version in its own transaction, so no later request can read an older part.

The part's one form carries a CSRF token, which belongs to the visitor's browser, not to the
person: the cached HTML holds a placeholder, replaced on the way out.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tracker.progress import build_progress
from tracker.templatetags.tracker_tags import CLIENT_ID_PLACEHOLDER

PROGRESS_TEMPLATE = "tracker/dashboard.html#progress"
CSRF_PLACEHOLDER = "csrf-token-placeholder-7Kq2"


def fingerprinted_files() -> list[Path]:
    """The templates and code that render the cached parts."""
    here = Path(__file__).resolve().parent
    return [
        *sorted((settings.BASE_DIR / "templates" / "tracker").glob("*.html")),
        *sorted(here.glob("*.py")),
        *sorted((here / "guidance").glob("*.py")),
        *sorted((here / "templatetags").glob("*.py")),
    ]


def _fingerprint() -> str:
    """The code and templates that render the parts: a deploy never serves an older design
    from a shared (Redis) cache."""
    digest = hashlib.blake2b(digest_size=6)
    for path in fingerprinted_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


FINGERPRINT = _fingerprint()


@dataclass(frozen=True)
class Part:
    html: SafeString
    # What the rest of the page asks of the progress without counting it all again.
    has_sessions: bool
    today: date


def progress_key(user, profile, today: date) -> str:
    return part_key("progress", user, profile, today)


def part_key(name: str, user, profile, today: date, *more: object) -> str:
    return ":".join(
        str(value)
        for value in (
            name,
            FINGERPRINT,
            user.pk,
            int(user.date_joined.timestamp()),
            today.isoformat(),
            profile.timezone,
            profile.week_start,
            profile.target_min,
            profile.target_stretch,
            profile.target_minutes,
            *more,
        )
    )


def progress_part(request, profile, *, after_change: bool = False) -> Part:
    """The dashboard's progress part for the signed-in person, from the cache when it can.

    `after_change`: this request wrote, so the version loaded with the profile is old; read
    it again (one query) before counting, then count and keep the part under the new one.
    """
    user = request.user
    if after_change:
        profile.fresh_data_version()
    today = profile.today()
    key = progress_key(user, profile, today)
    part = None if after_change else cached(key, profile)
    if part is None:
        # The version was read before the rows: the part is never older than its version.
        progress = build_progress(user, profile)
        html = render_to_string(
            PROGRESS_TEMPLATE,
            {"progress": progress, "profile": profile, "csrf_token": CSRF_PLACEHOLDER},
        )
        part = (html, bool(progress.totals.sessions))
        keep(key, profile, part)
    html, has_sessions = part
    return Part(personalised(request, html), has_sessions, today)


def cached(key: str, profile):
    """What is kept under `key`, if it was rendered at the profile's data version.

    The version is kept beside the part, not in its key: a person has one entry per part,
    replaced at each change, so a process's memory holds no older versions of anyone's pages.
    """
    kept = caches["pages"].get(key)
    if kept is None or kept[0] != profile.data_version:
        return None
    return kept[1]


def keep(key: str, profile, part) -> None:
    caches["pages"].set(key, (profile.data_version, part))


def out_of_band(html: str, element_id: str) -> SafeString:
    """A part for htmx to swap in by its id, alongside the response's main content."""
    opening = f'id="{element_id}"'
    if opening not in html:
        raise ValueError(f"no element with id {element_id}")
    return mark_safe(html.replace(opening, f'{opening} hx-swap-oob="true"', 1))


def session_list(request, profile, render) -> SafeString:
    """The history's list for this address (page, week), from the cache when it can.

    `render(context_extra)` renders it; the rows' forms carry the placeholder token.
    """
    today = profile.today()
    # The address as a digest: a query string of any length makes a key of one length.
    address = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    key = part_key("sessions", request.user, profile, today, address)
    html = cached(key, profile)
    if html is None:
        html = render({"csrf_token": CSRF_PLACEHOLDER})
        keep(key, profile, html)
    return personalised(request, html)


def dashboard_parts(request, profile, render) -> tuple[SafeString, ...]:
    """The dashboard's page around the email prompt, from the cache when it can.

    `render(context_extra)` renders the parts; their forms carry placeholders for the CSRF
    token and the one-time log ids, made fresh for every answer here.
    """
    today = profile.today()
    key = part_key("dashboard", request.user, profile, today)
    parts = cached(key, profile)
    if parts is None:
        parts = render({"csrf_token": CSRF_PLACEHOLDER, "client_ids_later": True})
        keep(key, profile, parts)
    return tuple(personalised(request, html) for html in parts)


def personalised(request, html: str) -> SafeString:
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if CLIENT_ID_PLACEHOLDER in html:
        pieces = html.split(CLIENT_ID_PLACEHOLDER)
        html = pieces[0] + "".join(str(uuid.uuid4()) + piece for piece in pieces[1:])
    return mark_safe(html)
