"""The Sources page: open to anyone, every source anchored, linked from every page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tracker.guidance.sources import SOURCES, SOURCES_BY_KEY


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
