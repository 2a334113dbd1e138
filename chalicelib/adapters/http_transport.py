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
