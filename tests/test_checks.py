"""The app's own system checks (tracker/checks.py)."""

from tracker.checks import site_url, vapid_keys
from tracker.reminders import push


def test_the_system_checks_want_both_keys_of_one_pair(settings, vapid):
    assert vapid_keys(None) == []
    settings.VAPID_PUBLIC_KEY = push.generate_keys()[1]
    assert [message.id for message in vapid_keys(None)] == ["facetrack.E102"]
    settings.VAPID_PUBLIC_KEY = ""
    assert [message.id for message in vapid_keys(None)] == ["facetrack.E101"]
    settings.VAPID_PRIVATE_KEY = ""
    assert vapid_keys(None) == []


def test_the_deploy_check_wants_the_sites_real_address(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [message.id for message in site_url(None)] == ["facetrack.W101"]
    settings.SITE_URL = "https://facetrack.example.org"
    assert site_url(None) == []
