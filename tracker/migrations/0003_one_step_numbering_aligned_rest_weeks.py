from datetime import timedelta

from django.db import migrations


def renumber(apps, schema_editor):
    """Steps added on their own were numbered from 1, starter copies from 0: all from 0 now."""
    RoutineStep = apps.get_model("tracker", "RoutineStep")
    changed = []
    routine_id, position = None, 0
    for step in RoutineStep.objects.order_by("routine_id", "order", "id").iterator():
        position = position + 1 if step.routine_id == routine_id else 0
        routine_id = step.routine_id
        if step.order != position:
            step.order = position
            changed.append(step)
    RoutineStep.objects.bulk_update(changed, ["order"], batch_size=500)


def align_rest_weeks(apps, schema_editor):
    """Rest weeks marked before a change of the first weekday matched no week: move them."""
    RestWeek = apps.get_model("tracker", "RestWeek")
    Profile = apps.get_model("tracker", "Profile")
    first_weekday = dict(Profile.objects.values_list("user_id", "week_start"))
    kept = set()
    for rest in RestWeek.objects.order_by("owner_id", "week_start").iterator():
        weekday = first_weekday.get(rest.owner_id, 0)
        start = rest.week_start - timedelta(days=(rest.week_start.weekday() - weekday) % 7)
        if (rest.owner_id, start) in kept:
            rest.delete()
        elif start != rest.week_start:
            rest.week_start = start
            rest.save(update_fields=["week_start"])
        kept.add((rest.owner_id, start))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_session_client_id")]

    operations = [
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.RunPython(align_rest_weeks, migrations.RunPython.noop),
    ]
