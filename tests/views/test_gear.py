import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_product,
    make_routine,
    make_session,
    make_tool,
    product_data,
    tool_data,
)
from tests.readers import messages_of
from tracker.models import Product, Tool

pytestmark = pytest.mark.django_db

GEAR = reverse("tracker:gear")
AUCKLAND = ZoneInfo("Pacific/Auckland")
FACTORIES = {"tools": make_tool, "products": make_product}


# The list


def test_the_list_shows_the_users_tools_and_products_with_their_reminders(
    user, other_user, user_client
):
    make_tool(user, "Rose quartz roller", material="Rose quartz", last_cleaned_on=date(2026, 11, 1))
    make_tool(user, "Gua sha", kind=Tool.Kind.GUA_SHA)
    make_product(user, "Jojoba oil", key_ingredients="Jojoba", opened_on=date(2026, 10, 3))
    make_product(user, "Rosehip serum", patch_test=Product.PatchTest.PENDING)
    make_tool(other_user, "Not my roller")

    html = user_client.get(GEAR).content.decode()

    assert "Rose quartz roller" in html
    # The material is in the name already.
    assert '<span class="muted">Jade roller</span>' in html
    assert "Last cleaned 1 Nov 2026" in html
    assert "Cleaning not recorded" in html
    assert '<span class="badge badge-ok">Passed</span>' in html
    assert '<span class="badge badge-warn">Not done yet</span>' in html  # no start date
    assert "opened 3 Oct 2026" in html
    assert "Not my roller" not in html


def test_an_empty_list_offers_to_add_both(user_client):
    html = user_client.get(GEAR).content.decode()

    assert "No tools yet." in html
    assert "No products yet." in html
    assert reverse("tracker:gear-new", args=["tools"]) in html
    assert reverse("tracker:gear-new", args=["products"]) in html


# Adding and editing


def test_adding_a_tool_makes_it_the_users(user, user_client):
    response = user_client.post(reverse("tracker:gear-new", args=["tools"]), tool_data())

    assert response.status_code == 302
    assert response["Location"] == GEAR
    tool = Tool.objects.get()
    assert (tool.owner, tool.name, tool.kind, tool.material) == (
        user,
        "Gua sha stone",
        "gua_sha",
        "Jade",
    )
    assert messages_of(response) == ["Saved “Gua sha stone”."]


def test_adding_a_product_records_its_patch_test(user, user_client):
    response = user_client.post(
        reverse("tracker:gear-new", args=["products"]),
        product_data(patch_test_started_on="2026-11-10", opened_on="2026-11-09"),
    )

    assert response["Location"] == GEAR
    product = Product.objects.get()
    assert product.owner == user
    assert product.patch_test_started_on == date(2026, 11, 10)
    assert product.needs_patch_test


def test_an_invalid_tool_is_shown_again_with_its_errors(user_client):
    response = user_client.post(reverse("tracker:gear-new", args=["tools"]), tool_data(name=""))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Tool.objects.exists()


def test_the_add_page_names_what_it_adds(user_client):
    html = user_client.get(reverse("tracker:gear-new", args=["products"])).content.decode()

    assert "Add a product" in html


def test_editing_a_tool_records_when_it_was_cleaned(user, user_client):
    tool = make_tool(user)
    url = reverse("tracker:gear-edit", args=["tools", tool.pk])

    page = user_client.get(url)
    response = user_client.post(url, tool_data(name=tool.name, last_cleaned_on="2026-11-18"))

    assert f"Edit {tool.name}" in page.content.decode()
    assert response["Location"] == GEAR
    tool.refresh_from_db()
    assert tool.last_cleaned_on == date(2026, 11, 18)
    assert Tool.objects.count() == 1


def test_a_passed_patch_test_clears_the_product(user, user_client):
    product = make_product(user, patch_test=Product.PatchTest.PENDING)

    user_client.post(
        reverse("tracker:gear-edit", args=["products", product.pk]),
        product_data(name=product.name, patch_test="passed"),
    )

    product.refresh_from_db()
    assert not product.needs_patch_test


# Deleting


@pytest.mark.parametrize("kind", ["tools", "products"])
def test_deleting_asks_first_then_deletes_and_keeps_the_sessions(user, user_client, kind: str):
    item = FACTORIES[kind](user)
    session = make_session(user, **{kind: [item]})
    url = reverse("tracker:gear-delete", args=[kind, item.pk])

    confirm = user_client.get(url)
    response = user_client.post(url)

    assert f"Delete “{item.name}”?" in confirm.content.decode()
    assert response["Location"] == GEAR
    assert not type(item).objects.exists()
    session.refresh_from_db()
    assert getattr(session, kind).count() == 0


def test_deleting_a_tool_keeps_the_routine_steps_without_it(user, user_client):
    tool = make_tool(user)
    routine = make_routine(user, tool=tool)

    user_client.post(reverse("tracker:gear-delete", args=["tools", tool.pk]))

    assert routine.steps.count() == 3
    assert not routine.steps.filter(tool__isnull=False).exists()


# Someone else's gear


@pytest.mark.parametrize("kind", ["tools", "products"])
@pytest.mark.parametrize(
    ("name", "method"),
    [("gear-edit", "get"), ("gear-edit", "post"), ("gear-delete", "get"), ("gear-delete", "post")],
)
def test_another_users_gear_is_a_404_and_stays_as_it_was(
    other_user, user_client, kind: str, name: str, method: str
):
    theirs = FACTORIES[kind](other_user, "Theirs")
    data = tool_data(name="Mine now") if kind == "tools" else product_data(name="Mine now")

    response = getattr(user_client, method)(
        reverse(f"tracker:{name}", args=[kind, theirs.pk]), data
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert theirs.owner == other_user


def test_an_unknown_kind_of_gear_is_a_404(user_client):
    assert user_client.get("/gear/brushes/new/").status_code == 404


def test_the_list_refuses_post(user_client):
    assert user_client.post(GEAR).status_code == 405


@pytest.mark.parametrize(
    "url", [GEAR, reverse("tracker:gear-new", args=["tools"])], ids=["list", "new"]
)
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(url: str, db):
    response = Client().get(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"


# Queries


@pytest.mark.parametrize("count", [1, 10])
def test_the_gear_list_costs_the_same_queries_for_little_gear_or_lots(
    user, user_client, django_assert_num_queries, count: int
):
    for n in range(count):
        make_tool(user, f"Tool {n}")
        make_product(user, f"Product {n}")

    # Session, user, profile, the tools and the products.
    with django_assert_num_queries(5):
        user_client.get(GEAR)


# Patch tests and cleaning


def test_the_tools_page_shows_the_day_of_a_running_patch_test(user, user_client):
    today = user.profile.today()
    make_product(
        user, "Rosehip oil", patch_test=Product.PatchTest.PENDING, patch_test_started_on=today
    )
    page = user_client.get(reverse("tracker:gear")).content.decode()
    assert "Day 1 of 7 to 10 on your inner arm" in page


def test_cleaned_today_records_today_in_the_users_zone(make_user, client_for, time_machine):
    # Wednesday 08:00 in Auckland is still Tuesday in UTC.
    time_machine.move_to(datetime(2026, 11, 18, 8, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user)
    client = client_for(user)

    page = client.get(reverse("tracker:gear")).content.decode()
    assert reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}) in page
    response = client.post(reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}))

    assert response.status_code == 302
    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 18)
    page = client.get(reverse("tracker:gear")).content.decode()
    assert "Cleaned today" in page
    assert reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}) not in page


# Guidance


def test_the_gear_page_says_devices_are_not_hands(user_client):
    html = user_client.get(reverse("tracker:gear")).content.decode()

    assert "not the same as hands" in html
    assert 'href="/sources/#aad-patch-test"' in html


# Fingers and knuckles (issue 14)


def tool_card(html: str, name: str) -> str:
    start = html.index(f"<strong>{name}</strong>")
    return html[start : html.index("</li>", start)]


def test_a_tool_named_after_its_kind_is_not_named_twice(user, user_client):
    make_tool(user, "Fingers", kind=Tool.Kind.FINGERS)
    make_tool(user, "My stone", kind=Tool.Kind.GUA_SHA, material="jade")

    html = user_client.get(GEAR).content.decode()

    assert "Fingers" not in tool_card(html, "Fingers").removeprefix("<strong>Fingers</strong>")
    assert "Gua sha stone, jade" in tool_card(html, "My stone")


def test_fingers_and_knuckles_need_no_cleaning_record(user, user_client):
    make_tool(user, "Fingers", kind=Tool.Kind.FINGERS)
    make_tool(user, "Knuckles", kind=Tool.Kind.KNUCKLES)
    make_tool(user, "Roller", kind=Tool.Kind.JADE_ROLLER)

    html = user_client.get(GEAR).content.decode()

    for hands in ("Fingers", "Knuckles"):
        card = tool_card(html, hands)
        assert "Cleaned it today" not in card and "Cleaning not recorded" not in card
        assert "no cleaning to record" in card
    assert "Cleaned it today" in tool_card(html, "Roller")


def test_the_navigation_and_the_page_name_tools_and_products_alike(user_client):
    html = user_client.get(GEAR).content.decode()

    assert "<h1>Tools and products</h1>" in html
    assert re.search(r'aria-current="page">Tools and products</a>', html)


def test_the_kind_and_material_are_left_out_when_the_name_says_them(user, user_client):
    make_tool(user, "Rose quartz gua sha", kind=Tool.Kind.GUA_SHA, material="Rose quartz")
    make_tool(user, "Steel roller", kind=Tool.Kind.JADE_ROLLER, material="steel")

    html = user_client.get(GEAR).content.decode()

    card = tool_card(html, "Rose quartz gua sha")
    assert "Gua sha stone" not in card and 'class="muted">Rose quartz' not in card
    assert "Jade roller" in tool_card(html, "Steel roller")
