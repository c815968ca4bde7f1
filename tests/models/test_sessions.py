"""Sessions and rest weeks: their local days and weeks, how they are logged, what is refused."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker.models import (
    Area,
    MassageSession,
    ProgressPhoto,
    Reaction,
    RestWeek,
    Routine,
    Technique,
    Tool,
)

AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

pytestmark = pytest.mark.django_db


# Local dates


def test_a_session_at_half_past_eleven_at_night_in_auckland_counts_on_that_local_day(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 3, 10, 23, 30, tzinfo=AUCKLAND))

    assert session.local_date == date(2026, 3, 10)


def test_an_auckland_morning_session_counts_on_the_local_day_not_the_utc_one(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    # 07:30 on 11 March in Auckland is still 10 March in UTC.
    performed_at = datetime(2026, 3, 11, 7, 30, tzinfo=AUCKLAND)
    assert performed_at.astimezone(UTC).date() == date(2026, 3, 10)

    session = make_session(kiwi, performed_at)

    assert session.local_date == date(2026, 3, 11)


def test_a_sunday_night_session_in_los_angeles_stays_on_sunday(make_user):
    angeleno = make_user("angeleno", timezone="America/Los_Angeles")
    session = make_session(angeleno, datetime(2026, 11, 22, 23, 30, tzinfo=LOS_ANGELES))

    assert session.local_date == date(2026, 11, 22)
    assert session.local_date.weekday() == 6


def test_moving_to_another_time_zone_does_not_move_a_saved_session(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 3, 11, 7, 30, tzinfo=AUCKLAND))

    kiwi.profile.timezone = "Europe/London"
    kiwi.profile.save()
    session.notes = "Felt lovely."
    session.save()
    session.refresh_from_db()

    assert session.local_date == date(2026, 3, 11)


def test_the_in_week_queryset_keeps_sessions_of_that_week_only(user):
    monday = date(2026, 11, 16)
    inside = [
        make_session(user, datetime(2026, 11, 16, 0, 5, tzinfo=UTC)),
        make_session(user, datetime(2026, 11, 22, 23, 55, tzinfo=UTC)),
    ]
    make_session(user, datetime(2026, 11, 15, 23, 55, tzinfo=UTC))
    make_session(user, datetime(2026, 11, 23, 0, 5, tzinfo=UTC))

    assert set(MassageSession.objects.for_user(user).in_week(monday)) == set(inside)


# Logging a routine


def test_logging_a_routine_fills_in_its_minutes_techniques_areas_tools_and_products(user):
    roller = make_tool(user, "Jade roller")
    oil = make_product(user, "Rosehip oil")
    routine = make_routine(
        user,
        steps=[
            (Technique.EFFLEURAGE, Area.NECK, 60),
            (Technique.GUA_SHA, Area.JAWLINE, 150),
            (Technique.EFFLEURAGE, Area.CHEEKS, 90),
            (Technique.ROLLING, Area.NECK, 60),
        ],
        tool=roller,
        products=[oil],
    )
    performed_at = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)

    session = MassageSession.log_routine(routine, user, performed_at=performed_at)
    session.refresh_from_db()

    assert session.owner == user
    assert session.routine == routine
    assert session.performed_at == performed_at
    assert session.local_date == date(2026, 11, 18)
    assert session.minutes == 6
    # Each technique and area once, in the order the routine first uses it.
    assert session.techniques == [Technique.EFFLEURAGE, Technique.GUA_SHA, Technique.ROLLING]
    assert session.areas == [Area.NECK, Area.JAWLINE, Area.CHEEKS]
    assert list(session.tools.all()) == [roller]
    assert list(session.products.all()) == [oil]


def test_logging_a_routine_without_steps_counts_one_minute_and_no_tools(user):
    routine = Routine.objects.create(owner=user, name="Empty")

    session = MassageSession.log_routine(
        routine, user, performed_at=datetime(2026, 11, 18, tzinfo=UTC)
    )

    assert session.minutes == 1
    assert session.techniques == []
    assert session.tools.count() == 0


def test_logging_a_routine_uses_the_owners_time_zone_for_the_local_date(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    routine = make_routine(kiwi)

    session = MassageSession.log_routine(
        routine, kiwi, performed_at=datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    )

    assert session.local_date == date(2026, 3, 11)


# Flags


@pytest.mark.parametrize(("minutes", "short"), [(1, True), (4, True), (5, False), (15, False)])
def test_a_session_under_five_minutes_is_short(user, minutes: int, short: bool):
    assert make_session(user, minutes=minutes).is_short is short


def test_technique_and_area_labels_skip_values_no_longer_offered(user):
    session = make_session(user, techniques=["gua_sha", "retired"], areas=["neck", "ears"])

    assert session.technique_labels() == ["Gua sha scraping"]
    assert session.area_labels() == ["Neck"]


# Database constraints


@pytest.mark.parametrize("minutes", [0, 181])
def test_the_database_refuses_a_session_length_out_of_range(user, minutes: int):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(user, minutes=minutes)


def test_the_database_accepts_the_longest_allowed_session(user):
    assert make_session(user, minutes=180).pk is not None


def test_the_database_refuses_the_same_rest_week_twice(user):
    make_rest_week(user, date(2026, 11, 16))

    with pytest.raises(IntegrityError), transaction.atomic():
        make_rest_week(user, date(2026, 11, 16))


def test_two_users_can_rest_in_the_same_week(user, other_user):
    make_rest_week(user, date(2026, 11, 16))

    assert make_rest_week(other_user, date(2026, 11, 16)).pk is not None


# How it reads


def test_a_session_reads_as_its_length_and_day_and_a_rest_week_as_its_start(user):
    session = make_session(user, datetime(2026, 11, 18, 8, 0, tzinfo=UTC), minutes=12)
    rest = make_rest_week(user, date(2026, 11, 16))

    assert str(session) == "12 min on 2026-11-18"
    assert str(rest) == "Rest week from 2026-11-16"


# Weeks through the database, across time-zone, DST and New Year edges


# Each: zone, first weekday, a moment in UTC, the local day it must count on. Stored and read
# back, so SQLite and PostgreSQL (make test-postgres) must agree.
EDGES = [
    # 23:30 on Sunday in Los Angeles is already Monday in UTC.
    ("America/Los_Angeles", 0, datetime(2026, 11, 23, 7, 30, tzinfo=UTC), date(2026, 11, 22)),
    # 08:00 on Monday in Auckland is still Sunday in UTC.
    ("Pacific/Auckland", 0, datetime(2026, 11, 15, 19, 0, tzinfo=UTC), date(2026, 11, 16)),
    # 00:30 BST on the Monday after London springs forward (29 March 2026): UTC says Sunday.
    ("Europe/London", 0, datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
    # 00:30 on the day London falls back (25 October 2026): still BST, UTC says Saturday.
    ("Europe/London", 0, datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    # The repeated 01:30 when Los Angeles falls back (1 November 2026), second reading.
    ("America/Los_Angeles", 6, datetime(2026, 11, 1, 9, 30, tzinfo=UTC), date(2026, 11, 1)),
    # New Year's Eve late in Auckland, in a week spanning the new year.
    ("Pacific/Auckland", 0, datetime(2026, 12, 31, 10, 30, tzinfo=UTC), date(2026, 12, 31)),
]


@pytest.mark.parametrize(("zone", "first_weekday", "moment", "local_day"), EDGES)
def test_a_stored_session_counts_in_the_week_of_its_local_day(
    make_user, zone, first_weekday, moment, local_day
):
    user = make_user("alice", timezone=zone, week_start=first_weekday)
    session = make_session(user, moment)

    stored = MassageSession.objects.get(pk=session.pk)
    assert stored.local_date == local_day
    assert stored.performed_at == moment
    week_start = user.profile.week_start_of(local_day)
    assert list(MassageSession.objects.for_user(user).in_week(week_start)) == [stored]
    previous_week = MassageSession.objects.for_user(user).in_week(week_start - timedelta(days=7))
    assert not previous_week.exists()


# Logging, editing, and the tools' cleaning record


def test_logging_sessions_in_bulk_works_out_each_local_day_in_the_owners_zone(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    late = datetime(2026, 11, 17, 11, 30, tzinfo=UTC)  # 00:30 on the 18th in Auckland

    logged = MassageSession.objects.log_many(
        kiwi,
        [{"performed_at": late, "minutes": 10}, {"performed_at": late, "minutes": 5}],
    )

    assert [s.local_date for s in logged] == [date(2026, 11, 18)] * 2
    assert [s.minutes for s in MassageSession.objects.order_by("pk")] == [10, 5]


def test_clean_hands_and_tools_records_each_tool_cleaned_on_its_latest_session_day(user):
    roller, stone = make_tool(user, "Roller"), make_tool(user, "Stone")
    entries = [
        {"performed_at": datetime(2026, 11, d, 9, tzinfo=UTC), "minutes": 10, "tools": tools}
        | {"clean_hands_and_tools": clean}
        for d, tools, clean in [
            (16, [roller], True),
            (17, [roller, stone], True),
            (18, [stone], False),
        ]
    ]

    MassageSession.objects.log_many(user, entries)

    assert Tool.objects.get(pk=roller.pk).last_cleaned_on == date(2026, 11, 17)
    assert Tool.objects.get(pk=stone.pk).last_cleaned_on == date(2026, 11, 17)


def test_a_later_cleaning_is_never_moved_back_by_an_older_session(user):
    roller = make_tool(user, last_cleaned_on=date(2026, 11, 20))

    MassageSession.objects.log(
        user,
        performed_at=datetime(2026, 11, 16, 9, tzinfo=UTC),
        minutes=10,
        tools=[roller],
        clean_hands_and_tools=True,
    )

    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 20)


def test_a_routine_log_takes_corrections_such_as_the_minutes_actually_spent(user):
    routine = make_routine(user)

    session = MassageSession.log_routine(
        routine, user, performed_at=datetime(2026, 11, 16, 9, tzinfo=UTC), minutes=2
    )

    assert session.minutes == 2
    assert session.techniques == [Technique.EFFLEURAGE, Technique.GUA_SHA]


def test_editing_a_session_moves_its_day_only_when_its_time_changes(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 11, 15, 19, 0, 42, tzinfo=UTC))  # 16th there
    kiwi.profile.change_settings(timezone="Europe/London")

    session.edit(performed_at=datetime(2026, 11, 15, 19, 0, tzinfo=UTC), notes="Same time")
    assert session.local_date == date(2026, 11, 16)

    session.edit(performed_at=datetime(2026, 11, 15, 20, 0, tzinfo=UTC))
    assert session.local_date == date(2026, 11, 15)


# Rest weeks


def test_a_rest_week_is_marked_once_from_the_first_day_of_its_week(user):
    first = RestWeek.objects.mark(user, date(2026, 11, 19), "Peel")
    again = RestWeek.objects.mark(user, date(2026, 11, 22), "Other reason")

    assert first == again
    assert (first.week_start, first.reason) == (date(2026, 11, 16), "Peel")


def test_rest_weeks_follow_a_new_first_day_of_the_week(user):
    make_rest_week(user, date(2026, 11, 16))  # a Monday week
    make_rest_week(user, date(2026, 11, 23))

    user.profile.change_settings(week_start=6)  # Sunday

    assert sorted(RestWeek.objects.for_user(user).values_list("week_start", flat=True)) == [
        date(2026, 11, 15),
        date(2026, 11, 22),
    ]


def test_two_rest_weeks_that_land_in_one_week_become_one(make_user):
    sunday_first = make_user("sunny", week_start=6)
    # One left misaligned by an earlier change of setting, one marked under Sunday starts.
    make_rest_week(sunday_first, date(2026, 11, 16), "First")  # a Monday
    make_rest_week(sunday_first, date(2026, 11, 22), "Second")  # a Sunday

    sunday_first.profile.change_settings(week_start=0)  # both now in the week of Monday 16

    assert list(RestWeek.objects.for_user(sunday_first).values_list("week_start", "reason")) == [
        (date(2026, 11, 16), "First")
    ]


# Guided sessions


def test_a_guided_log_takes_only_the_steps_done(user):
    routine = make_routine(user)
    jawline = routine.steps.all()[1]

    session = MassageSession.log_routine(
        routine, user, datetime(2026, 11, 16, 9, tzinfo=UTC), minutes=2, steps_done=[jawline]
    )

    assert (session.minutes, session.techniques, session.areas) == (2, ["gua_sha"], ["jawline"])


def test_the_model_refuses_steps_of_another_routine(user):
    routine = make_routine(user)
    other = make_routine(user, "Other")

    with pytest.raises(ValueError):
        MassageSession.log_routine(
            routine, user, datetime(2026, 11, 16, 9, tzinfo=UTC), steps_done=other.steps.all()
        )
    assert not MassageSession.objects.exists()


# Deleting, and bringing back (Undo)


def row(obj) -> dict:
    """Every column of a row, so that 'the same' means the same."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def linked(session: MassageSession) -> tuple[set, ...]:
    return set(session.tools.all()), set(session.products.all()), set(session.photos.all())


def full_session(user, now) -> MassageSession:
    session = make_session(
        user,
        now - timedelta(hours=3),
        routine=make_routine(user),
        tools=[make_tool(user, "Roller"), make_tool(user, "Gua sha")],
        products=[make_product(user)],
        notes="Slight redness on the left cheek",
        reaction=Reaction.REDNESS,
        client_id=uuid.uuid4(),
    )
    make_photo(user, session=session)
    return session


def test_sessions_removed_together_come_back_with_their_ids_stamps_and_links(
    user, now, time_machine
):
    sessions = [full_session(user, now - timedelta(days=day)) for day in range(3)]
    rows = sorted((row(session) for session in sessions), key=lambda r: r["id"])
    links = {s.pk: linked(s) for s in sessions}
    snapshots = MassageSession.objects.for_user(user).remove_all()
    assert not MassageSession.objects.exists()
    time_machine.move_to(now + timedelta(seconds=20), tick=False)

    MassageSession.objects.restore(user, snapshots)

    restored = MassageSession.objects.order_by("pk")
    # Every column as it was: the reaction's advice too still dates from when it was noted.
    assert all(r["reaction_noted_at"] for r in rows)
    assert [row(session) for session in restored] == rows
    assert {session.pk: linked(session) for session in restored} == links


def test_bringing_back_sessions_costs_the_same_queries_however_many(user, now):
    def queries_to_restore(count: int) -> int:
        sessions = [full_session(user, now - timedelta(days=day)) for day in range(count)]
        snapshots = MassageSession.objects.filter(pk__in=[s.pk for s in sessions]).remove_all()
        with CaptureQueriesContext(connection) as captured:
            MassageSession.objects.restore(user, snapshots)
        return len(captured)

    assert queries_to_restore(1) == queries_to_restore(4)


def test_a_session_logged_after_an_undo_gets_an_id_of_its_own(user, now):
    first, second = make_session(user, now), make_session(user, now)
    snapshots = MassageSession.objects.filter(pk__in=[first.pk, second.pk]).remove_all()
    MassageSession.objects.restore(user, snapshots)

    later = MassageSession.objects.log(user, minutes=5, performed_at=now)

    assert later.pk not in {first.pk, second.pk}
    assert MassageSession.objects.count() == 3


def test_a_session_back_already_is_not_made_twice(user, now):
    snapshot = make_session(user, now).remove()

    assert len(MassageSession.objects.restore(user, [snapshot])) == 1
    assert MassageSession.objects.restore(user, [snapshot]) == []
    assert MassageSession.objects.count() == 1


def test_links_to_what_has_gone_meanwhile_are_left_out(user, now):
    session = full_session(user, now)
    roller = session.tools.get(name="Roller")
    routine = session.routine
    snapshot = session.remove()
    roller.delete()
    routine.delete()

    restored = MassageSession.objects.restore(user, [snapshot])[0]

    assert restored.routine is None
    assert list(restored.tools.values_list("name", flat=True)) == ["Gua sha"]


def test_a_one_time_id_used_again_meanwhile_is_not_taken_back(user, now):
    session = make_session(user, now - timedelta(hours=1), client_id=uuid.uuid4())
    snapshot = session.remove()
    MassageSession.objects.log(user, minutes=5, performed_at=now, client_id=session.client_id)

    restored = MassageSession.objects.restore(user, [snapshot])[0]

    assert restored.pk == session.pk
    assert restored.client_id is None


def test_a_snapshot_restores_into_its_owners_account_only(user, other_user, now):
    session = full_session(user, now)
    snapshot = session.remove()

    restored = MassageSession.objects.restore(other_user, [snapshot])[0]

    # Nothing of the first account's is linked into the second one.
    assert restored.owner == other_user
    assert restored.routine is None
    assert not restored.tools.exists() and not restored.products.exists()
    assert not ProgressPhoto.objects.filter(session=restored).exists()


def test_a_rest_week_comes_back_with_its_id_unless_that_week_is_marked_again(user):
    rest = make_rest_week(user, date(2026, 11, 16), "Laser")
    before = row(rest)
    snapshot = rest.remove()

    assert row(RestWeek.objects.restore(user, snapshot)) == before
    RestWeek.objects.get().remove()
    RestWeek.objects.mark(user, date(2026, 11, 18), "Other")
    assert RestWeek.objects.restore(user, snapshot) is None
    assert RestWeek.objects.get().reason == "Other"


# Reactions


def test_a_session_untouched_says_its_reaction_was_not_recorded(user, now):
    session = make_session(user, now)

    assert session.reaction == Reaction.NOT_RECORDED
    assert session.get_reaction_display() == "Not recorded"
    assert (session.has_reaction, session.reaction_noted_at) == (False, None)


def test_recording_a_reaction_notes_when_and_no_reaction_clears_it(user, now, time_machine):
    session = make_session(user, now - timedelta(hours=1))

    session.record_reaction(Reaction.BREAKOUT)
    assert MassageSession.objects.get().reaction_noted_at == now

    time_machine.move_to(now + timedelta(hours=1), tick=False)
    session.record_reaction(Reaction.NONE)
    stored = MassageSession.objects.get()
    assert (stored.reaction, stored.reaction_noted_at) == (Reaction.NONE, None)


@pytest.mark.parametrize(
    ("zone", "days_ago", "accepted"),
    [
        # Noon UTC on Wednesday 18 November is already Thursday 19 in Kiritimati (UTC+14).
        ("Pacific/Kiritimati", 6, True),
        ("Pacific/Kiritimati", 7, True),
        ("Pacific/Kiritimati", 8, False),
        # And still Wednesday morning in Pago Pago (UTC-11).
        ("Pacific/Pago_Pago", 7, True),
        ("Pacific/Pago_Pago", 8, False),
    ],
)
def test_a_reaction_is_taken_for_seven_local_days_in_the_persons_zone(
    make_user, now, zone: str, days_ago: int, accepted: bool
):
    person = make_user("traveller", timezone=zone)
    today = person.profile.today()
    # Noon on that local day, however far from UTC the zone is.
    noon = datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=ZoneInfo(zone))
    session = make_session(person, noon)

    assert session.local_date == today - timedelta(days=days_ago)
    assert session.accepts_reaction(today) is accepted


def test_the_first_day_of_the_range_is_long_past_the_reaction_window(user, now):
    # Issue 8's range starts on 1 January 2000: a session there is never within the 7 days.
    session = make_session(user, datetime(2000, 1, 1, 0, 0, tzinfo=UTC))

    assert session.local_date == date(2000, 1, 1)
    assert not session.accepts_reaction(user.profile.today())
    assert session.accepts_reaction(date(2000, 1, 8))


def test_the_advice_to_answer_is_the_latest_reaction_with_no_session_logged_since(
    user, now, time_machine
):
    older = make_session(user, now - timedelta(days=2))
    newer = make_session(user, now - timedelta(days=1))
    time_machine.move_to(now + timedelta(minutes=1), tick=False)
    older.record_reaction(Reaction.REDNESS)
    time_machine.move_to(now + timedelta(minutes=2), tick=False)
    newer.record_reaction(Reaction.BRUISING)

    assert MassageSession.objects.for_user(user).reaction_to_answer() == newer

    time_machine.move_to(now + timedelta(minutes=3), tick=False)
    make_session(user, now + timedelta(minutes=3))
    assert MassageSession.objects.for_user(user).reaction_to_answer() is None


def test_a_reaction_logged_with_the_session_is_noted_for_advice(user, now):
    session = MassageSession.objects.log(
        user, performed_at=now, minutes=10, reaction=Reaction.IRRITATION
    )

    assert session.reaction_noted_at == now
    assert MassageSession.objects.for_user(user).reaction_to_answer() == session


def test_a_paused_product_is_left_out_of_a_log_of_its_routine(user, now):
    jojoba, rosehip = make_product(user, "Jojoba oil"), make_product(user, "Rosehip serum")
    routine = make_routine(user, products=[jojoba, rosehip])
    rosehip.pause(now.date())

    session = MassageSession.log_routine(routine, user, performed_at=now)

    assert list(session.products.all()) == [jojoba]
