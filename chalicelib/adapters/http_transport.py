"""The default HTTP transport for platform senders (stdlib urllib; tests inject a recording fake)."""
from __future__ import annotations

import socket
import urllib.error
import urllib.request

from ..domain.outbound import HttpResponse, TransientSendError


def urllib_transport(method: str, url: str, headers: dict[str, str], body: bytes | None) -> HttpResponse:
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # nosec B310 - fixed https platform URLs
            return HttpResponse(resp.status, resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as err:
        return HttpResponse(err.code, err.read(), dict(err.headers or {}))
    except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
        raise TransientSendError(f"network: {type(exc).__name__}") from None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        return None  # the caller decides about every redirect (host check, credentials dropped)


def bounded_get_transport(method: str, url: str, headers: dict[str, str], max_bytes: int) -> HttpResponse:
    """A download that never follows redirects (3xx come back as responses) and reads at most max_bytes + 1
    bytes, so an oversized body is detected without holding it (voicemail recordings from Twilio)."""
    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(url, method=method, headers=headers)
    try:
        with opener.open(req, timeout=15) as resp:  # nosec B310 - the caller allows only https Twilio hosts
            return HttpResponse(resp.status, resp.read(max_bytes + 1), dict(resp.headers))
    except urllib.error.HTTPError as err:
        return HttpResponse(err.code, err.read(65536), dict(err.headers or {}))
    except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
        raise TransientSendError(f"network: {type(exc).__name__}") from None
