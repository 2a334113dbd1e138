"""Fetching a Twilio voicemail recording for Amazon Transcribe (tr-TR): pure, the HTTP transport is injected.

Twilio's `RecordingUrl` is the REST resource of the recording; appending `.wav` gives the audio, behind HTTP
Basic auth with the account SID and auth token. The URL comes from a signed callback, but we still accept only
our own account's recordings on api.twilio.com (our credentials never go anywhere else), read at most
`max_bytes`, and follow a redirect only to an https Twilio media host, without the Authorization header.
Once our private copy is stored, `delete` removes the recording from the Twilio account (KVKK: one copy, ours,
erased with the request).
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

from ...domain.outbound import HttpResponse, PermanentSendError, TransientSendError

API_HOST = "api.twilio.com"
# Hosts a recording GET may be redirected to (Twilio serves media from its own CDN); the credentials stay behind.
MEDIA_HOST_SUFFIXES = (".twilio.com", ".twiliocdn.com")
RECORDING_PATH = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\.wav|\.mp3)?$")
MAX_BYTES = 16 * 1024 * 1024  # 180 s (the <Record maxLength>) of 8 kHz 16-bit WAV is ~2.9 MB
MAX_REDIRECTS = 2

# (method, url, headers, max_bytes) -> HttpResponse; never follows redirects, reads at most max_bytes + 1.
BoundedTransport = Callable[[str, str, dict[str, str], int], HttpResponse]


class RecordingRefused(PermanentSendError):
    """A recording we must not fetch (foreign account or host, too large, not audio): retrying cannot help."""


@dataclass(frozen=True)
class Recording:
    sid: str
    body: bytes
    content_type: str
    media_format: str  # Transcribe MediaFormat: wav | mp3


def media_url(recording_url: str, account_sid: str | None) -> tuple[str, str]:
    """(audio URL, recording SID) for a RecordingUrl of OUR account on api.twilio.com; RecordingRefused otherwise."""
    parts = urlsplit(recording_url or "")
    match = RECORDING_PATH.match(parts.path)
    if parts.scheme != "https" or parts.hostname != API_HOST or parts.port not in (None, 443) or not match \
            or parts.query or parts.username or parts.password:
        raise RecordingRefused("kayıt adresi Twilio'nun kayıt adresi değil / not a Twilio recording URL")
    if not account_sid or match.group(1) != account_sid:
        raise RecordingRefused("kayıt başka bir Twilio hesabına ait / recording belongs to another account")
    base = f"https://{API_HOST}{parts.path}"
    return (base if match.group(3) else base + ".wav"), match.group(2)


def basic_auth(account_sid: str, auth_token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")


def _media_host(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == API_HOST or host.endswith(MEDIA_HOST_SUFFIXES))


def fetch(recording_url: str, *, account_sid: str | None, auth_token: str | None, transport: BoundedTransport,
          max_bytes: int = MAX_BYTES) -> Recording:
    """GET the recording's audio. Transient (retry later): 404 before Twilio has finished the file, 429, 5xx,
    network. Permanent: a refused URL, 401/403, a redirect off Twilio's hosts, a body over `max_bytes`."""
    if not auth_token:
        raise PermanentSendError("TWILIO_AUTH_TOKEN yok / TWILIO_AUTH_TOKEN is not configured")
    url, sid = media_url(recording_url, account_sid)
    headers = {"Authorization": basic_auth(account_sid or "", auth_token), "Accept": "audio/*"}
    for _ in range(MAX_REDIRECTS + 1):
        response = transport("GET", url, headers, max_bytes)
        if response.status in (301, 302, 303, 307, 308):
            target = urljoin(url, _header(response, "location") or "")
            if not _media_host(target):
                raise RecordingRefused("kayıt Twilio dışına yönlendirildi / redirect off Twilio's media hosts")
            if urlsplit(target).hostname != API_HOST:
                headers = {"Accept": "audio/*"}  # the credentials never leave api.twilio.com
            url = target
            continue
        if response.status == 200:
            body = response.body or b""
            length = _header(response, "content-length")
            if len(body) > max_bytes or (length and length.isdigit() and int(length) > max_bytes):
                raise RecordingRefused(f"kayıt çok büyük (> {max_bytes} bayt) / recording larger than {max_bytes} bytes")
            ctype = (_header(response, "content-type") or "").split(";")[0].strip().lower()
            fmt = "mp3" if ctype in ("audio/mpeg", "audio/mp3") else "wav" if ctype in (
                "audio/x-wav", "audio/wav", "audio/wave") else None
            if fmt is None or not body:
                raise RecordingRefused(f"kayıt ses dosyası değil ({ctype or 'türsüz'}) / not audio")
            return Recording(sid=sid, body=body, content_type=ctype, media_format=fmt)
        if response.status in (404, 408, 429) or response.status >= 500:
            raise TransientSendError(f"twilio recording HTTP {response.status}")
        raise RecordingRefused(f"Twilio kaydı vermedi (HTTP {response.status}) / Twilio refused the recording")
    raise RecordingRefused("çok fazla yönlendirme / too many redirects")


def _header(response: HttpResponse, name: str) -> str | None:
    for key, value in (response.headers or {}).items():
        if key.lower() == name:
            return value
    return None


# -- deleting the recording at Twilio once our private copy exists ----------------------------------------------
DELETE_MAX_BYTES = 16 * 1024  # a 204 has no body; an error is a small JSON document


def resource_url(recording_url: str, account_sid: str | None) -> str:
    """The recording's REST resource (…/Recordings/RE….json) for a RecordingUrl of OUR account."""
    audio, _sid = media_url(recording_url, account_sid)
    return audio.rsplit(".", 1)[0] + ".json"


def delete(recording_url: str, *, account_sid: str | None, auth_token: str | None,
           transport: BoundedTransport) -> str:
    """DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.json with the account's credentials.

    "deleted" on 204; "gone" on 404 (an earlier attempt already deleted it: the caller checked that our copy
    exists before asking). Transient (retry later): 429, 5xx, network. Permanent: a refused URL, 401/403, any
    other answer (Twilio's error code is kept in the reason, never the URL)."""
    if not auth_token:
        raise PermanentSendError("TWILIO_AUTH_TOKEN yok / TWILIO_AUTH_TOKEN is not configured")
    url = resource_url(recording_url, account_sid)
    headers = {"Authorization": basic_auth(account_sid or "", auth_token), "Accept": "application/json"}
    response = transport("DELETE", url, headers, DELETE_MAX_BYTES)
    if response.status == 204:
        return "deleted"
    if response.status == 404:
        return "gone"
    code = _twilio_error_code(response)
    if response.status in (408, 429) or response.status >= 500:
        raise TransientSendError(f"twilio recording delete HTTP {response.status} ({code})")
    raise RecordingRefused(f"Twilio kaydı silmedi (HTTP {response.status}, kod {code}) / "
                           f"Twilio did not delete the recording (HTTP {response.status}, code {code})")


def _twilio_error_code(response: HttpResponse) -> str:
    """Twilio's numeric error code (20003 authenticate, 20404 not found, 20429 too many requests) or '-'."""
    import json

    try:
        code = json.loads((response.body or b"{}").decode("utf-8", errors="replace")).get("code")
    except (ValueError, AttributeError):
        return "-"
    return str(code) if isinstance(code, int) else "-"
