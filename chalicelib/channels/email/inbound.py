"""E-mail via Amazon SES receipt rule → SNS: the notification JSON and its raw MIME → IntakeCommand.

Pure (stdlib `email` only). Handles Turkish charsets (UTF-8, windows-1254, ISO-8859-9), quoted-printable,
RFC 2047 encoded headers, HTML-only mails (converted to text), attachment metadata (never the bytes),
`Message-ID` as channel_ref and `In-Reply-To` for threading.
"""
from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from ...domain.models import Attachment, Channel, Citizen, IntakeCommand

MAX_TEXT = 19000


class Skip(Exception):
    """Not a citizen e-mail we should take in (spam/virus verdict FAIL, not a Received notification)."""


class PayloadError(Exception):
    """The notification or its MIME cannot be understood."""


class _Text(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTE_MARKERS = re.compile(
    r"^(On .+ wrote:|.+ tarihinde .+ yazdı:|-----Original Message-----|-----Orijinal İleti-----|"
    r"From: .+|Kimden: .+)\s*$", re.MULTILINE)


def strip_quoted(text: str) -> str:
    """Drop the quoted previous mail in a reply so staff read only what the citizen added."""
    match = _QUOTE_MARKERS.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _content(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True) or b""
        for charset in (part.get_content_charset(), "utf-8", "cp1254", "iso-8859-9"):
            if not charset:
                continue
            try:
                return payload.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
        return payload.decode("utf-8", errors="replace")


def body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _content(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _kind(ctype: str) -> str:
    major = ctype.split("/", 1)[0]
    return {"image": "image", "audio": "audio", "video": "video"}.get(major, "file")


def attachments(msg: EmailMessage, message_id: str) -> list[Attachment]:
    found = []
    for i, part in enumerate(msg.iter_attachments()):
        ctype = part.get_content_type()
        payload = part.get_payload(decode=True) or b""
        found.append(Attachment(kind=_kind(ctype), content_type=ctype, name=(part.get_filename() or None),
                                size=len(payload), provider_id=f"{message_id}/{i}"))
        if len(found) >= 20:
            break
    return found


def _msgid(value: str | None) -> str | None:
    if not value:
        return None
    value = str(value).strip()
    match = re.search(r"<[^<>\s]+>", value)
    return match.group(0) if match else value.split()[0]


def parse_mime(raw: bytes, *, fallback_id: str | None = None, received_at: datetime | None = None) -> IntakeCommand:
    msg = message_from_bytes(raw, policy=policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise PayloadError("MIME okunamadı / MIME not understood")
    message_id = _msgid(msg.get("Message-ID")) or fallback_id
    if not message_id:
        raise PayloadError("Message-ID eksik / Message-ID is missing")
    name, address = (getaddresses([str(msg.get("From", ""))]) or [("", "")])[0]
    citizen = None
    if address:
        try:
            citizen = Citizen(name=name or None, email=address)
        except ValueError:
            citizen = Citizen(name=name or None, handle=address)
    subject = str(msg.get("Subject", "") or "").strip()
    body = strip_quoted(body_text(msg))
    text = "\n\n".join(p for p in (subject, body) if p).strip()
    if not text:
        text = "(boş e-posta / empty e-mail)"
    date = received_at
    if date is None and msg.get("Date"):
        try:
            date = parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            date = None
    return IntakeCommand(
        channel=Channel.email,
        channel_ref=message_id[:512],
        text=text[:MAX_TEXT],
        citizen=citizen,
        attachments=attachments(msg, message_id),
        in_reply_to=_msgid(msg.get("In-Reply-To")) or _last_reference(msg.get("References")),
        received_at=date,
    )


def _last_reference(value: Any) -> str | None:
    refs = re.findall(r"<[^<>\s]+>", str(value or ""))
    return refs[-1] if refs else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _verdict_failed(receipt: dict[str, Any], name: str) -> bool:
    return _verdict(receipt, name) == "FAIL"


def _verdict(receipt: dict[str, Any], name: str) -> str:
    return str(_obj(receipt.get(name)).get("status", "")).upper()


def sender_suspicion(receipt: dict[str, Any]) -> str | None:
    """Why the From address cannot be trusted, from SES's receipt verdicts; None when it can.

    The From header is whatever the sender typed. DMARC PASS means the From domain is aligned with an SPF or
    DKIM pass; without DMARC (GRAY) both SPF and DKIM must pass. Any FAIL, a spam verdict FAIL, or missing
    verdicts make the mail suspect: stored for staff, but never threaded onto, reopening or acknowledging
    the claimed sender's requests."""
    verdicts = {name: _verdict(receipt, f"{name}Verdict") for name in ("spf", "dkim", "dmarc", "spam")}
    failed = [name for name, status in verdicts.items() if status == "FAIL"]
    if failed:
        return "e-posta doğrulaması başarısız / e-mail verification failed: " + ", ".join(
            f"{n.upper()} FAIL" for n in failed)
    if verdicts["dmarc"] == "PASS" or (verdicts["spf"] == "PASS" and verdicts["dkim"] == "PASS"):
        return None
    shown = ", ".join(f"{n.upper()} {verdicts[n] or 'yok/missing'}" for n in ("spf", "dkim", "dmarc"))
    return f"gönderen doğrulanamadı / sender not verified: {shown}"


def parse_ses_notification(message: dict[str, Any] | str) -> IntakeCommand:
    """The SNS `Message` of an SES receipt rule (SNS action). Raises Skip or PayloadError."""
    from .sns import decode_message

    message = decode_message(message, PayloadError)
    if message.get("notificationType") != "Received":
        raise Skip(f"notificationType {message.get('notificationType')!r}")
    receipt = _obj(message.get("receipt"))
    if _verdict_failed(receipt, "virusVerdict"):
        raise Skip("virusVerdict FAIL")
    content = message.get("content")
    if not content or not isinstance(content, str):
        raise PayloadError("content eksik (SES S3 eylemi mi?) / content missing (use the SNS action)")
    encoding = str(_obj(receipt.get("action")).get("encoding", "UTF8")).upper()
    if encoding == "BASE64":
        try:
            raw = base64.b64decode(content, validate=False)
        except (binascii.Error, ValueError):
            raise PayloadError("content base64 değil / content is not base64") from None
    else:
        raw = content.encode("utf-8", errors="surrogateescape")
    mail = _obj(message.get("mail"))
    received = None
    if mail.get("timestamp"):
        try:
            received = datetime.fromisoformat(str(mail["timestamp"]).replace("Z", "+00:00"))
        except ValueError:
            received = None
    common = _obj(mail.get("commonHeaders"))
    fallback = _msgid(common.get("messageId")) or (f"<{mail['messageId']}@ses>" if mail.get("messageId") else None)
    cmd = parse_mime(raw, fallback_id=fallback, received_at=received)
    suspect = sender_suspicion(receipt)
    if suspect is None:
        return cmd
    # An unverified sender's mail stands alone: no threading (In-Reply-To is the sender's claim too) and,
    # keyed by SES's own message id, it cannot pass for (or pre-empt) a real citizen's Message-ID.
    ses_id = str(mail.get("messageId") or cmd.channel_ref)
    return cmd.model_copy(update={"suspect": suspect, "in_reply_to": None, "channel_ref": f"ses:{ses_id}"[:512]})
