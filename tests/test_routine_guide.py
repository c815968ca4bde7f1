from django.urls import reverse

from tracker.starters import STARTERS, copy_starter


def test_the_guide_lists_every_step_with_its_time_and_offers_the_log(
    user, user_client, django_assert_num_queries
):
    routine = copy_starter(STARTERS[0], user)
    url = reverse("tracker:routine-guide", kwargs={"pk": routine.pk})

    # Session, user, profile; the routine; its steps with their tools; the health check.
    with django_assert_num_queries(6):
        page = user_client.get(url).content.decode()

    steps = list(routine.steps.all())
    assert page.count('data-seconds="') == len(steps)
    for step in steps:
        assert f'data-seconds="{step.seconds}"' in page
    assert reverse("tracker:log-routine", kwargs={"pk": routine.pk}) in page
    assert "js/guide.js" in page
    assert f"About {routine.minutes()} minutes" in page


def test_the_routine_pages_link_to_the_guide(user, user_client):
    routine = copy_starter(STARTERS[1], user)
    guide = reverse("tracker:routine-guide", kwargs={"pk": routine.pk})
    for page in (reverse("tracker:routine-list"), reverse("tracker:dashboard")):
        assert guide in user_client.get(page).content.decode(), page
