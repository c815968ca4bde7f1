from django.urls import reverse

from tracker.models import MassageSession
from tracker.starters import STARTERS, copy_starter


def test_a_one_tap_log_can_be_undone_in_place(user, user_client, htmx_headers):
    routine = copy_starter(STARTERS[1], user)
    logged = user_client.post(
        reverse("tracker:log-routine", kwargs={"pk": routine.pk}),
        headers={**htmx_headers, "HX-Target": "log-status"},
    )
    session = MassageSession.objects.get(owner=user)
    assert 'hx-post="{}"'.format(reverse("tracker:session-delete", kwargs={"pk": session.pk})) in (
        logged.content.decode()
    )

    undone = user_client.post(
        reverse("tracker:session-delete", kwargs={"pk": session.pk}),
        headers={**htmx_headers, "HX-Target": "log-status"},
    )

    assert undone.status_code == 200
    assert "no longer logged" in undone.content.decode()
    assert 'id="log-status"' in undone.content.decode()
    assert "sessions-changed" in undone["HX-Trigger"]
    assert not MassageSession.objects.filter(owner=user).exists()
