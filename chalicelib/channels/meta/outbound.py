"""Replies through the Meta Graph API: Facebook comment replies, Messenger, Instagram comments and DMs,
WhatsApp Cloud API (free text inside the 24-hour window, an approved template outside it).

The HTTP transport is injected: `transport(method, url, headers, body) -> HttpResponse`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ...domain.outbound import (FACEBOOK_COMMENT, INSTAGRAM_COMMENT, INSTAGRAM_DM, MESSENGER, WHATSAPP,
                                WINDOW_7D, WINDOW_24H, HttpResponse, OutboundMessage, PermanentSendError,
                                SendResult, classify_http)

GRAPH = "https://graph.facebook.com"


@dataclass
class MetaConfig:
    page_token: str | None = None
    page_id: str | None = None
    instagram_id: str | None = None
    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_template: str = "ulakbel_yanit"
    whatsapp_template_language: str = "tr"
    version: str = "v21.0"


def is_facebook_comment_id(ref: str | None) -> bool:
    """Page comment ids look like `<post>_<comment>`; Messenger message ids start with `m_`."""
    return bool(ref) and "_" in (ref or "") and not (ref or "").startswith("m_")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class MetaSender:
    def __init__(self, config: MetaConfig, transport: Callable[..., HttpResponse],
                 clock: Callable[[], datetime] = _now) -> None:
        self.config = config
        self.transport = transport
        self.clock = clock

    # -- helpers ------------------------------------------------------------------------------
    def _post(self, platform: str, path: str, token: str | None, payload: dict) -> dict:
        if not token:
            raise PermanentSendError(f"{platform}: erişim anahtarı tanımlı değil / no access token configured")
        url = f"{GRAPH}/{self.config.version}/{path}"
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        response = self.transport("POST", url, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        classify_http(platform, response)
        try:
            return json.loads(response.body or b"{}")
        except ValueError:
            return {}

    def _age(self, message: OutboundMessage):
        return self.clock() - message.last_inbound_at if message.last_inbound_at else None

    # -- routes -------------------------------------------------------------------------------
    def send(self, message: OutboundMessage) -> SendResult:
        route = message.route
        if route == WHATSAPP:
            return self._whatsapp(message)
        if route == FACEBOOK_COMMENT:
            out = self._post("facebook", f"{message.in_reply_to}/comments", self.config.page_token,
                             {"message": message.text})
            return SendResult("facebook", str(out.get("id", "")))
        if route == INSTAGRAM_COMMENT:
            out = self._post("instagram", f"{message.in_reply_to}/replies", self.config.page_token,
                             {"message": message.text})
            return SendResult("instagram", str(out.get("id", "")))
        if route == MESSENGER:
            return self._private("facebook", self.config.page_id or "me", message,
                                 from_comment=is_facebook_comment_id(message.in_reply_to))
        if route == INSTAGRAM_DM:
            return self._private("instagram", self.config.instagram_id or "me", message,
                                 from_comment=(message.in_reply_to or "").isdigit())
        raise PermanentSendError(f"meta: unknown route {route}")

    def _private(self, platform: str, account: str, message: OutboundMessage, *, from_comment: bool) -> SendResult:
        age = self._age(message)
        if from_comment:
            # Private reply to a comment: one message, within 7 days of the comment.
            if age is not None and age > WINDOW_7D:
                raise PermanentSendError(f"{platform}: yoruma özel yanıt süresi (7 gün) geçti / "
                                         "private reply window (7 days) has passed")
            payload = {"recipient": {"comment_id": message.in_reply_to}, "message": {"text": message.text}}
        else:
            if not message.to:
                raise PermanentSendError(f"{platform}: alıcı kimliği yok / no recipient id")
            payload = {"recipient": {"id": message.to}, "messaging_type": "RESPONSE",
                       "message": {"text": message.text}}
            if age is not None and age > WINDOW_24H:
                if age > WINDOW_7D:
                    raise PermanentSendError(f"{platform}: mesajlaşma penceresi (7 gün) kapandı / "
                                             "messaging window closed")
                payload["messaging_type"] = "MESSAGE_TAG"
                payload["tag"] = "HUMAN_AGENT"
        out = self._post(platform, f"{account}/messages", self.config.page_token, payload)
        return SendResult(platform, str(out.get("message_id", "")))

    def _whatsapp(self, message: OutboundMessage) -> SendResult:
        cfg = self.config
        if not cfg.whatsapp_phone_number_id:
            raise PermanentSendError("whatsapp: telefon numarası kimliği tanımlı değil / no phone number id")
        age = self._age(message)
        # A business-scoped user id (e.g. "US.1234", no phone number shared) is addressed as `recipient`.
        address = {"to": message.to} if (message.to or "").isdigit() else {"recipient": message.to}
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", **address}
        if age is not None and age <= WINDOW_24H:
            payload = {**base, "type": "text", "text": {"preview_url": False, "body": message.text}}
            note = "text"
        else:
            # Outside the customer-service window only an approved template may be sent.
            payload = {**base, "type": "template", "template": {
                "name": cfg.whatsapp_template, "language": {"code": cfg.whatsapp_template_language},
                "components": [{"type": "body", "parameters": [
                    {"type": "text", "text": message.tracking_code or "-"},
                    {"type": "text", "text": message.text[:1000]},
                ]}]}}
            note = "template"
        out = self._post("whatsapp", f"{cfg.whatsapp_phone_number_id}/messages", cfg.whatsapp_token, payload)
        messages = out.get("messages") or [{}]
        return SendResult("whatsapp", str(messages[0].get("id", "")), note=note)
