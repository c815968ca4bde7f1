"""Accounts: allauth's pages under /accounts/, with a few of our own in front of them.

A pattern listed before allauth's include takes over allauth's path (the first match wins),
while `reverse()` of allauth's name still leads to that same path.
"""

from allauth.account import views as allauth_views
from django.urls import include, path

from tracker.views import auth

urlpatterns = [
    path("logout/", auth.log_out, name="logout"),
    path("welcome/", auth.welcome, name="welcome"),
    path("2fa/webauthn/add/", auth.passkey_add, name="passkey-add"),
    path("email/prompt/dismiss/", auth.email_prompt_dismiss, name="email-prompt-dismiss"),
    path("login/code/confirm/", auth.confirm_login_code, name="confirm-login-code"),
    # The names these pages had before allauth, for code written against them.
    path("login/", allauth_views.login, name="login"),
    path("signup/", allauth_views.signup, name="signup"),
    path("", include("allauth.urls")),
]
