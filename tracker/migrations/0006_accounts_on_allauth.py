"""Accounts move onto django-allauth: every account, profile and session stays as it is.

Creates the database cache table (the sign-in throttle's counters live in the cache), and an
allauth EmailAddress for each user who already has an email address (unverified: nobody has
proved it yet). Users without one get none; the dashboard asks them to add one.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    # Does nothing when the cache is Redis (REDIS_URL) or the table exists already.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def add_email_addresses(apps, schema_editor) -> None:
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    for user in User.objects.exclude(email="").order_by("pk").only("pk", "email"):
        email = user.email.strip().lower()
        # allauth keeps one account per address: only the oldest account gets it (the
        # others keep their User.email, and their usernames to log in).
        if not email or email in taken:
            continue
        taken.add(email)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_reactions_health_check_areas_tools"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.RunPython(add_email_addresses, migrations.RunPython.noop),
    ]
