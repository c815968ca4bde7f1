import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_product, make_routine, make_session, make_tool, step_data
from tests.readers import messages_of
from tracker.models import MassageSession, Routine, RoutineStep, Technique, Tool
from tracker.starters import STARTERS, STARTERS_BY_SLUG, copy_starter

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ROUTINES = reverse("tracker:routine-list")


def techniques(routine: Routine) -> list[str]:
    return list(routine.steps.values_list("technique", flat=True))


def shown_techniques(html: str) -> list[str]:
    return re.findall(r'<li class="step" id="step-\d+">\s*<div><strong>([^<]+)</strong>', html)


def is_steps_partial(html: str) -> bool:
    return html.lstrip().startswith('<section id="steps"') and "<html" not in html


# The list and the starters


def test_the_list_shows_the_users_routines_and_the_starters(user, other_user, user_client):
    make_routine(user, "Evening lift")
    make_routine(other_user, "Not mine")

    html = user_client.get(ROUTINES).content.decode()

    assert "Evening lift" in html
    assert "3 steps, about 4 min" in html
    assert "Not mine" not in html
    for starter in STARTERS_BY_SLUG.values():
        assert f"Copy “{starter.name}”" in html


def test_copying_a_starter_creates_the_routine_its_steps_and_the_tools_it_needs(user, user_client):
    starter = STARTERS_BY_SLUG["hands-10"]

    response = user_client.post(reverse("tracker:routine-copy-starter", args=["hands-10"]))

    routine = Routine.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:routine-detail", args=[routine.pk])
    assert routine.name == starter.name
    assert routine.description == starter.description.text
    assert techniques(routine) == [step.technique for step in starter.steps]
    assert list(routine.steps.values_list("order", flat=True)) == list(range(len(starter.steps)))
    assert sorted(Tool.objects.for_user(user).values_list("kind", flat=True)) == [
        "fingers",
        "knuckles",
    ]
    assert not routine.steps.filter(tool__isnull=True).exists()
    assert routine.minutes() == starter.minutes == 10


def test_copying_a_starter_reuses_the_users_own_tool_of_that_kind(user, user_client):
    stone = make_tool(user, "Rose quartz stone", kind=Tool.Kind.GUA_SHA)

    user_client.post(reverse("tracker:routine-copy-starter", args=["gua-sha-8"]))
    user_client.post(reverse("tracker:routine-copy-starter", args=["gua-sha-8"]))

    assert list(Tool.objects.for_user(user)) == [stone]
    assert set(RoutineStep.objects.values_list("tool", flat=True)) == {stone.pk}
    assert Routine.objects.for_user(user).count() == 2


def test_copying_an_unknown_starter_is_a_404(user, user_client):
    response = user_client.post(reverse("tracker:routine-copy-starter", args=["no-such"]))

    assert response.status_code == 404
    assert not Routine.objects.exists()


def test_copying_a_starter_refuses_get(user_client):
    response = user_client.get(reverse("tracker:routine-copy-starter", args=["hands-10"]))

    assert response.status_code == 405
    assert not Routine.objects.exists()


# Creating, editing and deleting routines


def test_a_new_routine_belongs_to_the_user_and_opens_for_its_steps(user, user_client):
    oil = make_product(user)

    response = user_client.post(
        reverse("tracker:routine-new"),
        {"name": "Quick jaw", "description": "Jaw only.", "products": [oil.pk]},
    )

    routine = Routine.objects.get()
    assert response["Location"] == reverse("tracker:routine-detail", args=[routine.pk])
    assert (routine.owner, routine.name) == (user, "Quick jaw")
    assert list(routine.products.all()) == [oil]


def test_a_new_routine_cannot_use_another_users_product(other_user, user_client):
    theirs = make_product(other_user)

    response = user_client.post(
        reverse("tracker:routine-new"), {"name": "Sneaky", "products": [theirs.pk]}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Routine.objects.exists()


def test_the_routine_page_shows_its_steps_in_order(user, user_client):
    routine = make_routine(user)

    html = user_client.get(reverse("tracker:routine-detail", args=[routine.pk])).content.decode()

    assert shown_techniques(html) == [
        "Effleurage (light stroking)",
        "Gua sha scraping",
        "Effleurage (light stroking)",
    ]
    assert "about 4 min" in html


def test_renaming_a_routine_saves_and_redirects_to_it(user, user_client):
    routine = make_routine(user, "Old name")
    url = reverse("tracker:routine-detail", args=[routine.pk])

    response = user_client.post(url, {"name": "New name"})

    assert response.status_code == 302
    assert response["Location"] == url
    routine.refresh_from_db()
    assert routine.name == "New name"


def test_deleting_a_routine_asks_first_and_keeps_its_sessions(user, user_client):
    routine = make_routine(user, "Evening lift")
    session = make_session(user, routine=routine)
    url = reverse("tracker:routine-delete", args=[routine.pk])

    confirm = user_client.get(url)
    response = user_client.post(url)

    assert "Delete “Evening lift”?" in confirm.content.decode()
    assert response["Location"] == ROUTINES
    assert not Routine.objects.exists()
    session.refresh_from_db()
    assert session.routine is None


# Steps


def test_adding_a_step_with_htmx_returns_the_steps_with_the_new_one_last(user, user_client):
    routine = make_routine(user)

    response = user_client.post(
        reverse("tracker:step-add", args=[routine.pk]), step_data(), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert is_steps_partial(html)
    assert shown_techniques(html)[-1] == "Rolling"
    assert techniques(routine)[-1] == Technique.ROLLING
    assert "about 5 min" in html


def test_adding_a_step_without_htmx_redirects_to_the_routine(user, user_client):
    routine = make_routine(user)

    response = user_client.post(reverse("tracker:step-add", args=[routine.pk]), step_data())

    assert response["Location"] == reverse("tracker:routine-detail", args=[routine.pk])
    assert routine.steps.count() == 4


def test_the_first_step_of_an_empty_routine_can_be_added(user, user_client):
    routine = Routine.objects.create(owner=user, name="Blank")

    user_client.post(reverse("tracker:step-add", args=[routine.pk]), step_data(), headers=HTMX)

    assert techniques(routine) == [Technique.ROLLING]


def test_an_invalid_step_with_htmx_comes_back_in_the_steps_with_its_errors(user, user_client):
    routine = make_routine(user)

    response = user_client.post(
        reverse("tracker:step-add", args=[routine.pk]), step_data(seconds="2"), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert is_steps_partial(html)
    assert "The step was not added" in html
    assert routine.steps.count() == 3


def test_an_invalid_step_without_htmx_says_why_on_the_routine_page(user, user_client):
    routine = make_routine(user)

    response = user_client.post(
        reverse("tracker:step-add", args=[routine.pk]), step_data(technique="")
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("The step was not added")
    assert routine.steps.count() == 3


def test_a_step_cannot_use_another_users_tool(user, other_user, user_client):
    routine = make_routine(user)
    theirs = make_tool(other_user)

    response = user_client.post(
        reverse("tracker:step-add", args=[routine.pk]), step_data(tool=theirs.pk), headers=HTMX
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert routine.steps.count() == 3


def test_moving_a_step_down_swaps_it_with_the_next_one(user, user_client):
    routine = make_routine(user)
    first = routine.steps.first()

    response = user_client.post(reverse("tracker:step-move", args=[first.pk, "down"]), headers=HTMX)

    assert is_steps_partial(response.content.decode())
    assert techniques(routine) == ["gua_sha", "effleurage", "effleurage"]
    assert list(routine.steps.values_list("order", flat=True)) == [0, 1, 2]


def test_moving_a_step_up_swaps_it_with_the_one_before(user, user_client):
    routine = make_routine(user)
    second = routine.steps.all()[1]

    response = user_client.post(reverse("tracker:step-move", args=[second.pk, "up"]))

    assert response["Location"] == reverse("tracker:routine-detail", args=[routine.pk])
    assert techniques(routine)[0] == "gua_sha"


def test_moving_the_first_step_up_changes_nothing(user, user_client):
    routine = make_routine(user)
    before = list(routine.steps.values_list("pk", flat=True))

    response = user_client.post(reverse("tracker:step-move", args=[before[0], "up"]), headers=HTMX)

    assert response.status_code == 200
    assert list(routine.steps.values_list("pk", flat=True)) == before


def test_deleting_a_step_returns_the_remaining_steps_in_order(user, user_client):
    routine = make_routine(user)
    first = routine.steps.first()

    response = user_client.post(reverse("tracker:step-delete", args=[first.pk]), headers=HTMX)

    html = response.content.decode()
    assert is_steps_partial(html)
    assert shown_techniques(html) == ["Gua sha scraping", "Effleurage (light stroking)"]
    assert list(routine.steps.values_list("order", flat=True)) == [0, 1]


# Someone else's routines


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("routine-detail", "get"),
        ("routine-detail", "post"),
        ("routine-delete", "get"),
        ("routine-delete", "post"),
        ("log-routine", "post"),
        ("step-add", "post"),
    ],
)
def test_another_users_routine_is_a_404_and_stays_as_it_was(
    other_user, user_client, name: str, method: str
):
    theirs = make_routine(other_user, "Theirs")

    response = getattr(user_client, method)(
        reverse(f"tracker:{name}", args=[theirs.pk]), {"name": "Mine now", **step_data()}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert theirs.steps.count() == 3
    assert not MassageSession.objects.exists()


@pytest.mark.parametrize(
    ("name", "extra"), [("step-move", ["down"]), ("step-move", ["up"]), ("step-delete", [])]
)
def test_a_step_of_another_users_routine_is_a_404(other_user, user_client, name: str, extra: list):
    theirs = make_routine(other_user)
    before = list(theirs.steps.values_list("pk", "order"))
    step = theirs.steps.all()[1]

    response = user_client.post(reverse(f"tracker:{name}", args=[step.pk, *extra]), headers=HTMX)

    assert response.status_code == 404
    assert list(theirs.steps.values_list("pk", "order")) == before


@pytest.mark.parametrize(
    ("name", "extra"), [("step-add", []), ("step-move", ["up"]), ("step-delete", [])]
)
def test_changing_steps_refuses_get(user, user_client, name: str, extra: list):
    routine = make_routine(user)
    pk = routine.pk if name == "step-add" else routine.steps.all()[1].pk

    response = user_client.get(reverse(f"tracker:{name}", args=[pk, *extra]))

    assert response.status_code == 405
    assert routine.steps.count() == 3


@pytest.mark.parametrize("name", ["routine-list", "routine-new"])
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(name: str, db):
    url = reverse(f"tracker:{name}")

    response = Client().get(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_visitor_cannot_copy_a_starter(db):
    response = Client().post(reverse("tracker:routine-copy-starter", args=["hands-10"]))

    assert response["Location"].startswith(reverse("login"))
    assert not Routine.objects.exists()


# Queries


@pytest.mark.parametrize("count", [1, 8])
def test_the_routine_list_costs_the_same_queries_for_one_routine_or_many(
    user, user_client, django_assert_num_queries, count: int
):
    for n in range(count):
        make_routine(user, f"Routine {n}")

    # Session, user, profile, the routines, and their steps.
    with django_assert_num_queries(5):
        html = user_client.get(ROUTINES).content.decode()

    assert html.count("3 steps, about 4 min") == count


@pytest.mark.parametrize("steps", [1, 12])
def test_the_routine_page_costs_the_same_queries_for_few_steps_or_many(
    user, user_client, django_assert_num_queries, steps: int
):
    tool = make_tool(user)
    routine = make_routine(user, steps=[("rolling", "cheeks", 30)] * steps, tool=tool)
    routine.products.set([make_product(user, "Oil"), make_product(user, "Serum")])

    # Session, user, profile; the routine and its products; its steps with their tools; the
    # total length; the step form's tools and the routine form's products.
    with django_assert_num_queries(9):
        user_client.get(reverse("tracker:routine-detail", args=[routine.pk]))


def test_the_steps_partial_costs_a_constant_few_queries(
    user, user_client, django_assert_num_queries
):
    routine = make_routine(user, steps=[("rolling", "cheeks", 30)] * 10, tool=make_tool(user))
    step = routine.steps.all()[4]

    # Session, user, profile; the step and its routine, its siblings; a savepoint around the
    # reordering; then the steps with their tools, the total length and the tool choices.
    with django_assert_num_queries(11):
        user_client.post(reverse("tracker:step-move", args=[step.pk, "up"]), headers=HTMX)


# Editing a step in place


def test_a_steps_row_turns_into_its_form_and_back_with_htmx(user, user_client):
    routine = make_routine(user)
    step = routine.steps.all()[1]
    url = reverse("tracker:step-edit", args=[step.pk])

    form = user_client.get(url, headers=HTMX).content.decode()
    assert form.lstrip().startswith(f'<li class="step editing" id="step-{step.pk}">')
    assert "Edit step 2" in form
    assert f'id="id_step{step.pk}_seconds"' in form

    saved = user_client.post(url, step_data(seconds="75"), headers=HTMX).content.decode()

    assert saved.lstrip().startswith(f'<li class="step" id="step-{step.pk}">')
    assert "Rolling</strong>, cheeks · 75 s" in saved
    assert 'aria-label="Move step 2 up"' in saved and 'aria-label="Move step 2 down"' in saved
    step.refresh_from_db()
    assert (step.technique, step.area, step.seconds, step.order) == ("rolling", "cheeks", 75, 1)


def test_cancelling_an_edit_gives_the_row_back(user, user_client):
    step = make_routine(user).steps.first()

    row = user_client.get(reverse("tracker:step-detail", args=[step.pk]), headers=HTMX)

    html = row.content.decode()
    assert html.lstrip().startswith(f'<li class="step" id="step-{step.pk}">')
    assert 'aria-label="Move step 1 up"' not in html


def test_an_invalid_step_edit_comes_back_with_its_errors_and_changes_nothing(user, user_client):
    step = make_routine(user).steps.first()

    response = user_client.post(
        reverse("tracker:step-edit", args=[step.pk]), step_data(seconds="2"), headers=HTMX
    )

    assert response.status_code == 200
    assert "The step was not saved" in response.content.decode()
    step.refresh_from_db()
    assert step.seconds == 60


def test_another_users_tool_cannot_be_put_on_a_step(user, other_user, user_client):
    step = make_routine(user).steps.first()
    theirs = make_tool(other_user)

    user_client.post(
        reverse("tracker:step-edit", args=[step.pk]), step_data(tool=theirs.pk), headers=HTMX
    )

    step.refresh_from_db()
    assert step.tool is None


def test_without_javascript_a_step_is_edited_on_a_page_of_its_own(user, user_client):
    routine = make_routine(user)
    step = routine.steps.first()
    url = reverse("tracker:step-edit", args=[step.pk])

    page = user_client.get(url).content.decode()
    assert "<html" in page and "Evening lift: step 1" in page
    response = user_client.post(url, step_data(instruction="Slowly."))

    assert (
        response["Location"]
        == f"{reverse('tracker:routine-detail', args=[routine.pk])}#step-{step.pk}"
    )
    assert messages_of(response) == ["Step saved."]
    step.refresh_from_db()
    assert step.instruction == "Slowly."
    cancel = user_client.get(reverse("tracker:step-detail", args=[step.pk]))
    assert cancel["Location"] == response["Location"]


def test_the_step_edit_form_costs_a_constant_few_queries(
    user, user_client, django_assert_num_queries
):
    routine = make_routine(user, steps=[("rolling", "cheeks", 30)] * 10, tool=make_tool(user))
    step = routine.steps.all()[4]

    # Session, user, profile; the step and its routine; its siblings with their tools; the
    # tool choices.
    with django_assert_num_queries(6):
        user_client.get(reverse("tracker:step-edit", args=[step.pk]), headers=HTMX)


# The guide


def test_the_guide_lists_every_step_with_its_time_and_offers_the_log(
    user, user_client, django_assert_num_queries
):
    routine = copy_starter(STARTERS[0], user)
    url = reverse("tracker:routine-guide", kwargs={"pk": routine.pk})

    # Session, user, profile; the routine; its steps with their tools; the health check.
    with django_assert_num_queries(6):
        page = user_client.get(url).content.decode()

    steps = list(routine.steps.all())
    assert page.count('data-seconds="') == len(steps)
    for step in steps:
        assert f'data-seconds="{step.seconds}"' in page
    assert reverse("tracker:log-routine", kwargs={"pk": routine.pk}) in page
    assert "js/guide.js" in page
    assert f"About {routine.minutes()} minutes" in page


def test_the_routine_pages_link_to_the_guide(user, user_client):
    routine = copy_starter(STARTERS[1], user)
    guide = reverse("tracker:routine-guide", kwargs={"pk": routine.pk})
    for page in (reverse("tracker:routine-list"), reverse("tracker:dashboard")):
        assert guide in user_client.get(page).content.decode(), page


# Guidance: techniques and gua sha in the editor, where the starters' strokes come from


def test_the_step_form_explains_the_techniques_and_gua_sha_steps_give_angle_and_passes(
    user, user_client
):
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
    Routine.objects.create(owner=user, name="10-minute lift")

    html = user_client.get(reverse("tracker:routine-list")).content.decode()

    assert "10-minute lift" in html


def test_the_old_starter_addresses_still_copy_the_renamed_routine(user, user_client):
    user_client.post(reverse("tracker:routine-copy-starter", args=["depuff-5"]))

    assert Routine.objects.get(owner=user).name == "5-minute light strokes"
