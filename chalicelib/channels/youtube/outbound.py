"""Replies to YouTube comments: `comments.insert` (Data API v3, OAuth scope youtube.force-ssl)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from ...domain.outbound import HttpResponse, OutboundMessage, PermanentSendError, SendResult, classify_http

URL = "https://www.googleapis.com/youtube/v3/comments?part=snippet"


@dataclass
class YouTubeConfig:
    oauth_token: str | None = None


class YouTubeSender:
    def __init__(self, config: YouTubeConfig, transport: Callable[..., HttpResponse]) -> None:
        self.config = config
        self.transport = transport

    def send(self, message: OutboundMessage) -> SendResult:
        if not self.config.oauth_token:
            raise PermanentSendError("youtube: OAuth anahtarı tanımlı değil / no OAuth token configured")
        if not message.in_reply_to:
            raise PermanentSendError("youtube: yanıtlanacak yorum yok / no comment to reply to")
        payload = {"snippet": {"parentId": message.in_reply_to, "textOriginal": message.text}}
        headers = {"Authorization": f"Bearer {self.config.oauth_token}", "Content-Type": "application/json"}
        response = self.transport("POST", URL, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        if response.status == 403 and b"quotaExceeded" in (response.body or b""):
            from ...domain.outbound import TransientSendError

            raise TransientSendError("youtube: günlük kota doldu / daily quota exceeded")
        classify_http("youtube", response)
        return SendResult("youtube", str((json.loads(response.body or b"{}") or {}).get("id", "")))
