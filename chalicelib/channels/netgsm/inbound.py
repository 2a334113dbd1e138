"""Netgsm inbound SMS: pull-only. Poll `GET /sms/rest/v2/inbox` over explicit date windows (reads without
dates are destructive) and dedupe on a content hash, because Netgsm gives no message id.

Pure apart from the default urllib transport; tests inject recorded responses (tests/fixtures/netgsm/).
"""
from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlencode

from ..local_time import TURKEY, parse_local
from ...domain.models import Channel, Citizen, IntakeCommand

TZ = TURKEY
INBOX_URL = "https://api.netgsm.com.tr/sms/rest/v2/inbox"

# (status, body) = transport(url, headers)
Transport = Callable[[str, dict[str, str]], tuple[int, bytes]]

CODES = {
    "00": "OK",
    "30": "Geçersiz kullanıcı adı/şifre veya IP kısıtı / authentication failure or IP restriction",
    "40": "Mesaj yok / no messages",
    "70": "Parametre hatası / parameter error",
    "100": "Sistem hatası / system error",
    "101": "Sistem hatası / system error",
}


class NetgsmError(Exception):
    """Netgsm answered with an error code (or not at all); the window is retried next run."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"netgsm {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class InboundSms:
    sender: str
    receiver: str
    message: str
    at: datetime
    raw_datetime: str

    @property
    def content_hash(self) -> str:
        key = "\x1f".join((self.sender, self.receiver, self.raw_datetime, self.message))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def urllib_transport(url: str, headers: dict[str, str]) -> tuple[int, bytes]:  # pragma: no cover - network
    req = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # nosec B310 - fixed https Netgsm URL
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def fmt(dt: datetime) -> str:
    return dt.astimezone(TZ).strftime("%d%m%Y%H%M%S")


_DT_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d%m%Y%H%M%S", "%d/%m/%Y %H:%M:%S")


def parse_datetime(value: str) -> datetime:
    parsed = parse_local(value, _DT_FORMATS)
    if parsed is None:
        raise ValueError(f"unknown Netgsm datetime format: {value!r}")
    return parsed


def parse_inbox(status: int, body: bytes) -> list[InboundSms]:
    """A v2 inbox response → messages. Code 40 (no messages) is an empty list; other codes raise."""
    text = body.decode("utf-8", errors="replace").strip()
    if status >= 500:
        raise NetgsmError(str(status), "HTTP error")
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        code = text.split()[0] if text else str(status)  # legacy plain-text answers are a bare code
        if code == "40":
            return []
        raise NetgsmError(code, CODES.get(code, "beklenmeyen yanıt / unexpected response")) from None
    code = str(data.get("code", "")).strip()
    if code == "40":
        return []
    if code != "00":
        raise NetgsmError(code or str(status), CODES.get(code, str(data.get("description") or "unexpected")))
    out = []
    messages = data.get("messages") or []
    for m in messages if isinstance(messages, list) else []:
        if not isinstance(m, dict) or not m.get("sender") or not m.get("message"):
            continue
        raw_dt = str(m.get("datetime") or "")
        out.append(InboundSms(sender=str(m["sender"]), receiver=str(m.get("receiver") or ""),
                              message=str(m["message"]), at=parse_datetime(raw_dt), raw_datetime=raw_dt))
    return out


class NetgsmInbox:
    def __init__(self, usercode: str, password: str, transport: Transport, appname: str | None = None) -> None:
        self._auth = "Basic " + base64.b64encode(f"{usercode}:{password}".encode()).decode()
        self._transport = transport
        self._appname = appname

    def fetch(self, start: datetime, stop: datetime) -> list[InboundSms]:
        params = {"startdate": fmt(start), "stopdate": fmt(stop)}
        if self._appname:
            params["appname"] = self._appname
        try:
            status, body = self._transport(f"{INBOX_URL}?{urlencode(params)}",
                                           {"Authorization": self._auth, "Accept": "application/json"})
        except (OSError, TimeoutError) as exc:
            raise NetgsmError("network", type(exc).__name__) from None
        return parse_inbox(status, body)


def sms_command(sms: InboundSms) -> IntakeCommand:
    sender = sms.sender.strip()
    if sender.isdigit() and sender.startswith("90") and len(sender) == 12:
        sender = "+" + sender  # Netgsm writes 905xxxxxxxxx
    try:
        citizen = Citizen(phone=sender)
    except ValueError:
        citizen = Citizen(handle=sms.sender)
    return IntakeCommand(channel=Channel.sms, channel_ref=f"netgsm:{sms.content_hash}", text=sms.message.strip(),
                         citizen=citizen, received_at=sms.at)


def to_dict(sms: InboundSms) -> dict[str, Any]:  # for reports; no personal data
    return {"hash": sms.content_hash, "at": sms.at.isoformat()}
