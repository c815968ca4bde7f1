"""A new VAPID key pair for Web Push, printed as environment variables."""

from django.core.management.base import BaseCommand

from tracker.reminders.push import generate_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push as DJANGO_VAPID_PRIVATE_KEY and "
        "DJANGO_VAPID_PUBLIC_KEY. Keep the private key secret; changing the pair later "
        "makes every browser subscribe again."
    )

    def handle(self, *args, **options) -> None:
        private_key, public_key = generate_keys()
        self.stdout.write(f"DJANGO_VAPID_PRIVATE_KEY={private_key}")
        self.stdout.write(f"DJANGO_VAPID_PUBLIC_KEY={public_key}")
