"""Is it safe for me: the reaction after a session and its advice, products that need care
(patch test, pause, "Stop using it"), and the "before you start" check."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_product, make_routine, make_session
from tracker.models import HealthCheck, MassageSession, Product, Reaction, Routine

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
PT = Product.PatchTest
TODAY = date(2026, 11, 18)
PAGE = reverse("tracker:health-check")


def dashboard(client) -> str:
    return client.get(reverse("tracker:dashboard")).content.decode()


def session_form(client) -> str:
    return client.get(reverse("tracker:session-new")).content.decode()


# Recording a reaction


def test_a_one_tap_log_offers_the_reaction_with_nothing_chosen(user, user_client, now):
    routine = make_routine(user)

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    html = response.content.decode()
    session = MassageSession.objects.get()
    assert session.reaction == Reaction.NOT_RECORDED
    assert "How did your skin react?" in html
    assert reverse("tracker:session-reaction", args=[session.pk]) in html
    assert 'aria-pressed="true"' not in html
    # In the status (the recent sessions, swapped in beside it, offer their own).
    assert html.split('id="progress"')[0].count('name="reaction"') == 5


def test_one_more_tap_records_a_breakout_and_answers_with_the_advice_at_once(
    user, user_client, now
):
    rosehip = make_product(user, "Rosehip serum", patch_test=Product.PatchTest.NOT_DONE)
    session = make_session(user, now - timedelta(minutes=20), products=[rosehip])

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]),
        {"reaction": "breakout"},
        headers=HTMX,
    )

    html = response.content.decode()
    session.refresh_from_db()
    assert session.reaction == Reaction.BREAKOUT
    assert session.reaction_noted_at == now
    assert "Recorded: breakout." in html
    assert "Rosehip serum" in html
    assert "Pause this product" in html
    assert 'href="/sources/#aad-patch-test"' in html
    assert "see a doctor" in html
    # Back to the page the person was on, not the reaction's address.
    assert 'name="next" value="/"' in html


def test_without_htmx_a_reaction_lands_on_the_dashboard_with_its_advice(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "bruising"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:dashboard")
    html = user_client.get(response["Location"]).content.decode()
    assert "Recorded: bruising." in html
    assert "Use lighter pressure next time" in html
    assert "Make this a rest week" in html


def test_a_breakout_days_later_can_be_added_from_the_history(user, user_client, now):
    session = make_session(user, now - timedelta(days=7))

    html = user_client.get(reverse("tracker:history")).content.decode()

    assert reverse("tracker:session-reaction", args=[session.pk]) in html
    assert "Skin: not recorded" in html


def test_a_rows_reaction_buttons_load_when_it_is_opened(user, user_client, now):
    session = make_session(user, now - timedelta(days=2), reaction=Reaction.REDNESS)
    url = reverse("tracker:session-reaction", args=[session.pk])

    history = user_client.get(reverse("tracker:history")).content.decode()
    box = user_client.get(url, headers=HTMX).content.decode()
    page = user_client.get(url, follow=True)

    # A list carries no buttons, only what loads them (and a link without JavaScript).
    assert 'name="reaction"' not in history
    assert f'hx-get="{url}" hx-trigger="toggle once"' in history
    assert f'<a href="{url}">Note how your skin reacted</a>' in history
    assert box.lstrip().startswith(f'<div class="reaction-box" id="reaction-{session.pk}">')
    assert box.count('name="reaction"') == 5
    assert 'value="redness" aria-pressed="true"' in box
    assert page.redirect_chain == [(reverse("tracker:session-detail", args=[session.pk]), 302)]
    assert page.content.decode().count('name="reaction"') == 5
    session.refresh_from_db()
    assert session.reaction == Reaction.REDNESS


def test_a_session_older_than_seven_days_refuses_a_reaction(user, user_client, now):
    session = make_session(user, now - timedelta(days=8))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]),
        {"reaction": "breakout"},
        headers=HTMX,
    )

    session.refresh_from_db()
    assert session.reaction == Reaction.NOT_RECORDED
    assert "up to 7 days after a session" in response.content.decode()
    history = user_client.get(reverse("tracker:history")).content.decode()
    assert reverse("tracker:session-reaction", args=[session.pk]) not in history


def test_a_reaction_on_another_persons_session_is_a_404(other_user, user_client, now):
    theirs = make_session(other_user, now - timedelta(hours=1))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[theirs.pk]), {"reaction": "breakout"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.reaction == Reaction.NOT_RECORDED


def test_an_unknown_reaction_is_refused(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    for value in ("", "sunburn"):
        user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]), {"reaction": value}
        )

    session.refresh_from_db()
    assert session.reaction == Reaction.NOT_RECORDED


def test_no_reaction_is_recorded_and_asks_for_no_advice(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    user_client.post(reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "none"})

    session.refresh_from_db()
    assert session.reaction == Reaction.NONE
    assert session.reaction_noted_at is None
    assert 'id="advice-heading"' not in dashboard(user_client)


def test_each_reaction_gets_its_own_advice_with_sources(user, user_client, now):
    expected = {
        "bruising": ("Use lighter pressure", "#nielsen-2007"),
        "irritation": ("A product may be the cause", "#aad-patch-test"),
        "breakout": ("pore-clogging", "#face-oils"),
        "redness": ("back to normal within 35 to 40", "#dubinskaya-2023"),
    }
    session = make_session(user, now - timedelta(hours=1))
    for reaction, (text, anchor) in expected.items():
        html = user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]),
            {"reaction": reaction},
            headers=HTMX,
        ).content.decode()
        assert text in html, reaction
        assert f'href="/sources/{anchor}"' in html, reaction
        assert "lasts more than a day" in html


def test_a_session_logged_by_the_form_without_a_reaction_says_not_recorded(user, user_client, now):
    user_client.post(
        reverse("tracker:session-new"),
        {"performed_at": "2026-11-18T10:00", "minutes": "10", "pressure": "gentle"},
    )

    session = MassageSession.objects.get()
    assert session.reaction == Reaction.NOT_RECORDED
    assert session.get_reaction_display() == "Not recorded"


def test_a_reaction_chosen_in_the_full_form_is_noted_for_advice(user, user_client, now):
    user_client.post(
        reverse("tracker:session-new"),
        {
            "performed_at": "2026-11-18T10:00",
            "minutes": "10",
            "pressure": "gentle",
            "reaction": "irritation",
        },
    )

    assert MassageSession.objects.get().reaction_noted_at == now
    assert 'id="advice-heading"' in dashboard(user_client)


def test_the_guided_sessions_end_screen_logs_in_place_and_offers_the_reaction(
    user, user_client, now
):
    routine = make_routine(user)
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    assert 'hx-target="#log-status"' in guide
    assert '<div id="log-status"' in guide

    response = user_client.post(
        reverse("tracker:log-routine", args=[routine.pk]),
        headers={**HTMX, "HX-Target": "log-status"},
    )

    assert "How did your skin react?" in response.content.decode()


@pytest.mark.parametrize("count", [1, 60])
def test_recording_a_breakout_costs_the_same_queries_however_long_the_history(
    user, user_client, now, django_assert_num_queries, count: int
):
    products = [make_product(user, f"Oil {n}") for n in range(3)]
    for hours in range(count):
        make_session(user, now - timedelta(hours=hours + 1), products=products)
    session = MassageSession.objects.for_user(user).newest_first().first()

    # Session, user, profile; the session; its update; the products first used lately.
    with django_assert_num_queries(6):
        response = user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]),
            {"reaction": "breakout"},
            headers=HTMX,
        )

    assert response.content.decode().count("Pause this product") == 3


# Advice until the next session


def test_the_advice_stays_on_the_dashboard_until_the_next_session(
    user, user_client, now, time_machine
):
    moment = now
    make_session(user, moment - timedelta(hours=3)).record_reaction(Reaction.REDNESS)
    assert "back to normal within 35 to 40" in dashboard(user_client)

    time_machine.move_to(moment + timedelta(days=1), tick=False)
    assert "back to normal within 35 to 40" in dashboard(user_client)

    make_session(user, moment + timedelta(days=1))
    assert 'id="advice-heading"' not in dashboard(user_client)


def test_a_late_breakout_on_an_older_session_shows_although_a_session_came_between(
    user, user_client, now, time_machine
):
    moment = now
    older = make_session(user, moment - timedelta(days=3))
    make_session(user, moment - timedelta(days=1))
    time_machine.move_to(moment + timedelta(minutes=1), tick=False)

    older.record_reaction(Reaction.BREAKOUT)

    assert 'id="advice-heading"' in dashboard(user_client)


# Products: warned when chosen


def test_the_log_form_carries_a_warning_beside_a_product_without_a_passed_patch_test(
    user, user_client, now
):
    untested = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)
    make_product(user, "Jojoba oil")

    html = session_form(user_client)

    warning = html[html.index(f'id="patch-warning-{untested.pk}"') :]
    assert warning.index("Rosehip serum has not passed a patch test") < 400
    assert f'formaction="{reverse("tracker:patch-test-start", args=[untested.pk])}"' in html
    assert html.count('class="choice-warning') == 1


def test_the_routine_editor_warns_in_the_same_way(user, user_client, now):
    untested = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)
    routine = make_routine(user)

    for url in (
        reverse("tracker:routine-detail", args=[routine.pk]),
        reverse("tracker:routine-new"),
    ):
        html = user_client.get(url).content.decode()
        assert f'id="patch-warning-{untested.pk}"' in html
        assert "Start the patch test today" in html


def test_a_patch_test_under_way_says_so_instead_of_offering_to_start(user, user_client, now):
    make_product(user, "Rosehip serum", patch_test=PT.PENDING, patch_test_started_on=TODAY)

    html = session_form(user_client)

    assert "under way since 18 Nov" in html
    assert "Start the patch test today" not in html


# Products: start the patch test today


def test_one_tap_starts_the_patch_test_today(user, user_client, now):
    product = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]), {"next": "/sessions/new/"}
    )

    product.refresh_from_db()
    assert (product.patch_test, product.patch_test_started_on) == (PT.PENDING, TODAY)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/new/"


def test_from_the_log_form_with_htmx_the_warning_turns_into_the_countdown(user, user_client, now):
    product = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]),
        {"minutes": "10", "products": [product.pk]},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert f'id="patch-warning-{product.pk}"' in html
    assert "under way since 18 Nov" in html
    assert not MassageSession.objects.exists()


def test_starting_again_keeps_the_first_start_and_a_passed_test_stays_passed(
    user, user_client, now, time_machine
):
    running = make_product(user, "Serum", patch_test=PT.PENDING, patch_test_started_on=TODAY)
    passed = make_product(user, "Jojoba oil")
    time_machine.move_to(datetime.fromisoformat("2026-11-20T12:00:00+00:00"), tick=False)

    for product in (running, passed):
        user_client.post(reverse("tracker:patch-test-start", args=[product.pk]))

    running.refresh_from_db()
    passed.refresh_from_db()
    assert running.patch_test_started_on == TODAY
    assert passed.patch_test == PT.PASSED


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "0", "gear"])
def test_a_next_address_elsewhere_or_not_a_path_is_not_followed(user, user_client, now, target):
    product = make_product(user, "Serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]), {"next": target}
    )

    assert response["Location"] == reverse("tracker:gear")


def test_another_persons_product_cannot_be_started_or_paused(other_user, user_client, now):
    theirs = make_product(other_user, "Their serum", patch_test=PT.NOT_DONE)

    for name in ("patch-test-start", "product-pause", "product-resume"):
        assert user_client.post(reverse(f"tracker:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.patch_test == PT.NOT_DONE
    assert theirs.paused_on is None


# Products: pause


def test_pausing_twice_stays_paused_once_from_the_first_day(user, user_client, now, time_machine):
    product = make_product(user, "Rosehip serum")
    url = reverse("tracker:product-pause", args=[product.pk])

    user_client.post(url)
    time_machine.move_to(datetime.fromisoformat("2026-11-19T12:00:00+00:00"), tick=False)
    user_client.post(url)

    product.refresh_from_db()
    assert product.paused_on == TODAY
    assert Product.objects.filter(paused_on__isnull=False).count() == 1


def test_a_paused_product_is_left_out_of_one_tap_logs_until_it_is_used_again(
    user, user_client, now
):
    jojoba = make_product(user, "Jojoba oil")
    rosehip = make_product(user, "Rosehip serum")
    routine = make_routine(user, products=[jojoba, rosehip])
    user_client.post(reverse("tracker:product-pause", args=[rosehip.pk]))

    user_client.post(reverse("tracker:log-routine", args=[routine.pk]))
    user_client.post(reverse("tracker:product-resume", args=[rosehip.pk]))
    user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    first, second = MassageSession.objects.order_by("pk")
    assert list(first.products.all()) == [jojoba]
    assert set(second.products.all()) == {jojoba, rosehip}


def test_the_gear_page_offers_pause_and_says_paused(user, user_client, now):
    product = make_product(user, "Rosehip serum")
    user_client.post(reverse("tracker:product-pause", args=[product.pk]))

    html = user_client.get(reverse("tracker:gear")).content.decode()

    assert "Paused since 18 Nov" in html
    assert reverse("tracker:product-resume", args=[product.pk]) in html


# Products: one that reacted


def test_a_product_that_reacted_says_stop_using_it_everywhere(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    session = make_session(user, now - timedelta(hours=1), products=[reacted])
    pages = {
        "gear": reverse("tracker:gear"),
        "history": reverse("tracker:history"),
        "detail": reverse("tracker:session-detail", args=[session.pk]),
        "log form": reverse("tracker:session-new"),
        "dashboard": reverse("tracker:dashboard"),
    }

    for name, url in pages.items():
        html = user_client.get(url).content.decode()
        assert "stop using it" in html.lower(), name


def test_adding_a_product_that_reacted_to_a_session_needs_a_confirmation(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    fields = {"performed_at": "2026-11-18T10:00", "minutes": "10", "pressure": "gentle"}

    refused = user_client.post(reverse("tracker:session-new"), {**fields, "products": [reacted.pk]})

    assert refused.status_code == 200
    assert "“Coconut oil” reacted on your skin: stop using it" in refused.content.decode()
    assert not MassageSession.objects.exists()

    user_client.post(
        reverse("tracker:session-new"), {**fields, "products": [reacted.pk], "add_reacted": "on"}
    )
    assert list(MassageSession.objects.get().products.all()) == [reacted]


def test_adding_a_product_that_reacted_to_a_routine_needs_a_confirmation(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    routine = make_routine(user)
    url = reverse("tracker:routine-detail", args=[routine.pk])

    refused = user_client.post(url, {"name": "Evening", "products": [reacted.pk]})
    assert "reacted on your skin" in refused.content.decode()
    assert not routine.products.exists()

    user_client.post(url, {"name": "Evening", "products": [reacted.pk], "add_reacted": "on"})
    assert list(routine.products.all()) == [reacted]

    # Already in the routine: saving its name again asks for nothing.
    response = user_client.post(url, {"name": "Evening two", "products": [reacted.pk]})
    assert response.status_code == 302
    assert Routine.objects.get(pk=routine.pk).name == "Evening two"


def test_a_new_routine_with_a_reacted_product_needs_the_confirmation_too(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)

    response = user_client.post(
        reverse("tracker:routine-new"), {"name": "Oily", "products": [reacted.pk]}
    )

    assert response.status_code == 200
    assert not Routine.objects.exists()


# The check before you start


def test_the_check_asks_the_six_questions_and_stores_nothing_on_a_visit(user_client):
    html = user_client.get(PAGE).content.decode()

    for question in (
        "Active acne, rosacea or eczema",
        "Broken or sunburnt skin",
        "A peel, laser or microdermabrasion in the last two weeks",
        "Fillers or botulinum toxin in the last two weeks",
        "Pregnancy",
        "Blood thinners, or you bruise easily",
    ):
        assert question in html
    assert not HealthCheck.objects.exists()


def test_answers_without_agreement_give_advice_once_and_are_not_kept(user_client, now):
    response = user_client.post(PAGE, {"conditions": ["bruises_easily"]})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Gentle pressure only" in html
    assert 'href="/sources/#nielsen-2007"' in html
    assert "Not kept" in html
    assert not HealthCheck.objects.exists()


def test_answers_are_kept_once_the_person_agrees(user, user_client, now):
    response = user_client.post(PAGE, {"conditions": ["pregnancy", "active_skin"], "agree": "on"})

    assert response.status_code == 302
    check = HealthCheck.objects.get(owner=user)
    assert check.conditions == ["active_skin", "pregnancy"]
    assert check.agreed_at == now
    html = user_client.get(PAGE).content.decode()
    assert "Skip these areas" in html
    assert "Ask your doctor first" in html
    assert "Delete my answers" in html


def test_unknown_answers_are_ignored_not_refused(user, user_client, now):
    response = user_client.post(
        PAGE, {"conditions": ["pregnancy", "sunburn", "'; drop table"], "agree": "on"}
    )

    assert response.status_code == 302
    assert HealthCheck.objects.get(owner=user).conditions == ["pregnancy"]


def test_changing_the_answers_replaces_them(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})
    user_client.post(PAGE, {"agree": "on"})

    assert HealthCheck.objects.get(owner=user).conditions == []


def test_the_answers_can_be_deleted(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})

    response = user_client.post(reverse("tracker:health-check-delete"))

    assert response.status_code == 302
    assert not HealthCheck.objects.exists()


def test_the_answers_of_one_person_are_theirs_alone(user, other_user, client_for, now):
    client_for(other_user).post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})

    html = client_for(user).get(PAGE).content.decode()
    client_for(user).post(reverse("tracker:health-check-delete"))

    assert "Your stored answers" not in html
    assert HealthCheck.objects.get().owner == other_user


def test_the_answers_change_the_dashboard_and_the_guided_session_but_never_block_logging(
    user, user_client, now
):
    routine = make_routine(user)
    user_client.post(PAGE, {"conditions": ["bruises_easily"], "agree": "on"})

    dashboard = user_client.get(reverse("tracker:dashboard")).content.decode()
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    logged = user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    assert "For you, from your answers" in dashboard and "Gentle pressure only" in dashboard
    assert "Gentle pressure only" in guide
    assert logged.status_code == 302
    assert MassageSession.objects.count() == 1


def test_a_new_person_is_offered_the_check_on_the_dashboard_and_the_guided_session(
    user, user_client, now
):
    routine = make_routine(user)

    dashboard = user_client.get(reverse("tracker:dashboard")).content.decode()
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    settings_page = user_client.get(reverse("tracker:profile")).content.decode()

    for html in (dashboard, guide, settings_page):
        assert f'href="{PAGE}"' in html
    make_session(user, now - timedelta(hours=1))
    assert "Take the check" not in user_client.get(reverse("tracker:dashboard")).content.decode()


def test_nothing_about_health_is_ever_emailed(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})
    session = make_session(user, now - timedelta(hours=1))
    user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "breakout"}
    )

    assert mail.outbox == []


def test_no_browser_cache_or_service_worker_keeps_the_answers(user_client):
    response = user_client.get(PAGE)

    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))


def test_the_page_takes_a_constant_few_queries(user, user_client, django_assert_num_queries):
    # Session, user, profile; the stored answers.
    with django_assert_num_queries(4):
        assert user_client.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    ("zone", "week_start"),
    # Noon UTC on Wednesday 18 November: Thursday in Kiritimati, Wednesday in Pago Pago.
    [("Pacific/Kiritimati", "2026-11-19"), ("Pacific/Pago_Pago", "2026-11-18")],
)
def test_the_rest_week_the_bruising_advice_offers_is_this_week_and_is_taken(
    make_user, client_for, now, zone: str, week_start: str
):
    # Issue 8 refuses a rest week in the future: the advice must offer the person's today.
    person = make_user("bruised", timezone=zone)
    client = client_for(person)
    make_session(person, now - timedelta(hours=1)).record_reaction(Reaction.BRUISING)

    html = dashboard(client)
    offered = html[html.index('id="advice-heading"') :]
    assert f'name="week_start" value="{week_start}"' in offered

    response = client.post(
        reverse("tracker:rest-week-add"), {"week_start": week_start, "next": "dashboard"}
    )

    assert response.status_code == 302
    assert person.restweek_set.get().week_start == person.profile.week_start_of(
        date.fromisoformat(week_start)
    )
