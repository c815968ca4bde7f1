from django.core.management import call_command

from tracker.reminders import push


def test_the_key_command_prints_a_pair_that_signs_and_matches(capsys):
    call_command("generate_vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())

    private_key, public_key = lines["DJANGO_VAPID_PRIVATE_KEY"], lines["DJANGO_VAPID_PUBLIC_KEY"]
    assert push.public_key_for(private_key) == public_key
    claims = {"sub": "mailto:a@example.org", "aud": "https://fcm.googleapis.com"}
    assert push.vapid_key(private_key).sign(claims)["Authorization"].startswith("vapid t=")
