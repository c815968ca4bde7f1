"""Accounts on django-allauth: the adapters, the sign-in throttle and the login stages.

The pages are allauth's views with the project's templates (templates/account/, templates/mfa/);
the few views of our own live in tracker/views/auth.py and their forms in tracker/forms/auth.py.
"""
