"""The "before you start" check: advice that fits, answers kept only once agreed, deletable,
exported, and never anywhere near a reminder or email."""

import io
import json
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import freeze_time, make_routine, make_session
from tracker.models import HealthCheck, MassageSession
from tracker.portability import export_document, export_zip, import_zip

pytestmark = pytest.mark.django_db

PAGE = reverse("tracker:health-check")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    return freeze_time(monkeypatch)


def test_the_check_asks_the_six_questions_and_stores_nothing_on_a_visit(user_client):
    html = user_client.get(PAGE).content.decode()

    for question in (
        "Active acne, rosacea or eczema",
        "Broken or sunburnt skin",
        "A peel, laser or microdermabrasion in the last two weeks",
        "Fillers or botulinum toxin in the last two weeks",
        "Pregnancy",
        "Blood thinners, or you bruise easily",
    ):
        assert question in html
    assert not HealthCheck.objects.exists()


def test_answers_without_agreement_give_advice_once_and_are_not_kept(user_client, now):
    response = user_client.post(PAGE, {"conditions": ["bruises_easily"]})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Gentle pressure only" in html
    assert 'href="/sources/#nielsen-2007"' in html
    assert "Not kept" in html
    assert not HealthCheck.objects.exists()


def test_answers_are_kept_once_the_person_agrees(user, user_client, now):
    response = user_client.post(PAGE, {"conditions": ["pregnancy", "active_skin"], "agree": "on"})

    assert response.status_code == 302
    check = HealthCheck.objects.get(owner=user)
    assert check.conditions == ["active_skin", "pregnancy"]
    assert check.agreed_at == now
    html = user_client.get(PAGE).content.decode()
    assert "Skip these areas" in html
    assert "Ask your doctor first" in html
    assert "Delete my answers" in html


def test_unknown_answers_are_ignored_not_refused(user, user_client, now):
    response = user_client.post(
        PAGE, {"conditions": ["pregnancy", "sunburn", "'; drop table"], "agree": "on"}
    )

    assert response.status_code == 302
    assert HealthCheck.objects.get(owner=user).conditions == ["pregnancy"]


def test_changing_the_answers_replaces_them(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})
    user_client.post(PAGE, {"agree": "on"})

    assert HealthCheck.objects.get(owner=user).conditions == []


def test_the_answers_can_be_deleted(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})

    response = user_client.post(reverse("tracker:health-check-delete"))

    assert response.status_code == 302
    assert not HealthCheck.objects.exists()


def test_the_answers_of_one_person_are_theirs_alone(user, other_user, client_for, now):
    client_for(other_user).post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})

    html = client_for(user).get(PAGE).content.decode()
    client_for(user).post(reverse("tracker:health-check-delete"))

    assert "Your stored answers" not in html
    assert HealthCheck.objects.get().owner == other_user


def test_the_answers_change_the_dashboard_and_the_guided_session_but_never_block_logging(
    user, user_client, now
):
    routine = make_routine(user)
    user_client.post(PAGE, {"conditions": ["bruises_easily"], "agree": "on"})

    dashboard = user_client.get(reverse("tracker:dashboard")).content.decode()
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    logged = user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    assert "For you, from your answers" in dashboard and "Gentle pressure only" in dashboard
    assert "Gentle pressure only" in guide
    assert logged.status_code == 302
    assert MassageSession.objects.count() == 1


def test_a_new_person_is_offered_the_check_on_the_dashboard_and_the_guided_session(
    user, user_client, now
):
    routine = make_routine(user)

    dashboard = user_client.get(reverse("tracker:dashboard")).content.decode()
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    settings_page = user_client.get(reverse("tracker:profile")).content.decode()

    for html in (dashboard, guide, settings_page):
        assert f'href="{PAGE}"' in html
    make_session(user, now - timedelta(hours=1))
    assert "Take the check" not in user_client.get(reverse("tracker:dashboard")).content.decode()


def test_nothing_about_health_is_ever_emailed(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})
    session = make_session(user, now - timedelta(hours=1))
    user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "breakout"}
    )

    assert mail.outbox == []


def test_the_page_takes_a_constant_few_queries(user, user_client, django_assert_num_queries):
    # Session, user, profile; the stored answers.
    with django_assert_num_queries(4):
        assert user_client.get(PAGE).status_code == 200


# Your data


def test_the_answers_are_in_the_export_and_come_back_on_import(user, make_user, user_client, now):
    user_client.post(PAGE, {"conditions": ["injectables"], "agree": "on"})
    out = io.BytesIO()
    export_zip(user, out)

    document = json.loads(zipfile.ZipFile(out).read("data.json"))
    assert document["health_check"] == {
        "conditions": ["injectables"],
        "agreed_at": now.isoformat(),
    }

    newcomer = make_user("newcomer")
    out.seek(0)
    import_zip(newcomer, out)
    restored = HealthCheck.objects.get(owner=newcomer)
    assert (restored.conditions, restored.agreed_at) == (["injectables"], now)


def test_an_export_without_answers_says_none(user):
    document, _ = export_document(user)

    assert document["health_check"] is None


def test_an_import_ignores_answers_it_does_not_know(make_user, user, now):
    document, _ = export_document(user)
    document["health_check"] = {
        "conditions": ["pregnancy", "third_eye", 42],
        "agreed_at": now.isoformat(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.json", json.dumps(document))
    out.seek(0)

    newcomer = make_user("newcomer")
    import_zip(newcomer, out)

    assert HealthCheck.objects.get(owner=newcomer).conditions == ["pregnancy"]


def test_deleting_the_account_deletes_the_answers(user, user_client, now):
    user_client.post(PAGE, {"conditions": ["pregnancy"], "agree": "on"})

    user.profile.delete_account()

    assert not HealthCheck.objects.exists()
