"""Where each page belongs in the navigation: one map from URL name to section.

The base template marks the section of the page being shown (aria-current) in the header on
wide screens and in the bottom tab bar on phones. tests/views/test_navigation.py walks every
URL name, so a new page that belongs nowhere fails a test instead of showing an unmarked bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Place:
    section: str
    label: str
    url_name: str
    # In the phone's bottom bar; the other places sit behind its "More".
    in_tab_bar: bool


PLACES = (
    Place("today", "Today", "tracker:dashboard", True),
    Place("history", "History", "tracker:history", True),
    Place("photos", "Photos", "tracker:photos", True),
    Place("routines", "Routines", "tracker:routine-list", True),
    Place("insights", "Insights", "tracker:insights", False),
    Place("gear", "Tools and products", "tracker:gear", False),
    Place("year", "Year", "tracker:year", False),
    Place("sources", "Sources", "tracker:sources", False),
    Place("settings", "Settings", "tracker:profile", False),
)
SECTION_NAMES = {place.section for place in PLACES}

# The app's URL names by section (names without the "tracker:" namespace).
SECTIONS = {
    "today": [
        "dashboard",
        "session-new",
        "log-routine",
        "rest-week-add",
        "rest-week-delete",
        "health-check",
        "health-check-delete",
    ],
    "history": [
        "history",
        "session-detail",
        "session-edit",
        "session-delete",
        "session-reaction",
    ],
    "year": ["year"],
    "photos": [
        "photos",
        "photo-new",
        "photo-compare",
        "photo-edit",
        "photo-delete",
        "photo-eyes",
    ],
    "routines": [
        "routine-list",
        "routine-new",
        "routine-copy-starter",
        "routine-detail",
        "routine-guide",
        "routine-delete",
        "step-add",
        "step-move",
        "step-detail",
        "step-edit",
        "step-delete",
    ],
    "insights": [
        "insights",
        "experiments",
        "experiment-detail",
        "experiment-end",
        "experiment-delete",
    ],
    "gear": [
        "gear",
        "gear-new",
        "gear-edit",
        "gear-delete",
        "tool-cleaned",
        "patch-test-start",
        "product-pause",
        "product-resume",
    ],
    "sources": ["sources"],
    "settings": [
        "profile",
        "data-export",
        "data-import",
        "data-import-loop",
        "account-delete",
        "reminder-plan",
        "reminder-plan-off",
        "push-subscribe",
        "push-unsubscribe",
        "calendar-feed-issue",
        "calendar-feed-off",
        "reminder-unsubscribe",
    ],
}
SECTION_OF = {name: section for section, names in SECTIONS.items() for name in names}

# The app's URLs that answer with something other than a page: files, feeds, parts of pages.
NOT_PAGES = {
    "undo",
    "undo-offer",
    "photo-image",
    "photo-thumbnail",
    "photo-aligned",
    "calendar-feed",
    "health",
    "service-worker",
    "manifest",
    "offline-identity",
}

# The accounts pages (allauth's and ours in front of them) are all part of Settings.
ACCOUNT_PREFIXES = ("account_", "mfa_", "usersessions_")
ACCOUNT_NAMES = {
    "logout",
    "welcome",
    "passkey-add",
    "email-prompt-dismiss",
    "confirm-login-code",
    "login",
    "signup",
}


def section_for(namespace: str, url_name: str | None) -> str | None:
    """The navigation section of the page named `url_name`, or None for no section."""
    if not url_name:
        return None
    if namespace == "tracker":
        return SECTION_OF.get(url_name)
    if namespace == "" and (url_name in ACCOUNT_NAMES or url_name.startswith(ACCOUNT_PREFIXES)):
        return "settings"
    return None


def navigation(request: HttpRequest) -> dict:
    """Context processor: the places of the navigation and the section to mark as current."""
    match = getattr(request, "resolver_match", None)
    section = section_for(match.namespace, match.url_name) if match else None
    return {
        "nav_places": PLACES,
        "nav_section": section,
        "nav_in_more": section is not None
        and any(place.section == section and not place.in_tab_bar for place in PLACES),
    }
