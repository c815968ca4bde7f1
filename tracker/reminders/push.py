"""Web Push: checking what a browser hands us, and sending a reminder to it (VAPID, RFC 8030).

The server POSTs to an address the browser supplied, so that address is checked twice: when
it is stored (https, on a known push service's domain) and before each send (the same, and it
must not resolve to a private, loopback or link-local address). Redirects are never followed.
"""

import base64
import binascii
import ipaddress
import json
import socket
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid

from tracker.reminders.due import Message

# The push services of the browsers people use; a subscription anywhere else is refused.
PUSH_SERVICE_DOMAINS = (
    "fcm.googleapis.com",  # Google's FCM: Chrome, Edge on Android, Samsung Internet, Opera
    "android.googleapis.com",  # Google's older GCM addresses, still handed out by some Chromes
    "push.services.mozilla.com",  # Mozilla's autopush: Firefox
    "push.apple.com",  # Apple's: Safari on macOS, home-screen apps on iPhone and iPad
    "notify.windows.com",  # Microsoft's WNS: Edge on Windows
)
MAX_SUBSCRIPTION_BYTES = 4096
MAX_ENDPOINT_LENGTH = 1024
# A newer reminder replaces an older one still waiting at the push service (RFC 8030 5.4).
TOPIC = "facetrack-reminder"
URGENCY = "normal"
# Seconds to connect, then to wait for an answer: a push service that does not answer in
# time is a passing failure, retried with the same claim.
TIMEOUT = (5, 10)
# The shortest life a message gets at the push service, even near midnight.
MIN_TTL = 15 * 60


class SubscriptionRefused(ValueError):
    """A subscription the server will not store; the message says why, for the person."""


class TransientPushFailure(Exception):
    """The push service did not take the message this time (no answer, 429, 5xx)."""


class Outcome(StrEnum):
    DELIVERED = "delivered"  # the push service accepted it
    GONE = "gone"  # 404/410: the browser unsubscribed; the subscription is deleted
    REFUSED = "refused"  # another 4xx, or an address that fails the checks: not retried


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def parse_subscription(body: bytes) -> Subscription:
    """A browser's PushSubscription.toJSON(), checked; SubscriptionRefused otherwise."""
    if len(body) > MAX_SUBSCRIPTION_BYTES:
        raise SubscriptionRefused("That subscription is too large.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SubscriptionRefused("That is not a push subscription.") from None
    if not isinstance(data, dict):
        raise SubscriptionRefused("That is not a push subscription.")
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise SubscriptionRefused("The subscription has no endpoint or keys.")
    check_endpoint(endpoint)
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    public_key = _b64url(p256dh)
    if public_key is None or len(public_key) != 65 or not _is_p256_point(public_key):
        raise SubscriptionRefused("The subscription's p256dh key is not a P-256 public key.")
    secret = _b64url(auth)
    if secret is None or len(secret) != 16:
        raise SubscriptionRefused("The subscription's auth secret is not 16 bytes.")
    return Subscription(endpoint=endpoint, p256dh=p256dh, auth=auth)


def parse_endpoint(body: bytes) -> str:
    """The endpoint named in a request to forget a subscription: {"endpoint": "..."}."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT_LENGTH:
        raise SubscriptionRefused("Name the subscription's endpoint.")
    return endpoint


def check_endpoint(endpoint: str) -> None:
    """Only https on a known push service's domain (or, in tests, a stand-in on loopback)."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not endpoint.isascii() or not endpoint.isprintable():
        raise SubscriptionRefused("The push endpoint is not a plain web address.")
    if any(c.isspace() for c in endpoint):
        raise SubscriptionRefused("The push endpoint is not a plain web address.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise SubscriptionRefused("The push endpoint is not a web address.") from None
    host = (parts.hostname or "").rstrip(".")
    if settings.PUSH_ALLOW_LOOPBACK_FOR_TESTS and parts.scheme == "http" and _is_loopback(host):
        return
    if parts.scheme != "https":
        raise SubscriptionRefused("The push endpoint must use https.")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise SubscriptionRefused("The push endpoint is not a push service's address.")
    if port not in (None, 443) or not _on_push_service(host):
        raise SubscriptionRefused("The push endpoint is not on a known push service.")


def check_address(endpoint: str) -> None:
    """Before a send: the endpoint's host must resolve to public addresses only."""
    host = (urlsplit(endpoint).hostname or "").rstrip(".")
    if settings.PUSH_ALLOW_LOOPBACK_FOR_TESTS and _is_loopback(host):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)}
    except OSError as error:
        raise TransientPushFailure(f"cannot resolve the push service: {error}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise SubscriptionRefused("The push service's address is not a public one.")


def payload(message: Message, url: str) -> dict[str, Any]:
    """What the service worker shows (static/js/sw-push.js): the words and where a tap goes."""
    return {"title": message.title, "body": message.body, "url": url, "tag": TOPIC}


def send(subscription, data: dict[str, Any], *, ttl: int) -> Outcome:
    """Encrypt `data` for one browser and hand it to its push service.

    Raises TransientPushFailure when trying again later may work.
    """
    try:
        check_endpoint(subscription.endpoint)
        check_address(subscription.endpoint)
    except SubscriptionRefused:
        return Outcome.REFUSED
    import requests
    from pywebpush import WebPushException

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(data, separators=(",", ":")),
            vapid_private_key=vapid_key(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=max(ttl, MIN_TTL),
            headers={"Urgency": URGENCY, "Topic": TOPIC},
            timeout=TIMEOUT,
            requests_session=no_redirects(),
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            return Outcome.GONE
        if status is None or status == 429 or status >= 500:
            raise TransientPushFailure(f"push service answered {status}") from None
        return Outcome.REFUSED
    except requests.RequestException as error:
        raise TransientPushFailure(f"push service unreachable: {type(error).__name__}") from None
    return Outcome.DELIVERED


def webpush(*args, **kwargs):
    """pywebpush's `webpush`, imported when a push is first sent: pywebpush brings aiohttp and
    requests (about 20 MB a process), which only the task worker that sends needs; the web
    processes only check subscriptions and hand out the public key."""
    from pywebpush import webpush as encrypt_and_post

    return encrypt_and_post(*args, **kwargs)


def no_redirects():
    """A requests session that never follows a redirect: a push service never redirects, and
    a redirect could point the server anywhere."""
    return _no_redirects_session()()


@cache
def _no_redirects_session() -> type:
    import requests

    class NoRedirects(requests.Session):
        def request(self, method, url, *args, **kwargs):
            kwargs["allow_redirects"] = False
            return super().request(method, url, *args, **kwargs)

    return NoRedirects


@cache
def vapid_key(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def public_key_for(private_key: str) -> str:
    """The browser's applicationServerKey for a private key: base64url, uncompressed point."""
    raw = vapid_key(private_key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private key, public key), both base64url without padding."""
    private = ec.generate_private_key(ec.SECP256R1())
    raw = private.private_numbers().private_value.to_bytes(32, "big")
    private_key = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return private_key, public_key_for(private_key)


def push_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def _on_push_service(host: str) -> bool:
    host = host.lower()
    return any(host == domain or host.endswith("." + domain) for domain in PUSH_SERVICE_DOMAINS)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _b64url(value: Any) -> bytes | None:
    if not isinstance(value, str) or not 0 < len(value) <= 200 or not value.isascii():
        return None
    try:
        # validate=True: urlsafe_b64decode alone would skip any character it does not know.
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None


def _is_p256_point(raw: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True
