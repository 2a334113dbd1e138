"""SMS through Twilio's REST API (form-encoded, HTTP Basic with the account SID and auth token),
with a status callback so delivery reports reach POST /webhooks/twilio/status."""
from __future__ import annotations

import base64
import json
import urllib.parse
from dataclasses import dataclass
from typing import Callable

from ...domain.outbound import HttpResponse, OutboundMessage, PermanentSendError, SendResult, classify_http


@dataclass
class TwilioConfig:
    account_sid: str | None = None
    auth_token: str | None = None
    from_number: str | None = None
    messaging_service_sid: str | None = None
    status_callback: str | None = None


class TwilioSender:
    def __init__(self, config: TwilioConfig, transport: Callable[..., HttpResponse]) -> None:
        self.config = config
        self.transport = transport

    def send(self, message: OutboundMessage) -> SendResult:
        cfg = self.config
        if not (cfg.account_sid and cfg.auth_token and (cfg.from_number or cfg.messaging_service_sid)):
            raise PermanentSendError("twilio: hesap bilgileri eksik / account settings missing")
        if not message.to:
            raise PermanentSendError("twilio: telefon numarası yok / no phone number")
        form = {"To": message.to, "Body": message.text}
        if cfg.messaging_service_sid:
            form["MessagingServiceSid"] = cfg.messaging_service_sid
        else:
            form["From"] = cfg.from_number or ""
        if cfg.status_callback:
            form["StatusCallback"] = cfg.status_callback
        basic = base64.b64encode(f"{cfg.account_sid}:{cfg.auth_token}".encode()).decode()
        url = f"https://api.twilio.com/2010-04-01/Accounts/{cfg.account_sid}/Messages.json"
        headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"}
        response = self.transport("POST", url, headers, urllib.parse.urlencode(form).encode())
        classify_http("twilio", response)
        return SendResult("twilio", str((json.loads(response.body or b"{}") or {}).get("sid", "")))


def expected_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: base64(HMAC-SHA1(auth token, full URL + sorted name+value pairs))."""
    import hashlib
    import hmac

    payload = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()).decode()
