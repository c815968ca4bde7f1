"""What the compare view shows beside two photos: whether they are lined up by the eyes, and
the warnings that keep a comparison honest (light, and the glow right after a session).

Used by the photo comparison and by an experiment's result; a constant number of queries.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse

from tracker import light as photo_light
from tracker.models import MassageSession, PhotoComparison, ProgressPhoto

# A session's extra blood flow lasts 10 to 40 minutes (see the "glow-photo" guidance); a
# session's time may be when it started, so a photo within the hour after it is suspect.
GLOW_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class ShownPair:
    """A comparison as the page shows it: the images' addresses and what to warn about."""

    comparison: PhotoComparison
    aligned: bool
    urls: tuple[str, str]
    light: list[str] = field(default_factory=list)
    after_session: list[tuple[str, ProgressPhoto, MassageSession | None]] = field(
        default_factory=list
    )
    threshold: int = photo_light.THRESHOLD

    @property
    def marked(self) -> list[ProgressPhoto]:
        """The photos of the pair whose eyes are not marked yet."""
        return [photo for photo in self.comparison.pair if photo.eyes is None]


def shown_pair(comparison: PhotoComparison, *, want_aligned: bool = True) -> ShownPair:
    before, after = comparison.pair
    aligned = want_aligned and before.eyes is not None and after.eyes is not None
    files = [photo.aligned_file() if aligned else photo.image for photo in (before, after)]
    if aligned and not all(files):
        aligned, files = False, [before.image, after.image]
    view = "tracker:photo-aligned" if aligned else "tracker:photo-image"
    return ShownPair(
        comparison,
        aligned,
        (reverse(view, args=[before.pk]), reverse(view, args=[after.pk])),
        light=light_differences(files),
        after_session=right_after_a_session(before, after),
    )


def light_differences(files) -> list[str]:
    """The differences of light between the two images shown, in words; none if unreadable."""
    try:
        measured = []
        for file in files:
            with file.open("rb") as stored:
                measured.append(photo_light.measure_jpeg(stored.read()))
    except (OSError, ValueError, SyntaxError):
        return []
    return photo_light.differences(*measured)


def right_after_a_session(*photos: ProgressPhoto):
    """Each photo labelled "right after a session", or taken within GLOW_WINDOW after a
    logged session without being labelled "before": (which, photo, the session or None)."""
    near = Q()
    for photo in photos:
        near |= Q(performed_at__range=(photo.taken_at - GLOW_WINDOW, photo.taken_at))
    sessions = list(
        MassageSession.objects.filter(near, owner_id=photos[0].owner_id).order_by("performed_at")
    )
    found = []
    for which, photo in zip(("earlier", "later"), photos, strict=True):
        if photo.shows_glow:
            found.append((which, photo, None))
        elif photo.timing != ProgressPhoto.Timing.BEFORE:
            session = next(
                (
                    s
                    for s in reversed(sessions)
                    if photo.taken_at - GLOW_WINDOW <= s.performed_at <= photo.taken_at
                ),
                None,
            )
            if session:
                found.append((which, photo, session))
    return found
