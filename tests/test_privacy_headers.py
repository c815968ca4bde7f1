"""Headers that keep a person's pages private and the browser's features off, formulas out of
the spreadsheet, and one list of time zones."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import make_session
from tracker.forms import ProfileForm
from tracker.models import timezone_names
from tracker.portability import export_document, sessions_csv

pytestmark = pytest.mark.django_db

ALLOWED_FOR_SELF = {
    "camera",
    "fullscreen",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
}


def policy_of(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_allows_only_the_features_the_app_uses_and_only_for_itself(
    client, user_client, logged_in: bool
):
    response = (user_client if logged_in else client).get(reverse("login"), follow=True)

    policy = policy_of(response)
    assert {feature for feature, allowed in policy.items() if allowed != "()"} == ALLOWED_FOR_SELF
    assert all(policy[feature] == "(self)" for feature in ALLOWED_FOR_SELF)
    for feature in ("geolocation", "microphone", "payment", "usb", "autoplay", "display-capture"):
        assert policy[feature] == "()"


@pytest.mark.parametrize(
    "name",
    [
        "tracker:dashboard",
        "tracker:history",
        "tracker:profile",
        "tracker:photos",
        "tracker:health-check",
    ],
)
def test_a_logged_in_persons_pages_are_private_to_their_browser(user_client, name: str):
    response = user_client.get(reverse(name))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_export_stays_out_of_every_cache(user_client):
    response = user_client.get(reverse("tracker:data-export"))

    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


@pytest.mark.parametrize(
    "note",
    ["=1+1", " =1+1", "\n=1+1", "\r\n+SUM(A1)", "\t-2", "   @cmd", "\u00a0=1+1", "\t plain"],
)
def test_notes_that_a_spreadsheet_would_run_reach_the_csv_as_text(user, note: str):
    make_session(user, notes=note)

    document, _files = export_document(user)
    (row,) = csv.DictReader(io.StringIO(sessions_csv(document)))

    assert row["notes"] == f"'{note}"


def test_plain_notes_reach_the_csv_unchanged(user):
    make_session(user, notes="Felt calm; a little = after")

    document, _files = export_document(user)
    (row,) = csv.DictReader(io.StringIO(sessions_csv(document)))

    assert row["notes"] == "Felt calm; a little = after"


def profile_form(zone: str) -> ProfileForm:
    data = {"timezone": zone, "week_start": 0, "target_min": 2, "target_stretch": 3}
    return ProfileForm({**data, "target_minutes": 10})


def test_the_settings_offer_utc_and_every_zone_named_after_a_place():
    names = timezone_names()

    assert names[0] == "UTC"
    assert {"Europe/Berlin", "Pacific/Kiritimati", "America/Argentina/Buenos_Aires"} <= set(names)
    assert not [name for name in names if name.startswith(("Etc/", "SystemV/"))]
    assert profile_form("Pacific/Kiritimati").is_valid()
    assert not profile_form("Etc/GMT-14").is_valid()
