from datetime import UTC, datetime

from django.core.files.storage import default_storage

from benchmarks.seed import seed
from tracker.models import MassageSession, ProgressPhoto, RestWeek, Routine


def test_the_benchmark_seeds_a_heavy_user_and_light_ones(db):
    seeded = seed(users=4, heavy_weeks=20, photos=3, now=datetime(2026, 11, 18, 12, tzinfo=UTC))

    assert seeded.users == 4
    assert MassageSession.objects.count() == seeded.sessions
    heavy_sessions = MassageSession.objects.for_user(seeded.heavy)
    assert heavy_sessions.count() == seeded.heavy_sessions >= 20
    assert heavy_sessions.filter(tools__isnull=False).exists()
    assert RestWeek.objects.for_user(seeded.heavy).exists()
    assert Routine.objects.for_user(seeded.heavy).get(pk=seeded.heavy_routine_pk).steps.exists()
    assert MassageSession.objects.for_user(seeded.light).count() == 4
    photo = ProgressPhoto.objects.get(pk=seeded.photo_pks[0])
    assert photo.owner == seeded.heavy
    with default_storage.open(photo.thumbnail.name) as thumbnail:
        assert thumbnail.read(3) == b"\xff\xd8\xff"


def test_seeded_sessions_never_lie_in_the_future(db):
    now = datetime(2026, 11, 18, 12, tzinfo=UTC)
    seed(users=3, heavy_weeks=4, photos=0, now=now)

    assert not MassageSession.objects.filter(performed_at__gt=now).exists()
