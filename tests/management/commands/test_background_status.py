import pytest
from django.core.management import call_command

from tracker.models import BackgroundRun


def test_the_status_command_shows_both_last_runs_and_fails_when_one_is_dead(db, capsys):
    BackgroundRun.objects.record("scheduler")

    with pytest.raises(SystemExit) as exit_status:
        call_command("background_status")

    out = capsys.readouterr().out
    assert exit_status.value.code == 1
    assert "scheduler" in out and "alive" in out
    assert "worker" in out and "never ran" in out and "NOT RUNNING" in out
    assert "tasks waiting" in out

    BackgroundRun.objects.record("worker")
    call_command("background_status")
    assert "NOT RUNNING" not in capsys.readouterr().out
