"""Every page marks its place in the navigation (tracker/navigation.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_session
from tests.test_security import url_names, urls_for
from tracker import navigation

pytestmark = pytest.mark.django_db

MARKED = re.compile(r'class="nav(?:-more)?-link nav-(\w+)" aria-current="page"')


def marked_sections(html: str) -> set[str]:
    nav = html[html.index('<nav class="main-nav"') : html.index("</nav>")]
    return set(MARKED.findall(nav))


def test_every_url_of_the_app_has_a_section_or_is_not_a_page():
    names = {
        name.removeprefix("tracker:") for name, _ in url_names() if name.startswith("tracker:")
    }

    unplaced = names - set(navigation.SECTION_OF) - navigation.NOT_PAGES
    gone = (set(navigation.SECTION_OF) | navigation.NOT_PAGES) - names
    assert not unplaced, f"Give these URLs a section in tracker/navigation.py: {sorted(unplaced)}"
    assert not gone, f"Remove these from tracker/navigation.py: {sorted(gone)}"


def test_every_page_marks_its_section_in_the_navigation(user, client_for, now):
    client = client_for(user)
    walked = []
    for name, pattern in url_names():
        for url in urls_for(name, pattern, user):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if '<nav class="main-nav"' not in html:
                continue
            namespace, _, short = name.rpartition(":")
            expected = navigation.section_for(namespace, short)
            assert expected, f"{name} ({url}) shows the navigation but marks no section"
            assert marked_sections(html) == {expected}, (name, url)
            walked.append(name)
    # The walk did reach the pages: the main ones, a detail page and an account page.
    assert {
        "tracker:dashboard",
        "tracker:history",
        "tracker:session-detail",
        "tracker:year",
        "tracker:gear",
        "tracker:profile",
        "account_email",
    } <= set(walked)


def test_the_phone_bar_holds_four_places_and_more_holds_the_rest(user_client):
    html = user_client.get(reverse("tracker:dashboard")).content.decode()
    more = html[html.index('<ul class="nav-more-list">') : html.index("</details>")]

    for label in ("Insights", "Tools and products", "Year", "Sources", "Settings"):
        assert f">{label}</a>" in more
    for label in ("Today", "History", "Photos", "Routines"):
        assert f">{label}</a>" not in more


def test_a_page_behind_more_marks_more_as_well(user_client):
    html = user_client.get(reverse("tracker:year")).content.decode()

    assert '<summary class="nav-link is-current">More' in html
    assert marked_sections(html) == {"year"}


def test_the_session_detail_page_marks_history(user, user_client, now):
    html = user_client.get(reverse("tracker:session-detail", args=[make_session(user).pk]))
    assert marked_sections(html.content.decode()) == {"history"}
