"""SNS HTTPS delivery (when an HTTPS subscription is used instead of Lambda): signature verification
(SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA), certificate URL host check, topic allow-list.

Pure apart from `cryptography`; the certificate fetcher is injected (cached by the caller)."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Callable
from urllib.parse import urlsplit

CERT_HOST = re.compile(r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")

NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_KEYS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")


class SnsSignatureError(Exception):
    """The message was not signed by SNS (or not for a topic we subscribed to)."""


def decode_message(message: str | dict[str, Any], error: type[Exception]) -> dict[str, Any]:
    """The SNS `Message` as an object (SES receipts and EUM two-way SMS both arrive this way); anything
    else raises `error`, the caller's own payload error, with a message a person can act on."""
    import json

    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            raise error("SNS Message JSON değil / SNS Message is not JSON") from None
    if not isinstance(message, dict):
        raise error("SNS Message bir nesne olmalı / SNS Message must be an object")
    return message


def is_sns_url(url: Any) -> bool:
    if not url or not isinstance(url, str):  # a JSON body can put any type here
        return False
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        return False
    return parts.scheme == "https" and bool(CERT_HOST.match(parts.hostname or "")) and port in (None, 443)


def string_to_sign(message: dict[str, Any]) -> bytes:
    kind = message.get("Type")
    keys = NOTIFICATION_KEYS if kind == "Notification" else CONFIRMATION_KEYS
    out = []
    for key in keys:
        if key == "Subject" and message.get("Subject") is None:
            continue
        if key not in message:
            raise SnsSignatureError(f"{key} missing")
        out.append(f"{key}\n{message[key]}\n")
    return "".join(out).encode("utf-8")


def verify(message: dict[str, Any], fetch_cert: Callable[[str], bytes], allowed_topics: Callable[[str], bool]) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    if message.get("Type") not in ("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"):
        raise SnsSignatureError("unknown SNS message Type")
    if not allowed_topics(str(message.get("TopicArn", ""))):
        raise SnsSignatureError("TopicArn is not one we subscribed to")
    version = str(message.get("SignatureVersion", ""))
    algorithm = {"1": hashes.SHA1(), "2": hashes.SHA256()}.get(version)  # nosec - SNS v1 is SHA1 by definition
    if algorithm is None:
        raise SnsSignatureError("SignatureVersion must be 1 or 2")
    cert_url = message.get("SigningCertURL") or message.get("SigningCertUrl")
    if not is_sns_url(cert_url):
        raise SnsSignatureError("SigningCertURL is not an https SNS host")
    try:
        signature = base64.b64decode(str(message.get("Signature", "")), validate=True)
    except (binascii.Error, ValueError):
        raise SnsSignatureError("Signature is not base64") from None
    try:
        cert = x509.load_pem_x509_certificate(fetch_cert(cert_url))
    except ValueError:
        raise SnsSignatureError("signing certificate unreadable") from None
    try:
        cert.public_key().verify(signature, string_to_sign(message), padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        raise SnsSignatureError("signature does not verify") from None
