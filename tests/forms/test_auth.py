"""The account forms' hard limits: any text at all is a form error or a success, never a
server error (SQLite and PostgreSQL)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import signup_data

pytestmark = pytest.mark.django_db


ANY_TEXT = st.one_of(
    st.text(max_size=3000),
    st.sampled_from(["x" * 300, "a" * 250 + "@example.com", "\x00", "é" * 200 + "@b.c"]),
)


FORMS = {
    "account_login": lambda text: {"login": text, "password": text},
    "account_signup": lambda text: signup_data(email=text, username=text),
    "account_reset_password": lambda text: {"email": text},
    "account_request_login_code": lambda text: {"email": text},
}


@pytest.mark.parametrize("name", sorted(FORMS))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=ANY_TEXT)
def test_any_text_in_an_account_form_is_never_a_server_error(name: str, text: str, user):
    cache.clear()  # so that the throttle does not answer for the form
    response = Client().post(reverse(name), FORMS[name](text))

    assert response.status_code in {200, 302}, response.status_code
