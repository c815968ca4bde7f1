import django.utils.timezone
from django.db import migrations, models

# Moments PostgreSQL could store before dates were bounded (0001-01-01 00:00 in Berlin is
# 0001-12-31 23:07 BC in UTC) but Python cannot read: every page showing them failed, the
# pages to delete them included. Moved just inside Python's calendar, they can be deleted.
MOMENT_COLUMNS = {
    "tracker_massagesession": ["performed_at", "created_at", "updated_at"],
    "tracker_progressphoto": ["taken_at", "created_at"],
    "tracker_routine": ["created_at"],
}


def readable_moments(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite never stored them: converting them to UTC failed first.
    with schema_editor.connection.cursor() as cursor:
        for table, columns in MOMENT_COLUMNS.items():
            for column in columns:
                cursor.execute(
                    f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" < %s',
                    ["0001-01-02 00:00:00+00", "0001-01-02 00:00:00+00"],
                )
                cursor.execute(
                    f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" > %s',
                    ["9999-12-30 00:00:00+00", "9999-12-30 00:00:00+00"],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_one_step_numbering_aligned_rest_weeks"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                (
                    "stored_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
            ],
        ),
        migrations.RunPython(readable_moments, migrations.RunPython.noop),
    ]
