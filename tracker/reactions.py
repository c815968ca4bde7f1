"""The reaction loop: advice for the skin's reaction to a session, with the products that may
have caused it. A pure function picks the products; the rest is two queries at most."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tracker import guidance, stats
from tracker.guidance import Guidance
from tracker.models import MassageSession, Product, Profile


def first_used_recently[T](
    first_uses: Iterable[tuple[T, datetime]], *, zone: ZoneInfo, today: date, days: int
) -> list[T]:
    """The items whose first use fell on one of the last `days` local days, `today` included.

    `first_uses` pairs each item with the moment it was first used; the day of that moment
    is read in `zone`, the person's time zone, like `today`. Newest first.
    """
    since = today - timedelta(days=days - 1)
    recent = [
        (stats.local_date(moment, zone), item)
        for item, moment in first_uses
        if since <= stats.local_date(moment, zone) <= today
    ]
    return [item for _, item in sorted(recent, key=lambda pair: pair[0], reverse=True)]


@dataclass(frozen=True)
class ReactionAdvice:
    session: MassageSession
    advice: Guidance
    doctor: Guidance = guidance.SEE_A_DOCTOR
    products: list[Product] = field(default_factory=list)

    @property
    def lists_products(self) -> bool:
        return self.session.reaction in guidance.PRODUCT_REACTIONS

    @property
    def offers_rest_week(self) -> bool:
        return self.session.reaction == "bruising"


def advice_for(session: MassageSession, profile: Profile) -> ReactionAdvice | None:
    """What to do about this session's reaction; None if it had none to act on."""
    if not session.has_reaction:
        return None
    products = []
    if session.reaction in guidance.PRODUCT_REACTIONS:
        products = recently_started_products(session.owner_id, profile)
    return ReactionAdvice(session, guidance.REACTIONS[session.reaction], products=products)


def current_advice(user, profile: Profile) -> ReactionAdvice | None:
    """The advice that still stands: for the latest reaction, until the next session."""
    session = MassageSession.objects.for_user(user).reaction_to_answer()
    return advice_for(session, profile) if session else None


def recently_started_products(owner_id: int, profile: Profile) -> list[Product]:
    """The person's products first used in the last RECENT_PRODUCT_DAYS days of their zone."""
    days = guidance.RECENT_PRODUCT_DAYS
    # A day's margin: the database compares instants, the rule compares local days.
    candidates = Product.objects.filter(owner_id=owner_id).first_used_after(
        timezone.now() - timedelta(days=days + 1)
    )
    return first_used_recently(
        ((product, product.first_used) for product in candidates),
        zone=profile.zone,
        today=profile.today(),
        days=days,
    )
