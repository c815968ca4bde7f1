"""Create the demo account with about six months of believable history.

Running it again replaces the demo user's data; the same seed gives the same history,
laid out relative to today so that the streak is always alive.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tracker import stats
from tracker.models import (
    MassageSession,
    Pressure,
    Product,
    Profile,
    Reaction,
    RestWeek,
    Routine,
    Tool,
)
from tracker.starters import STARTERS_BY_SLUG, copy_starter

USERNAME = "demo"
PASSWORD = "demo-password-123"
TIME_ZONE = "Europe/London"
SEED = 20261118
WEEKS = 26

# Counted in weeks before the current one (0 is this week).
MISSED_WEEKS = {22, 15, 11}
REST_WEEK = 7
REDNESS_WEEK = 8
BREAKOUT_WEEK = 17
SHORT_SESSION_WEEKS = {13, 4}

MORNINGS = [time(7, 0), time(7, 15), time(7, 40), time(8, 5)]
EVENINGS = [time(20, 30), time(21, 0), time(21, 20), time(22, 10)]


@dataclass(frozen=True)
class Demo:
    user: User
    sessions: int
    streak: stats.Streak


class Command(BaseCommand):
    help = f"Create the account {USERNAME} / {PASSWORD} with six months of history."

    def handle(self, *args, **options) -> None:
        demo = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in as {USERNAME} / {PASSWORD}: {demo.sessions} sessions over {WEEKS} "
                f"weeks, a streak of {demo.streak.current} (best {demo.streak.best})."
            )
        )


@transaction.atomic
def seed_demo(seed: int = SEED) -> Demo:
    """The demo user, with everything they had before replaced by the seeded history."""
    rng = random.Random(seed)
    user = reset_user()
    profile = user.profile
    today = profile.today()
    now = timezone.now()
    this_week = profile.week_start_of(today)

    Tool.objects.add_for(
        user,
        name="Rose quartz gua sha",
        kind=Tool.Kind.GUA_SHA,
        material="Rose quartz",
        last_cleaned_on=today - timedelta(days=1),
    )
    jojoba = Product.objects.add_for(
        user,
        name="Cold-pressed jojoba oil",
        kind=Product.Kind.OIL,
        key_ingredients="Jojoba seed oil",
        opened_on=today - timedelta(weeks=WEEKS + 2),
        patch_test_started_on=today - timedelta(weeks=WEEKS + 4),
        patch_test=Product.PatchTest.PASSED,
    )
    rosehip = Product.objects.add_for(
        user,
        name="Rosehip seed oil",
        kind=Product.Kind.OIL,
        key_ingredients="Rosehip seed oil, vitamin E",
        opened_on=today - timedelta(days=10),
        patch_test_started_on=today - timedelta(days=6),
        patch_test=Product.PatchTest.PENDING,
    )
    # The gua sha starter picks up the stone above; the others add fingers and knuckles.
    hands, light, gua_sha = (
        copy_starter(STARTERS_BY_SLUG[slug], user) for slug in ("hands-10", "light-5", "gua-sha-8")
    )
    hands.edit(products=[jojoba])
    gua_sha.edit(products=[jojoba])
    # Read each routine's steps and products once, not once per session logged with it.
    routines = Routine.objects.prefetch_related("steps", "products").in_bulk(
        [hands.pk, light.pk, gua_sha.pk]
    )
    hands, light, gua_sha = routines[hands.pk], routines[light.pk], routines[gua_sha.pk]

    RestWeek.objects.mark(
        user,
        this_week - timedelta(weeks=REST_WEEK),
        reason="Letting redness on the cheeks settle",
    )
    sessions = []
    for weeks_ago in range(WEEKS - 1, -1, -1):
        start = this_week - timedelta(weeks=weeks_ago)
        times = session_times(rng, start, weeks_ago, today, now, profile)
        for index, (day, at) in enumerate(times, start=1):
            routine = rng.choices([hands, gua_sha, light], weights=[5, 3, 2])[0]
            if weeks_ago == REDNESS_WEEK and index == len(times):
                routine = gua_sha
            sessions.append(log(rng, routine, user, datetime.combine(day, at, profile.zone)))
        if weeks_ago == REDNESS_WEEK:
            # Too firm under the cheekbones: hence the rest week that follows.
            note(
                sessions[-1],
                pressure=Pressure.FIRM,
                reaction=Reaction.REDNESS,
                rating=2,
                notes="Pressed too hard under the cheekbones; still red an hour later.",
            )
        if weeks_ago == BREAKOUT_WEEK:
            note(sessions[-1], reaction=Reaction.BREAKOUT, notes="A few spots along the jaw.")
        if weeks_ago in SHORT_SESSION_WEEKS:
            note(sessions[-1], minutes=3, notes="Only had three minutes before work.")
    # The new oil, still in its patch test, crept into the last two sessions.
    for session in sessions[-2:]:
        session.edit(products=[*session.products.all(), rosehip])

    days = [session.local_date for session in sessions]
    streak = stats.streaks(
        days,
        first_weekday=profile.week_start,
        minimum=profile.target_min,
        rest_weeks=[this_week - timedelta(weeks=REST_WEEK)],
        today=today,
    )
    return Demo(user=user, sessions=len(sessions), streak=streak)


def reset_user() -> User:
    """The demo user with a fresh profile and nothing else, however often this runs."""
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = Profile.objects.create_account(USERNAME, PASSWORD)
    else:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])  # not tracker data: the demo login
        user.profile.erase_data()
    # In a zone where the demo's mornings and evenings make sense.
    user.profile.change_settings(timezone=TIME_ZONE)
    return user


def session_times(
    rng: random.Random, start: date, weeks_ago: int, today: date, now: datetime, profile: Profile
) -> list[tuple[date, time]]:
    """When the sessions of one week happened: 2 or 3 most weeks, fewer in missed ones."""
    if weeks_ago == REST_WEEK:
        return []
    if weeks_ago in MISSED_WEEKS:
        count = rng.choice([0, 1])
    elif weeks_ago == REDNESS_WEEK:
        count = 2
    else:
        count = rng.choice([2, 2, 3, 3, 3])
    times = []
    for offset in sorted(rng.sample(range(7), count)):
        day = start + timedelta(days=offset)
        at = rng.choice(MORNINGS + EVENINGS)
        times.append((day, at))
    if weeks_ago == 0:
        # This week so far: only what has already happened, and at most two of them.
        local_now = timezone.localtime(now, profile.zone)
        done = [(day, at) for day, at in times if (day, at) < (today, local_now.time())]
        return done[:2]
    return times


def log(rng: random.Random, routine: Routine, user: User, performed_at: datetime) -> MassageSession:
    return MassageSession.log_routine(
        routine,
        user,
        performed_at=performed_at,
        minutes=max(5, routine.minutes() + rng.choice([-1, 0, 0, 1, 2, 3])),
        pressure=rng.choice([Pressure.GENTLE, Pressure.GENTLE, Pressure.MEDIUM]),
        cleansed_skin=rng.random() < 0.9,
        clean_hands_and_tools=rng.random() < 0.85,
        used_slip=bool(routine.products.all()) or rng.random() < 0.4,
        rating=rng.choice([3, 4, 4, 5, 5]),
        # Most sessions recorded as calm skin, a few left unrecorded, as people do.
        reaction=Reaction.NONE if rng.random() < 0.8 else Reaction.NOT_RECORDED,
    )


def note(session: MassageSession, **changes) -> MassageSession:
    return session.edit(**changes)
