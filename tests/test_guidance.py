"""Every piece of guidance has a source on the Sources page, and says what the practice logged
supports (pure tests, then the Sources page itself)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tracker import guidance
from tracker.guidance.expectations import practice_line, run_of_weeks
from tracker.guidance.sources import SOURCES, SOURCES_BY_KEY
from tracker.guidance.texts import REGISTRY, Guidance
from tracker.models import Technique
from tracker.starters import STARTERS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A Wednesday; weeks start on Monday 16 November.
TODAY = date(2026, 11, 18)
MONDAY = 0

REQUIRED_SOURCES = {
    "miyaji-2018",
    "dubinskaya-2023",
    "flament-2023",
    "okuda-2022",
    "alam-2018",
    "van-borsel-2014",
    "hamed-2012",
    "caberlotto-2017",
    "aad-patch-test",
}


def unsourced(texts: dict[str, Guidance]) -> list[str]:
    """Texts without a source, or citing one the Sources page does not list."""
    problems = []
    for key, text in texts.items():
        if not text.sources:
            problems.append(f"{key}: no source")
        problems += [
            f"{key}: unknown source {s!r}" for s in text.sources if s not in SOURCES_BY_KEY
        ]
    return problems


# The rule


def test_every_guidance_text_has_a_source_the_sources_page_lists():
    assert REGISTRY, "no guidance registered"
    assert unsourced(REGISTRY) == []


def test_the_rule_catches_a_text_without_a_source_and_one_citing_an_unknown_key():
    # Guards the test above against a check that passes everything.
    texts = {
        "bare": Guidance("bare", "Massage works wonders.", ()),
        "made-up": Guidance("made-up", "So says a study.", ("miyaji-2018", "nobody-2024")),
    }

    assert unsourced(texts) == ["bare: no source", "made-up: unknown source 'nobody-2024'"]


def test_the_sources_the_issue_names_are_all_listed():
    assert set(SOURCES_BY_KEY) >= REQUIRED_SOURCES


def test_source_keys_are_unique_anchors():
    keys = [source.key for source in SOURCES]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", key) for key in keys)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.key)
def test_each_source_says_what_a_reader_needs_to_weigh_it(source):
    for field in ("who", "done", "control", "measured", "found", "funding", "citation"):
        assert getattr(source, field).strip(), f"{source.key} has no {field}"
    assert source.references, f"{source.key} says nowhere to read it"


def test_the_sponsored_studies_name_who_paid():
    assert "MTG" in SOURCES_BY_KEY["miyaji-2018"].funding
    assert "L'Oréal" in SOURCES_BY_KEY["flament-2023"].funding
    assert "L'Oréal" in SOURCES_BY_KEY["caberlotto-2017"].funding
    assert "16 finished" in SOURCES_BY_KEY["alam-2018"].who
    assert SOURCES_BY_KEY["flament-2023"].control.startswith("None")
    assert SOURCES_BY_KEY["caberlotto-2017"].control.startswith("Yes")


def test_every_guidance_key_a_template_asks_for_exists():
    asked = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in re.findall(r'{% guidance "([^"]+)"', template.read_text())
    }
    assert asked, "no template asks for guidance by key"
    assert asked - set(REGISTRY) == set()


def test_every_technique_and_pressure_has_a_description():
    assert set(guidance.TECHNIQUES) == set(Technique.values)
    assert set(guidance.PRESSURE) == {"gentle", "medium", "firm"}


def test_starter_descriptions_are_sourced_guidance_and_promise_nothing():
    for starter in STARTERS:
        assert REGISTRY[starter.description.key] is starter.description
        assert not re.search(r"\b(lift|depuff)", starter.name, re.IGNORECASE)
    assert "practitioner guides" in guidance.STARTERS_NOTE.text
    assert "not studied routines" in guidance.STARTERS_NOTE.text


def test_gua_sha_guidance_gives_the_angle_and_the_passes():
    for text in (guidance.TECHNIQUES["gua_sha"], guidance.GUA_SHA_STEP):
        assert "15 to 45 degrees" in text.text
        assert "3 to 5 passes" in text.text
    gua_sha = next(s for s in STARTERS if s.slug == "gua-sha-8")
    assert all(
        "3 to 5" in step.instruction for step in gua_sha.steps if step.technique == "gua_sha"
    )


def test_device_texts_say_devices_are_not_hands_and_who_paid():
    assert "not the same as hands" in guidance.DEVICES.text
    assert "MTG" in guidance.DEVICES.text
    assert "L'Oréal" in guidance.DEVICES.text


# The practice logged


def rows(*days_ago: int, minutes: int = 10) -> list[tuple[date, int]]:
    return [(TODAY - timedelta(days=d), minutes) for d in days_ago]


def practice_of(rows_, rest_weeks=()) -> guidance.Practice:
    return guidance.practice(rows_, first_weekday=MONDAY, rest_weeks=rest_weeks, today=TODAY)


def test_no_sessions_is_getting_started():
    expectation = guidance.expectation(practice_of([]))

    assert expectation.title == "Getting started"
    assert expectation.practice_line == "No sessions logged yet."


def test_the_run_counts_weeks_with_a_session_back_from_this_one():
    # This week, last week and the one before; then a gap.
    days = [TODAY, TODAY - timedelta(days=7), TODAY - timedelta(days=14), TODAY - timedelta(35)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 3


def test_an_empty_current_week_neither_counts_nor_breaks_the_run():
    days = [TODAY - timedelta(days=7), TODAY - timedelta(days=14)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 2


def test_a_rest_week_is_skipped_over_and_not_counted():
    days = [TODAY, TODAY - timedelta(days=14)]
    rest = [TODAY - timedelta(days=7)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=rest, today=TODAY) == 2
    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 1


def test_the_weeks_follow_the_persons_first_day():
    # Sunday 15 November and Wednesday 18 are one week for a Sunday starter, two for Monday.
    days = [date(2026, 11, 15), TODAY]

    assert run_of_weeks(days, first_weekday=6, rest_weeks=[], today=TODAY) == 1
    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 2


def test_months_since_the_first_session_do_not_advance_the_card_without_practice():
    # Calendar week 30 since the first session, but only this week practised.
    expectation = guidance.expectation(practice_of(rows(210, 0)))

    assert expectation.title == "Week 1 of regular practice: building the habit"
    assert expectation.guidance.key == "expect-early"


def test_two_quiet_weeks_say_starting_again():
    expectation = guidance.expectation(practice_of(rows(20, 27, 34)))

    assert expectation.title == "Starting again"
    assert (
        expectation.practice_line
        == "In the last 4 weeks: 2 sessions, 20 minutes in all, about 0.5 a week, 10 minutes each."
    )


@pytest.mark.parametrize(
    ("weeks", "stage"),
    [
        (1, "expect-early"),
        (2, "expect-early"),
        (3, "expect-middle"),
        (8, "expect-middle"),
        (9, "expect-long"),
        (20, "expect-long"),
        (21, "expect-settled"),
    ],
)
def test_the_stage_follows_the_run_of_weeks_practised(weeks: int, stage: str):
    expectation = guidance.expectation(practice_of(rows(*(7 * w for w in range(weeks)))))

    assert expectation.guidance.key == stage
    assert expectation.title.startswith(f"Week {weeks} of regular practice")


def test_the_practice_line_reports_recent_sessions_and_minutes():
    daily = rows(*range(28), minutes=5)

    assert practice_line(practice_of(daily)) == (
        "In the last 4 weeks: 28 sessions, 140 minutes in all, about 7 a week, 5 minutes each."
    )


def test_the_practice_line_counts_only_the_days_since_the_first_session():
    assert practice_line(practice_of(rows(0, 2, 9))) == (
        "In your first 10 days: 3 sessions, 30 minutes in all, about 2.1 a week, 10 minutes each."
    )
    assert practice_line(practice_of(rows(0, 2))) == (
        "In your first 3 days: 2 sessions, 20 minutes in all, 10 minutes each."
    )


def test_sessions_after_today_are_ignored():
    practice = practice_of([(TODAY + timedelta(days=1), 10)])

    assert practice.total_sessions == 0


def test_every_stage_text_carries_the_dose_caveat():
    for days in ([], rows(0), rows(*(7 * w for w in range(5))), rows(40)):
        expectation = guidance.expectation(practice_of(days))
        assert expectation.dose is guidance.DOSE
        assert "not a proven dose" in expectation.dose.text


def test_the_timeline_texts_give_dose_size_and_missing_controls():
    from tracker.guidance import expectations as stages

    assert "3 minutes a day" in stages.EARLY.text and "50 women" in stages.EARLY.text
    assert "Neither had a control group" in stages.EARLY.text
    assert "devices, not hands" in stages.MIDDLE.text
    assert "funded by the roller's maker" in stages.MIDDLE.text
    assert "30 minutes a day" in stages.LONG.text and "16 of the 27" in stages.LONG.text
    assert "no control group" in stages.LONG.text


# The Sources page


@pytest.mark.django_db
def test_the_sources_page_is_open_to_anyone_and_anchors_every_source():
    response = Client().get(reverse("tracker:sources"))

    assert response.status_code == 200
    html = response.content.decode()
    for source in SOURCES:
        assert f'id="{source.key}"' in html
    assert "Paid for by" in html and "Control group" in html


def test_the_sources_page_is_linked_from_every_page_footer(user_client):
    html = user_client.get(reverse("tracker:dashboard")).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("tracker:sources")}"' in footer


def test_the_sources_page_takes_a_constant_number_of_queries(
    user_client, django_assert_num_queries
):
    # Session, user and profile (middleware); the page itself reads nothing.
    with django_assert_num_queries(3):
        assert user_client.get(reverse("tracker:sources")).status_code == 200


def test_every_cited_link_on_the_dashboard_points_at_a_listed_source(user_client):
    html = user_client.get(reverse("tracker:dashboard")).content.decode()

    cited = set(re.findall(r'href="/sources/#([a-z0-9-]+)"', html))
    assert cited
    assert cited <= set(SOURCES_BY_KEY)


# Where the guidance shows


def test_the_log_form_describes_each_pressure_and_the_firm_caution(user_client):
    html = user_client.get(reverse("tracker:session-new")).content.decode()

    assert "The skin moves with your fingers or tool, and there is no redness afterwards." in html
    assert "Not on the face around the eyes" in html
    assert 'class="message message-warning firm-caution"' in html
    assert "Firm pressure can bruise." in html
    assert "<summary>What each technique is</summary>" in html


def test_a_form_sent_back_with_firm_pressure_shows_the_caution_without_css(user_client):
    response = user_client.post(reverse("tracker:session-new"), {"pressure": "firm"})

    assert 'firm-caution is-shown"' in response.content.decode()


def test_the_step_form_explains_the_techniques_and_gua_sha_steps_give_angle_and_passes(
    user, user_client
):
    from tests.factories import make_routine

    routine = make_routine(user, steps=[("gua_sha", "jawline", 60)])

    detail = user_client.get(reverse("tracker:routine-detail", args=[routine.pk])).content.decode()
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()

    assert "<summary>What each technique is</summary>" in detail
    for html in (detail, guide):
        assert "Stone nearly flat (15 to 45 degrees), 3 to 5 passes per area" in html
        assert 'href="/sources/#gua-sha-technique"' in html


def test_the_starter_list_says_where_the_strokes_come_from(user_client):
    html = user_client.get(reverse("tracker:routine-list")).content.decode()

    assert "Built from what studies" not in html
    assert "Their strokes and order come from practitioner guides" in html
    assert "10-minute hands and knuckles" in html
    assert "lift" not in html.lower().replace("lifting", "")


def test_a_copy_made_before_the_renaming_keeps_its_name(user, user_client):
    from tracker.models import Routine

    Routine.objects.create(owner=user, name="10-minute lift")

    html = user_client.get(reverse("tracker:routine-list")).content.decode()

    assert "10-minute lift" in html


def test_the_old_starter_addresses_still_copy_the_renamed_routine(user, user_client):
    from tracker.models import Routine

    user_client.post(reverse("tracker:routine-copy-starter", args=["depuff-5"]))

    assert Routine.objects.get(owner=user).name == "5-minute light strokes"


def test_the_photo_pages_cite_the_glow(user_client):
    html = user_client.get(reverse("tracker:photo-new")).content.decode()

    assert 'href="/sources/#dubinskaya-2023"' in html


def test_the_gear_page_says_devices_are_not_hands(user_client):
    html = user_client.get(reverse("tracker:gear")).content.decode()

    assert "not the same as hands" in html
    assert 'href="/sources/#aad-patch-test"' in html
