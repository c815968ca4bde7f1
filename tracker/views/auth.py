"""The account pages of our own beside allauth's: log-out, the welcome page, adding a passkey,
and the dashboard's reminder to add an email address."""

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.webauthn.internal import auth as webauthn
from allauth.mfa.webauthn.internal import flows as passkey_flows
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.auth import email_prompt, login_codes
from tracker.forms.auth import AddPasskeyForm
from tracker.htmx import wants_partial


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """Log out, and ask the browser to forget everything it kept of this site."""
    response = allauth_views.logout(request)
    # Face photos and skin notes may sit in the cache of a shared phone or computer.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_GET
@login_required
def welcome(request: HttpRequest) -> TemplateResponse:
    """Right after signing up: sign in with the phone's screen lock from now on?"""
    return passkey_page(request, AddPasskeyForm(user=request.user), welcome=True)


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(app="allauth.mfa")
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Add a passkey: log in with it alone, no password."""
    if request.method != "POST":
        return passkey_page(request, AddPasskeyForm(user=request.user))
    form = AddPasskeyForm(request.POST, user=request.user)
    if not form.is_valid():
        return passkey_page(request, form, welcome=request.POST.get("welcome") == "1")
    # allauth's sign-up flow adds a passkey that signs in on its own and, unlike its two-factor
    # flow, makes no recovery codes: those only stand in for an authenticator app's codes.
    passkey_flows.signup_authenticator(
        request, request.user, form.cleaned_data["name"], form.cleaned_data["credential"]
    )
    get_adapter(request).send_notification_mail("mfa/email/webauthn_added", request.user)
    return redirect(get_next_redirect_url(request) or reverse("tracker:profile"))


def passkey_page(request: HttpRequest, form: AddPasskeyForm, welcome: bool = False):
    # The browser signs a challenge kept in the session: a new one for every page shown.
    options = webauthn.begin_registration(request.user, passwordless=True)
    done = get_next_redirect_url(request) or reverse(
        "tracker:dashboard" if welcome else "tracker:profile"
    )
    context = {
        "form": form,
        "welcome": welcome,
        "next": done,
        "passkey_options": {"creation_options": options},
    }
    return TemplateResponse(request, "account/passkey_add.html", context)


@require_POST
@login_required
def email_prompt_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the dashboard's reminder to add an email address, for this log-in."""
    email_prompt.dismiss(request)
    if wants_partial(request):
        return HttpResponse("")
    return redirect("tracker:dashboard")


@require_http_methods(["GET", "POST"])
def confirm_login_code(request: HttpRequest) -> HttpResponse:
    """allauth's page for an emailed code, saying so when the code can no longer work."""
    if request.method == "POST" and not login_codes.pending_code_is_usable(request):
        messages.error(request, login_codes.CODE_GONE)
    return allauth_views.confirm_login_code(request)
