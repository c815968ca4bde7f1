"""Sign-up: each error sits right under the field it is about, in the app's own words."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import signup_data

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def field_block(html: str, name: str) -> str:
    """The markup of one field's wrapper, from its label to the next field."""
    match = re.search(
        rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?</div>\s*(?=<div class="field|$)',
        html,
        re.S,
    )
    assert match, name
    return match.group(0)


def refused(client, **changes) -> str:
    response = client.post(SIGNUP, {**signup_data(), **changes})
    assert response.status_code == 200
    return response.content.decode()


def test_a_short_password_is_refused_under_the_password_field(client):
    html = refused(client, password1="short-pw", password2="short-pw")
    block = field_block(html, "password1")

    # Control, then the error, then the help: the error is under the field it is about.
    assert block.index('name="password1"') < block.index("Too short: use at least 12 characters.")
    assert block.index("Too short") < block.index('class="helptext"')
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in block
    assert 'id="id_password1_error"' in block
    assert "Too short" not in field_block(html, "password2")


def test_passwords_that_differ_are_refused_under_the_second(client):
    html = refused(client, password2=signup_data()["password1"] + "x")

    assert "same password" in field_block(html, "password2")
    assert "same password" not in field_block(html, "password1")


def test_a_username_taken_is_refused_under_the_username_in_the_apps_words(client):
    User.objects.create_user("taken")  # not tracker data: an account that holds the name
    html = refused(client, username="taken")

    assert "That username is taken. Choose another, or leave it empty." in field_block(
        html, "username"
    )


def test_the_help_texts_are_the_apps_own_words(client):
    html = client.get(SIGNUP).content.decode()

    assert "At least 12 characters. Not a common password, not only digits" in html
    # Django's stock list of rules, and allauth's stock words, are gone.
    assert "Your password can" not in html
    assert "A user with that username already exists" not in html


def test_a_common_password_is_refused_in_the_apps_words(client):
    html = refused(client, password1="password1234", password2="password1234")

    assert "on lists of common passwords" in field_block(html, "password1")
    assert "This password is too common" not in html
