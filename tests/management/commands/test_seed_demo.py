from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_session
from tests.readers import streak
from tracker.management.commands.seed_demo import PASSWORD, USERNAME, WEEKS
from tracker.models import MassageSession, Product, Reaction, RestWeek, Routine, Tool

pytestmark = pytest.mark.django_db

MOMENTS = {
    "wednesday noon": datetime(2026, 11, 18, 12, 0, tzinfo=UTC),
    "monday just after midnight": datetime(2026, 11, 16, 0, 30, tzinfo=UTC),
    "sunday just before midnight": datetime(2026, 11, 22, 23, 50, tzinfo=UTC),
    "a summer tuesday": datetime(2026, 7, 7, 6, 45, tzinfo=UTC),
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_user() -> User:
    return User.objects.get(username=USERNAME)


def history(user: User) -> list[tuple]:
    return list(
        MassageSession.objects.for_user(user)
        .order_by("performed_at")
        .values_list("performed_at", "minutes", "routine__name", "reaction", "notes")
    )


def test_the_demo_account_logs_in_with_the_documented_password(now):
    output = seed()

    user = demo_user()
    assert user.check_password(PASSWORD) is True
    assert f"Log in as {USERNAME} / {PASSWORD}" in output
    assert user.profile.timezone == "Europe/London"


def test_the_demo_dashboard_renders_with_a_streak_that_is_alive(now, client_for):
    seed()

    response = client_for(demo_user()).get(reverse("tracker:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert streak(html) > 0
    assert "Rosehip seed oil: not patch-tested" in html


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_the_streak_is_alive_whatever_the_day_and_time(time_machine, client_for, moment):
    time_machine.move_to(moment, tick=False)
    seed()

    html = client_for(demo_user()).get(reverse("tracker:dashboard")).content.decode()

    assert streak(html) > 0
    assert not MassageSession.objects.filter(performed_at__gt=moment).exists()


def test_six_months_of_mostly_two_or_three_sessions_a_week(now):
    seed()

    user = demo_user()
    profile = user.profile
    this_week = profile.week_start_of(profile.today())
    weeks = Counter(
        profile.week_start_of(day)
        for day in MassageSession.objects.for_user(user).values_list("local_date", flat=True)
    )
    finished = [this_week - timedelta(weeks=n) for n in range(1, WEEKS)]
    counts = [weeks[start] for start in finished]
    assert min(weeks) == this_week - timedelta(weeks=WEEKS - 1)
    assert sum(2 <= count <= 3 for count in counts) >= 20
    assert sum(count < 2 for count in counts) >= 3
    [rest] = RestWeek.objects.for_user(user)
    assert weeks[rest.week_start] == 0


def test_the_history_has_reactions_short_sessions_and_varied_routines(now):
    seed()

    user = demo_user()
    sessions = MassageSession.objects.for_user(user)
    reactions = sessions.filter(reaction__in=Reaction.actual())
    assert set(reactions.values_list("reaction", flat=True)) == {
        "redness",
        "breakout",
    }
    assert sessions.filter(minutes__lt=5).count() == 2
    assert Routine.objects.for_user(user).count() == 3
    assert set(sessions.values_list("routine__name", flat=True)) == {
        "10-minute hands and knuckles",
        "5-minute light strokes",
        "8-minute gua sha",
    }
    assert all(routine.steps.exists() for routine in Routine.objects.for_user(user))


def test_the_gear_has_a_named_stone_and_one_oil_still_in_its_patch_test(now):
    seed()

    user = demo_user()
    assert Tool.objects.for_user(user).filter(name="Rose quartz gua sha").exists()
    products = Product.objects.for_user(user)
    assert products.count() == 2
    assert [p.name for p in products if p.needs_patch_test] == ["Rosehip seed oil"]
    assert MassageSession.objects.for_user(user).filter(products__name="Rosehip seed oil").exists()


def test_running_it_again_replaces_the_data_with_the_same_history(now, other_user):
    make_session(other_user, now - timedelta(hours=1))
    seed()
    first = history(demo_user())
    pk = demo_user().pk

    seed()

    assert demo_user().pk == pk
    assert history(demo_user()) == first
    assert Routine.objects.for_user(demo_user()).count() == 3
    assert Tool.objects.for_user(demo_user()).count() == 3
    assert RestWeek.objects.for_user(demo_user()).count() == 1
    assert MassageSession.objects.for_user(other_user).count() == 1


def test_running_it_again_undoes_changes_made_in_the_demo(now):
    seed()
    user = demo_user()
    user.set_password("changed by a visitor")
    user.save()
    user.profile.target_min = user.profile.target_stretch = 7
    user.profile.save()
    Routine.objects.create(owner=user, name="Visitor's routine")

    seed()

    user = demo_user()
    assert user.check_password(PASSWORD)
    assert (user.profile.target_min, user.profile.target_stretch) == (2, 3)
    assert not Routine.objects.filter(name="Visitor's routine").exists()
