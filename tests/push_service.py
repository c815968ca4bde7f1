"""A stand-in for a browser's push service on loopback, and a browser's subscription keys.

The server sends to it exactly as to Google's, Mozilla's or Apple's service (the tests allow
plain HTTP on loopback with PUSH_ALLOW_LOOPBACK_FOR_TESTS); the tests then decrypt what it
received with the subscription's private key, as the browser would, and check the headers.
"""

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from tracker.reminders.push import generate_keys


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserKeys:
    """What a browser keeps for one subscription: the private key and the auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(self, endpoint: str) -> dict[str, Any]:
        """As PushSubscription.toJSON() gives it."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    # Status codes to answer, in order; 201 (Created) once they run out.
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    redirect_to: str | None = None

    def endpoint(self, name: str = "browser-1") -> str:
        return f"http://{self.host}:{self.port}/push/{name}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"


def check_vapid(
    headers: dict[str, str], public_key: str, audience: str, subject: str, now: float
) -> dict:
    """The Authorization header is a VAPID token (RFC 8292) signed by the server's key, for
    this push service, valid at `now` (a timestamp) and for at most a day."""
    authorization = headers["authorization"]
    assert authorization.startswith("vapid t=")
    parts = dict(item.split("=", 1) for item in authorization.split(" ", 1)[1].split(","))
    assert parts["k"] == public_key
    assert Vapid02.verify(authorization)
    claims = json.loads(b64url_decode(parts["t"].split(".")[1]))
    assert claims["aud"] == audience
    assert claims["sub"] == subject
    assert now < claims["exp"] <= now + 24 * 3600
    return claims


@pytest.fixture
def vapid(settings) -> tuple[str, str]:
    """Web Push set up with a fresh key pair, and sends allowed to a stand-in on loopback."""
    private_key, public_key = generate_keys()
    settings.VAPID_PRIVATE_KEY = private_key
    settings.VAPID_PUBLIC_KEY = public_key
    settings.VAPID_SUBJECT = "mailto:reminders@example.org"
    settings.PUSH_ALLOW_LOOPBACK_FOR_TESTS = True
    return private_key, public_key


@pytest.fixture
def push_service() -> Iterator[PushService]:
    """A push service on 127.0.0.1 that keeps what it receives."""
    service = PushService("127.0.0.1", 0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            service.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            time.sleep(service.delay)
            if service.redirect_to:
                self.send_response(307)
                self.send_header("Location", service.redirect_to)
            else:
                self.send_response(service.answers.pop(0) if service.answers else 201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
