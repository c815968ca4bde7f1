from django.db import migrations, models

from tracker.models import versions

# Frozen here: a later table gets its trigger in a migration of its own.
TABLES = [
    "tracker_massagesession",
    "tracker_massagesession_tools",
    "tracker_massagesession_products",
    "tracker_restweek",
    "tracker_routine",
    "tracker_routinestep",
    "tracker_routine_products",
    "tracker_tool",
    "tracker_product",
    "tracker_progressphoto",
    "tracker_experiment",
    "tracker_healthcheck",
]


def create_triggers(apps, schema_editor):
    for statement in versions.create_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in versions.drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0009_experiments_eye_marks"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="data_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
