"""The installable app: its manifest, and what its service worker is told.

The service worker at /sw.js is a few lines written here (its configuration, then
importScripts of static/js/log-queue.js, static/js/service-worker.js and static/js/sw-push.js,
the reminders' notifications); its version is a hash of the static files it keeps or runs, so
a deploy that changes any of them changes /sw.js, and the browser installs the new worker.
Colours follow static/css/app.css.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse

NAME = "Facetrack: facial massage habit tracker"
SHORT_NAME = "Facetrack"
DESCRIPTION = (
    "Log a facial-massage session in one tap, see this week against your target, "
    "and compare progress photos taken at the same angle."
)
# The header's colour (theme) and the page's (background), light and dark, as in app.css.
LIGHT = {"theme_color": "#ffffff", "background_color": "#fbf8f6"}
DARK = {"theme_color": "#241e21", "background_color": "#191517"}

# What the pages that may be kept offline need; photo pages are never kept, so their scripts
# (camera, compare) are not either.
PRECACHE = [
    "css/app.css",
    "js/app.js",
    "js/log-queue.js",
    "js/offline.js",
    "js/guide.js",
    "favicon.svg",
    "django_htmx/htmx-2.min.js",
]
WORKER_SCRIPTS = ["js/log-queue.js", "js/service-worker.js", "js/sw-push.js"]
# Sent by the worker when it fetches a page only to keep a copy (service-worker.js keepPage).
KEEP_HEADER = "X-Facetrack-Keep"


def fetched_to_keep(request) -> bool:
    """A page fetched for the phone's offline copy, not shown to anyone now."""
    return request.headers.get(KEEP_HEADER) == "1"


def precache_paths() -> list[str]:
    # {% htmx_script %} adds django-htmx's debug helper when DEBUG is on.
    return PRECACHE + (["django_htmx/django-htmx.js"] if settings.DEBUG else [])


def version() -> str:
    """Changes whenever a file the worker keeps or runs changes, or the manifest does."""
    digest = hashlib.sha256(json.dumps(manifest(), sort_keys=True).encode())
    hashed_names = isinstance(staticfiles_storage, ManifestFilesMixin)
    for path in [*precache_paths(), *WORKER_SCRIPTS]:
        digest.update(static(path).encode())
        # Without collectstatic's hashed names (development), the contents say it instead.
        if not hashed_names and (found := finders.find(path)):
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


def worker_config() -> dict[str, Any]:
    """What /sw.js tells the worker: the files to keep, and the URLs it must know."""
    return {
        "version": version(),
        "precache": [static(path) for path in precache_paths()],
        "staticPrefix": settings.STATIC_URL,
        "stylesheet": static("css/app.css"),
        "icon": static("favicon.svg"),
        "identity": reverse("tracker:offline-identity"),
        "logout": reverse("logout"),
        "home": reverse("tracker:dashboard"),
        # Pages under these are never kept: photos and the answers about health (private,
        # and no-store anyway), the log-in pages (someone else may log in next), the admin;
        # Settings (the calendar's secret address), the reminders' and the calendar feed's
        # addresses (a secret token in the URL itself; no-store anyway).
        "neverKeep": [
            "/photos/",
            "/health-check/",
            "/accounts/",
            "/admin/",
            reverse("tracker:profile"),
            "/reminders/",
            "/calendar/",
        ],
        "photos": "/photos/",
        "keepHeader": KEEP_HEADER,
    }


def worker_script() -> str:
    scripts = ", ".join(json.dumps(static(path)) for path in WORKER_SCRIPTS)
    return (
        "// Facetrack's service worker: written by tracker/webapp.py; the code is in the"
        " scripts it imports.\n"
        f"self.FACETRACK = {json.dumps(worker_config(), indent=1)};\n"
        f"importScripts({scripts});\n"
    )


def icon(path: str, size: int, purpose: str = "any") -> dict[str, str]:
    return {
        "src": static(path),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }


def manifest() -> dict[str, Any]:
    home = reverse("tracker:dashboard")
    return {
        "id": home,
        "name": NAME,
        "short_name": SHORT_NAME,
        "description": DESCRIPTION,
        "lang": "en-GB",
        "dir": "ltr",
        "start_url": home,
        "scope": "/",
        "display": "standalone",
        **LIGHT,
        # The manifest's own dark colours (w3c/manifest #1207); the pages' theme-color meta
        # tags say the same for browsers that do not read this yet.
        "color_scheme_dark": DARK,
        "categories": ["health", "lifestyle"],
        "icons": [
            icon("icons/icon-192.png", 192),
            icon("icons/icon-512.png", 512),
            icon("icons/icon-maskable-192.png", 192, "maskable"),
            icon("icons/icon-maskable-512.png", 512, "maskable"),
        ],
        "shortcuts": [
            {
                "name": "Log a session",
                "short_name": "Log",
                "description": "Log a session with one tap, even offline",
                "url": f"{home}#log",
                "icons": [icon("icons/shortcut-log-96.png", 96)],
            },
            {
                "name": "Add a photo",
                "short_name": "Photo",
                "description": "Take or upload a progress photo",
                "url": reverse("tracker:photo-new"),
                "icons": [icon("icons/shortcut-photo-96.png", 96)],
            },
        ],
    }
