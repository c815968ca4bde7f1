"""The insights page: plain counts in words, honest about too few sessions, one query count."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import WEDNESDAY_NOON, make_product, make_session, make_tool

pytestmark = pytest.mark.django_db

URL = reverse("tracker:insights")
NOW = WEDNESDAY_NOON


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_with_no_sessions_it_says_there_is_nothing_to_compare(user_client, now):
    text = page(user_client)

    assert "No sessions in the last 6 months" in text


def test_without_recorded_reactions_it_says_so(user, user_client, now):
    make_session(user, NOW - timedelta(days=1))

    assert "None of these sessions has a recorded reaction yet" in page(user_client)


def test_the_counts_are_in_plain_words_with_the_minimum_stated(user, user_client, now):
    rosehip = make_product(user, "Rosehip oil")
    for n in range(4):
        make_session(
            user,
            NOW - timedelta(days=n + 1),
            products=[rosehip],
            reaction="redness" if n < 3 else "none",
        )
    for n in range(30):
        make_session(
            user, NOW - timedelta(days=n + 10, hours=1), reaction="redness" if n < 1 else "none"
        )

    text = page(user_client)

    assert "Redness after 3 of 4 sessions with “Rosehip oil”, after 1 of 30 without." in text
    assert "Too few sessions to tell" in text
    assert "fewer than 5 sessions with a thing, or fewer than 5 without" in text


def test_a_clear_difference_is_unlikely_to_be_chance_but_never_a_cause(user, user_client, now):
    rosehip = make_product(user, "Rosehip oil")
    for n in range(10):
        make_session(user, NOW - timedelta(days=n + 1), products=[rosehip], reaction="redness")
    for n in range(30):
        make_session(user, NOW - timedelta(days=n + 12), reaction="none")
    for n in range(6):
        make_session(user, NOW - timedelta(days=n + 50), reaction="")

    text = page(user_client)

    assert "Unlikely to be chance alone" in text
    assert "Reactions came more often with it; that does not show it caused them." in text
    assert "(6 of your 46 sessions here)" in text
    assert "Holm's method" in text


def test_sessions_older_than_six_months_are_left_out(user, user_client, now):
    make_session(user, NOW - timedelta(days=200), reaction="redness")

    assert "No sessions in the last 6 months" in page(user_client)


@pytest.mark.parametrize("count", [10, 200])
def test_the_page_costs_the_same_queries_however_long_the_history(
    user, user_client, now, django_assert_num_queries, count
):
    products = [make_product(user, f"Oil {n}") for n in range(3)]
    tools = [make_tool(user, f"Tool {n}") for n in range(2)]
    for n in range(count):
        make_session(
            user,
            NOW - timedelta(hours=n * 20),
            products=products[: n % 4],
            tools=tools[: n % 3],
            techniques=["rolling"] if n % 2 else [],
            areas=["cheeks"],
            reaction=["none", "redness", ""][n % 3],
        )

    # Session, user, profile; the sessions; their tools; their products.
    with django_assert_num_queries(6):
        page(user_client)


def test_it_is_in_the_navigation(user_client):
    assert f'href="{URL}"' in user_client.get(reverse("tracker:dashboard")).content.decode()
