"""A local push service standing in for the browser vendor's (FCM, Mozilla autopush, Apple): an HTTP server on
loopback that plays the browser's side too. `subscription()` is what PushManager.subscribe() would return (a
fresh P-256 key pair and auth secret per device); every POST is recorded, its VAPID JWT verified (RFC 8292:
ES256 by the `k` key, `aud` = this origin, `exp` within 24 h, `sub` a mailto:) and its aes128gcm body decrypted
(RFC 8291) with the device's private key, as the browser would before showing the notification."""
from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Delivery:
    device: str
    headers: dict
    claims: dict | None
    payload: dict | None
    error: str | None = None


@dataclass
class LocalPushService:
    deliveries: list[Delivery] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)  # devices whose subscription expired: 410 Gone

    def start(self) -> "LocalPushService":
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                device = self.path.rsplit("/", 1)[-1]
                if device in service.gone:
                    self.send_response(410)
                    self.end_headers()
                    return
                service.deliveries.append(service._receive(device, dict(self.headers), body))
                self.send_response(201)
                self.send_header("Location", f"{service.origin}/message/{len(service.deliveries)}")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._devices: dict[str, tuple] = {}
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def subscription(self) -> dict:
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        device = _b64(os.urandom(9))
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self._devices[device] = (key, auth)
        public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{device}", "expirationTime": None,
                "keys": {"p256dh": _b64(public), "auth": _b64(auth)}}

    def _receive(self, device: str, headers: dict, body: bytes) -> Delivery:
        import http_ece
        import jwt
        from cryptography.hazmat.primitives.asymmetric import ec

        lower = {k.lower(): v for k, v in headers.items()}
        try:
            scheme, _, params = lower.get("authorization", "").partition(" ")
            assert scheme == "vapid", "no VAPID authorization"
            parts = dict(p.strip().split("=", 1) for p in params.split(","))
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(parts["k"]))
            claims = jwt.decode(parts["t"], public, algorithms=["ES256"], audience=self.origin)
            assert claims["exp"] <= time.time() + 24 * 3600, "exp more than 24 h ahead"
            assert str(claims.get("sub", "")).startswith("mailto:"), "sub is not a mailto:"
            assert lower.get("content-encoding") == "aes128gcm" and int(lower.get("ttl", "-1")) >= 0
            key, auth = self._devices[device]
            plain = http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
            return Delivery(device, lower, claims, json.loads(plain))
        except Exception as exc:  # recorded: the test says what was wrong
            return Delivery(device, lower, None, None, f"{type(exc).__name__}: {exc}")
