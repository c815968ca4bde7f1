"""Every account form of ours (tracker/forms/auth.py: allauth's forms in our words, with hard
limits), fuzzed through allauth's views like the app's forms in test_fuzz_forms.py: valid and
hostile values, other people's addresses, forged passkey answers. No 500, and a refused input
changes nothing in the database (allauth's addresses and passkeys included) or the media.

Two of allauth's own forms are here too, because they pass through code of ours: the code a
log-in email carries (tracker.views.auth.confirm_login_code) and the password that confirms who
you are (the adapter's reauthenticate, counted by the sign-in throttle). allauth's other forms
(the authenticator app's activation and deactivation, new recovery codes, the emailed code that
confirms who you are for an account without a password) are its own, with no code of ours
behind them; they are out of scope here.
"""

import json
import time

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.auth.mails import code_in
from tests.factories import PASSWORD
from tests.fuzzing import (
    JSON_VALUES,
    OTHER_EMAIL,
    OWN_EMAIL,
    PAGES,
    FuzzCase,
    choices,
    emails,
    flags,
    form_data,
    make_people,
    new_password,
    numbers,
    passwords,
    shaped_like_a_passkey,
    texts,
)
from tests.webauthn import SoftPasskey, add_passkey, creation_options
from tracker.forms import timezone_choices

ZONE_NAMES = [name for name, _label in timezone_choices()]
# Stands for the right code, or a passkey's right answer, worked out once the page is open.
RIGHT = "right"


def forged_passkey_answers(user_handle: str = "") -> st.SearchStrategy:
    return st.one_of(
        st.just(RIGHT),
        st.one_of(JSON_VALUES, shaped_like_a_passkey(user_handle)).map(json.dumps),
        texts,
    )


def app_code(secret: str) -> str:
    """The authenticator app's code of this moment."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class AccountFuzzCase(FuzzCase):
    # Settings lists the addresses and passkeys; allauth's pages list them too.
    pages = [*PAGES, "tracker:profile", "account_email", "mfa_index"]

    def open(self, url: str, **headers):
        """The form's page, which must answer: a redirect (to confirm who you are, say) would
        leave the form untried while every example passed."""
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, url)
        return response

    def confirm_by_code(self) -> None:
        """Confirm who you are with a code sent to the address, as an account without a
        password does."""
        self.client.post(reverse("account_request_reauthentication_code"), {"recipient": OWN_EMAIL})
        code = code_in(mail.outbox[-1])
        self.client.post(reverse("account_confirm_reauthentication_code"), {"code": code})


class TestSigningUpAndIn(AccountFuzzCase):
    @given(
        data=form_data(
            valid={
                "email": st.from_regex(r"[a-z]{1,10}@example\.org", fullmatch=True),
                "password1": new_password(),
                "password2": new_password(),
                "timezone": st.sampled_from(ZONE_NAMES),
            },
            hostile={
                "email": emails,
                "username": st.one_of(st.just("fuzzed"), texts),
                "password1": passwords,
                "password2": passwords,
                "timezone": choices(["Etc/GMT-14", "Mars/Olympus", "EST"]),
            },
        )
    )
    def test_signing_up(self, data):
        make_people()
        self.open(reverse("account_signup"))
        self.submit(reverse("account_signup"), data)

    @given(
        data=form_data(
            valid={
                "login": st.sampled_from(["fuzzed", OWN_EMAIL, OWN_EMAIL.upper()]),
                "password": st.just(PASSWORD),
            },
            hostile={
                "login": st.one_of(st.just("someone-else"), emails),
                "password": passwords,
                "remember": flags,
            },
        )
    )
    def test_logging_in(self, data):
        make_people()
        self.open(reverse("account_login"))
        self.submit(reverse("account_login"), data)

    @given(email=st.one_of(st.just(OWN_EMAIL), emails))
    def test_asking_for_a_reset_link(self, email):
        make_people()
        self.submit(reverse("account_reset_password"), {"email": email}, check_pages=False)

    @given(
        data=form_data(
            valid={"password1": new_password(), "password2": new_password()},
            hostile={"password1": passwords, "password2": passwords},
        )
    )
    def test_setting_a_password_from_a_reset_link(self, data):
        owner, _ = make_people()
        key = default_token_generator.make_token(owner)
        link = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(owner), "key": key},
        )
        # The link's page moves the key from the address into the session, then shows the form.
        form_url = self.client.get(link, follow=True).redirect_chain[-1][0]
        self.open(form_url)
        self.submit(form_url, data, check_pages=False)

    @given(email=st.one_of(st.just(OWN_EMAIL), emails))
    def test_asking_for_a_log_in_code(self, email):
        make_people()
        self.submit(reverse("account_request_login_code"), {"email": email}, check_pages=False)

    @given(code=st.one_of(st.just(RIGHT), texts, numbers))
    def test_typing_the_log_in_code(self, code):
        make_people()
        self.client.post(reverse("account_request_login_code"), {"email": OWN_EMAIL})
        self.open(reverse("account_confirm_login_code"))
        if code == RIGHT:
            code = code_in(mail.outbox[-1])
        self.submit(reverse("account_confirm_login_code"), {"code": code})

    @given(
        data=st.one_of(
            st.fixed_dictionaries({"code": st.one_of(st.just(RIGHT), numbers, texts)}),
            st.fixed_dictionaries({"credential": forged_passkey_answers()}),
        )
    )
    def test_the_second_step_of_a_log_in(self, data):
        owner, _ = make_people()
        secret = generate_totp_secret()
        TOTP.activate(owner, secret)
        device, _ = add_passkey(owner)
        self.client.defaults["HTTP_HOST"] = "localhost"
        self.client.post(reverse("account_login"), {"login": "fuzzed", "password": PASSWORD})
        page = self.open(reverse("mfa_authenticate"))
        if data.get("code") == RIGHT:
            data = {"code": app_code(secret)}
        elif data.get("credential") == RIGHT:
            options = page.context["js_data"]["request_options"]
            data = {"credential": json.dumps(device.assert_(options))}
        self.submit(reverse("mfa_authenticate"), data)


class TestChangingTheAccount(AccountFuzzCase):
    def logged_in(self, confirmed: bool = False):
        owner, other = make_people()
        self.client.defaults["HTTP_HOST"] = "localhost"
        self.client.force_login(owner)
        if confirmed:
            self.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        return owner, other

    @given(password=passwords)
    def test_confirming_who_you_are_with_the_password(self, password):
        self.logged_in()
        self.open(reverse("account_reauthenticate"))
        self.submit(reverse("account_reauthenticate"), {"password": password})

    @given(code=st.one_of(st.just(RIGHT), numbers, texts))
    def test_confirming_who_you_are_with_the_app(self, code):
        owner, _ = self.logged_in()
        secret = generate_totp_secret()
        TOTP.activate(owner, secret)
        self.open(reverse("mfa_reauthenticate"))
        code = app_code(secret) if code == RIGHT else code
        self.submit(reverse("mfa_reauthenticate"), {"code": code})

    @given(
        data=form_data(
            valid={
                "oldpassword": st.just(PASSWORD),
                "password1": new_password(),
                "password2": new_password(),
            },
            hostile={"oldpassword": passwords, "password1": passwords, "password2": passwords},
        )
    )
    def test_changing_the_password(self, data):
        self.logged_in()
        self.open(reverse("account_change_password"))
        self.submit(reverse("account_change_password"), data)

    @given(
        data=form_data(
            valid={"password1": new_password(), "password2": new_password()},
            hostile={"password1": passwords, "password2": passwords},
        )
    )
    def test_setting_a_password_for_an_account_without_one(self, data):
        owner, _ = self.logged_in()
        owner.set_unusable_password()
        owner.save()
        self.client.force_login(owner)
        self.confirm_by_code()
        self.open(reverse("account_set_password"))
        self.submit(reverse("account_set_password"), data)

    @given(email=st.one_of(st.just(OTHER_EMAIL), emails))
    def test_adding_an_email_address(self, email):
        self.logged_in(confirmed=True)
        self.open(reverse("account_email"))
        self.submit(reverse("account_email"), {"action_add": "", "email": email})

    @given(
        data=form_data(
            valid={"name": st.text(max_size=60), "credential": st.just(RIGHT)},
            hostile={"name": texts, "credential": forged_passkey_answers()},
        )
    )
    def test_adding_a_passkey(self, data):
        self.logged_in(confirmed=True)
        page = self.open(reverse("mfa_add_webauthn")).content.decode()
        if data.get("credential") == RIGHT:
            data["credential"] = json.dumps(SoftPasskey().register(creation_options(page)))
        self.submit(reverse("mfa_add_webauthn"), data)

    @given(name=texts)
    def test_renaming_a_passkey(self, name):
        owner, _ = self.logged_in(confirmed=True)
        _, passkey = add_passkey(owner)
        url = reverse("mfa_edit_webauthn", args=[passkey.pk])
        self.open(url)
        self.submit(url, {"name": name})

    @given(answer=forged_passkey_answers())
    def test_confirming_who_you_are_with_a_passkey(self, answer):
        owner, _ = self.logged_in()
        device, _ = add_passkey(owner)
        url = reverse("mfa_reauthenticate_webauthn")
        page = self.open(url)
        if answer == RIGHT:
            options = page.context["js_data"]["request_options"]
            answer = json.dumps(device.assert_(options))
        self.submit(url, {"credential": answer})

    @given(answer=forged_passkey_answers())
    def test_logging_in_with_a_passkey(self, answer):
        owner, _ = make_people()
        device, _ = add_passkey(owner)
        self.client.defaults["HTTP_HOST"] = "localhost"
        url = reverse("mfa_login_webauthn")
        options = self.open(url, HTTP_ACCEPT="application/json").json()
        if answer == RIGHT:
            answer = json.dumps(device.assert_(options["request_options"]))
        self.submit(url, {"credential": answer})
