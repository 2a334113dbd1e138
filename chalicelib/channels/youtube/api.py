"""YouTube Data API (commentThreads.list) and the WebSub hub, through an injectable HTTP transport.

A transport is `(method, url, headers, body) -> (status, body_bytes)`; tests replay recorded
responses from tests/fixtures/youtube/, production uses `urllib_transport`.
"""
from __future__ import annotations

import json
from typing import Callable
from urllib.parse import urlencode

from .inbound import HUB_URL, topic_url

Transport = Callable[[str, str, dict, bytes | None], tuple[int, bytes]]
API = "https://www.googleapis.com/youtube/v3"


class YouTubeApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"YouTube API {status}: {message}")
        self.status = status


def urllib_transport(method: str, url: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # nosec B310 - fixed https Google hosts
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class YouTubeApi:
    def __init__(self, api_key: str | None, transport: Transport | None = None) -> None:
        self.api_key = api_key
        self.transport = transport or urllib_transport

    def comment_threads(self, channel_id: str, page_token: str | None = None, max_results: int = 100) -> dict:
        """One page of the channel's comment threads, newest first."""
        params = {"part": "snippet", "allThreadsRelatedToChannelId": channel_id, "order": "time",
                  "maxResults": str(max_results), "textFormat": "plainText", "key": self.api_key or ""}
        if page_token:
            params["pageToken"] = page_token
        status, body = self.transport("GET", f"{API}/commentThreads?{urlencode(params)}",
                                      {"Accept": "application/json"}, None)
        if status != 200:
            raise YouTubeApiError(status, _error_message(body))
        return json.loads(body)

    def subscribe(self, channel_id: str, callback_url: str, secret: str | None, lease_seconds: int) -> None:
        """(Re)new the WebSub lease; the hub answers 202 and then verifies intent with a GET."""
        form = {"hub.mode": "subscribe", "hub.callback": callback_url, "hub.topic": topic_url(channel_id),
                "hub.verify": "async", "hub.lease_seconds": str(lease_seconds)}
        if secret:
            form["hub.secret"] = secret
        status, body = self.transport("POST", HUB_URL, {"Content-Type": "application/x-www-form-urlencoded"},
                                      urlencode(form).encode())
        if status not in (202, 204):
            raise YouTubeApiError(status, body[:200].decode("utf-8", "replace"))


def _error_message(body: bytes) -> str:
    try:
        return str(json.loads(body)["error"]["message"])[:200]
    except (ValueError, KeyError, TypeError):
        return body[:200].decode("utf-8", "replace")
