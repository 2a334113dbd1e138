"""Web Push to the citizens' app (RFC 8030 delivery, RFC 8291 aes128gcm encryption, RFC 8292 VAPID).

The well-kept pieces pywebpush itself is built on do the cryptography: `http_ece` encrypts the payload for the
browser's key (p256dh, auth) and `py_vapid` signs the VAPID JWT; the HTTP POST goes through the injected
transport (urllib in AWS, the outbox locally, a recording push service in tests). Subscription endpoints are
URLs a browser gave us: only https push services of the browsers are called (SSRF), plus loopback on local/test.
"""
from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from ...domain.outbound import HttpResponse, PermanentSendError, SendResult, TransientSendError

WEB_PUSH = "web_push"  # the outbound route
PUSH_SERVICE_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "push.services.mozilla.com",
                      "web.push.apple.com", "api.push.apple.com")
PUSH_SERVICE_SUFFIXES = (".notify.windows.com", ".push.apple.com", ".push.services.mozilla.com")
TTL_SECONDS = 4 * 24 * 3600  # a phone off for a long weekend still gets "resolved"
MAX_PAYLOAD = 3000  # push services accept 4 KB of ciphertext; JSON + the aes128gcm header fit below it


class SubscriptionRefused(ValueError):
    """Not a push subscription we may call (foreign host, plain http, malformed keys)."""


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def check_subscription(endpoint: str, p256dh: str, auth: str, *, allow_loopback: bool = False) -> None:
    parts = urlsplit(endpoint or "")
    host = (parts.hostname or "").lower()
    loopback = allow_loopback and parts.scheme in ("http", "https") and host in ("127.0.0.1", "localhost")
    known = parts.scheme == "https" and (host in PUSH_SERVICE_HOSTS or host.endswith(PUSH_SERVICE_SUFFIXES))
    if not (loopback or known) or parts.username or parts.password or len(endpoint) > 1024:
        raise SubscriptionRefused("Bildirim adresi tanınan bir tarayıcı hizmeti değil / not a known push service")
    try:
        key, secret = b64url_decode(p256dh), b64url_decode(auth)
    except (ValueError, TypeError):
        raise SubscriptionRefused("Abonelik anahtarları çözülemedi / subscription keys not base64url") from None
    if len(key) != 65 or key[0] != 4 or len(secret) != 16:
        raise SubscriptionRefused("Abonelik anahtarları geçersiz / p256dh must be a P-256 point, auth 16 bytes")


def generate_vapid_private_key() -> str:
    """A fresh VAPID key (P-256), base64url of the raw 32-byte private value (`ulakbel vapid-keys`, dev secrets)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def vapid_public_key(private_key: str) -> str:
    """The applicationServerKey the browser subscribes with: the uncompressed public point, base64url."""
    from py_vapid import Vapid02

    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    vapid = Vapid02.from_raw(private_key.encode())
    return b64url(vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def encrypt(payload: bytes, p256dh: str, auth: str) -> bytes:
    """RFC 8291: a fresh ECDH key and salt per message; the aes128gcm header carries salt, rs and our key."""
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec

    server_key = ec.generate_private_key(ec.SECP256R1())
    return http_ece.encrypt(payload, salt=os.urandom(16), private_key=server_key, dh=b64url_decode(p256dh),
                            auth_secret=b64url_decode(auth), version="aes128gcm")


def vapid_headers(endpoint: str, private_key: str, subject: str, now: float) -> dict[str, str]:
    """RFC 8292: `Authorization: vapid t=<ES256 JWT for the push service's origin>, k=<public key>`."""
    from py_vapid import Vapid02

    parts = urlsplit(endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "exp": int(now) + 12 * 3600, "sub": subject}
    return Vapid02.from_raw(private_key.encode()).sign(claims)


@dataclass(frozen=True)
class WebPushConfig:
    vapid_private_key: str | None
    subject: str
    allow_loopback: bool = False


class WebPushSender:
    """Sends one queued message to one stored subscription (`message.to` names it; the endpoint never travels
    through the queue or the timeline). 404/410 from the push service: the subscription is gone for good."""

    def __init__(self, config: WebPushConfig, transport: Callable[..., HttpResponse],
                 subscription_of: Callable[[str, str], dict[str, Any] | None],
                 forget: Callable[[str, str], None] | None = None, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.transport = transport
        self.subscription_of = subscription_of
        self.forget = forget
        self.clock = clock

    def send(self, message) -> SendResult:
        if not self.config.vapid_private_key:
            raise PermanentSendError("VAPID_PRIVATE_KEY yok / VAPID key not configured")
        sub = self.subscription_of(message.request_id, message.to or "")
        if not sub:
            raise PermanentSendError("bildirim aboneliği yok / no such push subscription (withdrawn)")
        try:
            check_subscription(sub["endpoint"], sub["p256dh"], sub["auth"], allow_loopback=self.config.allow_loopback)
        except SubscriptionRefused as exc:
            raise PermanentSendError(str(exc)) from None
        body = json.dumps({"title": "Talebiniz / Your request " + (message.tracking_code or ""),
                           "body": message.text[:1500], "tag": message.tracking_code or message.request_id,
                           "template": message.template, "url": "/app#track"}, ensure_ascii=False).encode()
        if len(body) > MAX_PAYLOAD:
            raise PermanentSendError("bildirim metni çok uzun / push payload too large")
        headers = {"TTL": str(TTL_SECONDS), "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream",
                   "Urgency": "normal", **vapid_headers(sub["endpoint"], self.config.vapid_private_key,
                                                       self.config.subject, self.clock())}
        response = self.transport("POST", sub["endpoint"], headers, encrypt(body, sub["p256dh"], sub["auth"]))
        if response.status in (200, 201, 202):
            location = {k.lower(): v for k, v in (response.headers or {}).items()}.get("location")
            return SendResult(platform="webpush", platform_message_id=message.message_id,
                              note=f"push service HTTP {response.status}" + (" (stored)" if location else ""))
        if response.status in (404, 410):
            if self.forget is not None:
                self.forget(message.request_id, message.to or "")
            raise PermanentSendError(f"abonelik sona ermiş (HTTP {response.status}) / subscription expired")
        if response.status == 429 or response.status >= 500:
            raise TransientSendError(f"push service HTTP {response.status}")
        raise PermanentSendError(f"push service refused (HTTP {response.status})")
