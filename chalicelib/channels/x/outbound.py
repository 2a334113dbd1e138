"""Replies on X through API v2: a reply post or a direct message (OAuth 2 user token, Bearer)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from ...domain.outbound import (X_DM, X_REPLY, HttpResponse, OutboundMessage, PermanentSendError, SendResult,
                                classify_http)

API = "https://api.x.com/2"


@dataclass
class XConfig:
    user_token: str | None = None


class XSender:
    def __init__(self, config: XConfig, transport: Callable[..., HttpResponse]) -> None:
        self.config = config
        self.transport = transport

    def send(self, message: OutboundMessage) -> SendResult:
        if not self.config.user_token:
            raise PermanentSendError("x: erişim anahtarı tanımlı değil / no user token configured")
        if message.route == X_REPLY:
            if not message.in_reply_to:
                raise PermanentSendError("x: yanıtlanacak gönderi yok / no post to reply to")
            url = f"{API}/tweets"
            payload: dict = {"text": message.text, "reply": {"in_reply_to_tweet_id": message.in_reply_to}}
        elif message.route == X_DM:
            url = f"{API}/dm_conversations/with/{message.to}/messages"
            payload = {"text": message.text}
        else:
            raise PermanentSendError(f"x: unknown route {message.route}")
        headers = {"Authorization": f"Bearer {self.config.user_token}", "Content-Type": "application/json"}
        response = self.transport("POST", url, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        classify_http("x", response)
        data = (json.loads(response.body or b"{}") or {}).get("data") or {}
        return SendResult("x", str(data.get("id") or data.get("dm_event_id") or ""))
