"""Where a person's browsers receive Web Push reminders."""

from typing import Self

from django.conf import settings
from django.db import models, transaction

from tracker.models.bulk import Batch
from tracker.models.owned import OwnedQuerySet

# More than anyone's phones, tablets and computers: the oldest goes when a new one comes.
MAX_SUBSCRIPTIONS_PER_PERSON = 10


class PushSubscriptionQuerySet(OwnedQuerySet):
    @transaction.atomic
    def subscribe(
        self, owner, *, endpoint: str, p256dh: str, auth: str, server_key: str
    ) -> "PushSubscription":
        """Remember a browser's subscription (checked by tracker.reminders.push).

        An endpoint belongs to one browser: subscribing it again, under this account or
        another one logged in on that browser since, moves it here with its new keys.
        """
        subscription, _ = self.update_or_create(
            endpoint=endpoint,
            defaults={"owner": owner, "p256dh": p256dh, "auth": auth, "server_key": server_key},
        )
        stale = self.for_user(owner).order_by("-created_at", "-pk")[MAX_SUBSCRIPTIONS_PER_PERSON:]
        self.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
        return subscription

    def unsubscribe(self, owner, endpoint: str) -> int:
        """Forget one of the owner's browsers (turned off on that device)."""
        return self.for_user(owner).filter(endpoint=endpoint).delete()[0]

    def current(self) -> Self:
        """Subscriptions made with this server's key: the only ones a push service accepts."""
        return self.filter(server_key=settings.VAPID_PUBLIC_KEY)

    def prepare_restore(
        self, owner, records: list[dict[str, str]], batch: Batch
    ) -> list["PushSubscription"]:
        """Browsers from an export (checked by the importer), made ready in `batch`.

        Only those made with this server's key still work; a browser that an account here
        holds stays with it; the owner's own come first within the limit.
        """
        current = [
            record
            for record in records
            if settings.VAPID_PUBLIC_KEY and record["server_key"] == settings.VAPID_PUBLIC_KEY
        ]
        taken = set(
            self.filter(endpoint__in=[record["endpoint"] for record in current]).values_list(
                "endpoint", flat=True
            )
        )
        room = max(0, MAX_SUBSCRIPTIONS_PER_PERSON - self.for_user(owner).count())
        new = [
            PushSubscription(owner=owner, **record)
            for record in current
            if record["endpoint"] not in taken
        ]
        return batch.add(new[:room])


class PushSubscription(models.Model):
    """A browser's push subscription: the push service's address and the keys to encrypt for."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # Only https addresses on the known push services' domains get here (reminders.push).
    endpoint = models.URLField(max_length=1024, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    # The VAPID public key the browser subscribed with; after a key change it is useless.
    server_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PushSubscriptionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Push subscription of {self.owner}"

    def forget(self) -> None:
        """The push service says this subscription is gone (404 or 410)."""
        self.delete()
