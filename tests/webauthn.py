"""A passkey in software: what a phone's authenticator and the browser send, for server tests.

It makes the JSON that allauth's script posts (webauthn-json's encoding): a registration with
"none" attestation, then assertions signed with the same P-256 key. Browser tests use
Chromium's virtual authenticator instead (tests/browser/test_accounts.py).
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

RP_ID = "localhost"
ORIGIN = "http://localhost"
FLAGS = AuthenticatorData.FLAG


@dataclass
class SoftPasskey:
    user_handle: bytes = b""
    user_verified: bool = True
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    counter: int = 0

    def _flags(self, attested: bool = False) -> int:
        flags = FLAGS.UP | (FLAGS.UV if self.user_verified else 0)
        return flags | (FLAGS.AT if attested else 0)

    def register(self, creation_options: dict) -> dict:
        """The browser's answer to navigator.credentials.create() with these options."""
        public_key = creation_options["publicKey"]
        self.user_handle = websafe_decode(public_key["user"]["id"])
        client_data = CollectedClientData.create("webauthn.create", public_key["challenge"], ORIGIN)
        credential = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(), self._flags(attested=True), 0, credential
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def assert_(self, request_options: dict) -> dict:
        """The browser's answer to navigator.credentials.get() with these options."""
        self.counter += 1
        client_data = CollectedClientData.create(
            "webauthn.get", request_options["publicKey"]["challenge"], ORIGIN
        )
        auth_data = AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(), self._flags(), self.counter
        )
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(self.user_handle),
            },
            "clientExtensionResults": {},
        }


def as_json(response: dict) -> str:
    return json.dumps(response)


def add_passkey(user, name: str = "Phone") -> tuple[SoftPasskey, "Authenticator"]:  # noqa: F821
    """A registered passkey for `user`, as if added in the browser, and the device that holds it."""
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.webauthn.internal.auth import WebAuthn

    device = SoftPasskey()
    options = {
        "publicKey": {
            "challenge": websafe_encode(os.urandom(16)),
            "user": {"id": websafe_encode(user_pk_to_url_str(user).encode())},
        }
    }
    return device, WebAuthn.add(user, name, device.register(options)).instance


def browser(**extra) -> Client:
    """A test client on localhost: WebAuthn takes the site's host name as its id, and accepts
    plain http only there."""
    return Client(HTTP_HOST="localhost", **extra)


def log_in_with(device: SoftPasskey, client: Client | None = None) -> Client:
    """Log in with the passkey alone, as allauth's script does; the answer is client.response."""
    client = client or browser()
    url = reverse("mfa_login_webauthn")
    options = client.get(url, HTTP_ACCEPT="application/json").json()
    client.response = client.post(
        url, {"credential": json.dumps(device.assert_(options["request_options"]))}
    )
    return client


def creation_options(page: str) -> dict:
    """The options a passkey page hands allauth's script, read back from its JSON."""
    found = re.search(r'<script id="passkey-options" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))["creation_options"]
