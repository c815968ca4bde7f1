"""Reading what the app answered and stored: its messages, its numbers, its files."""

import re

from django.contrib.messages import get_messages
from django.core.files.storage import default_storage

from tracker.models import (
    HealthCheck,
    MassageSession,
    Product,
    ProgressPhoto,
    RestWeek,
    Routine,
    Tool,
)


def messages_of(response) -> list[str]:
    """The flash messages a request left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def streak(html: str) -> int:
    """The current streak on the dashboard."""
    return int(re.search(r'data-testid="streak">(\d+)<', html).group(1))


def stored_files() -> list[str]:
    """Every photo file in storage, sorted."""
    try:
        return sorted(f"photos/{name}" for name in default_storage.listdir("photos")[1])
    except FileNotFoundError:
        return []


def photo_file_names(photos: list[ProgressPhoto]) -> list[str]:
    """The names of the photos' images and thumbnails in storage."""
    return [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]


def owned_counts(owner) -> dict[str, int]:
    """How many of each kind of thing the owner has."""
    return {
        model.__name__: model.objects.filter(owner=owner).count()
        for model in (Tool, Product, Routine, MassageSession, RestWeek, ProgressPhoto, HealthCheck)
    }


# Lock screens and inboxes are not private: no reminder, email or feed mentions any of these.
PRIVATE_WORDS = [
    "skin",
    "reaction",
    "redness",
    "irritat",
    "bruis",
    "breakout",
    "acne",
    "rosacea",
    "eczema",
    "pregnan",
    "health",
    "photo",
    "pain",
    # Issue 12's words: the check before you start and its answers (tracker/models/health.py),
    "before you start",
    "sunburn",
    "peel",
    "laser",
    "microdermabrasion",
    "procedure",
    "filler",
    "botulinum",
    "botox",
    "toxin",
    "injectable",
    "thinner",
    # the advice after a reaction, and a product paused or patch-tested because of one.
    "advice",
    "pause",
    "resume",
    "stop using",
    "patch test",
    "patch-test",
    "patch_test",
]


def private_words_in(text: str) -> list[str]:
    """The words about skin, health or photos that `text` mentions (none, for a reminder)."""
    return [word for word in PRIVATE_WORDS if word in text.lower()]


def sessions_of(owner) -> list[MassageSession]:
    """The owner's sessions, oldest day first."""
    return list(MassageSession.objects.for_user(owner).order_by("local_date"))
