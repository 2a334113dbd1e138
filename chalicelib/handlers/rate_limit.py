"""Per-source rate limits of the public endpoints (webhooks per source address, Open311 POST per API key and
client address). One fixed-window counter item per key with TTL and an atomic ADD (DynamoCounters, the same
adapter as the tracking limiter) — never a scan. Limits are generous so platforms are never throttled in
normal use, and configurable:

    ULAKBEL_RATE_LIMIT_WEBHOOK = "<hits>/<seconds>"   default 1200/60 per source address and webhook path
    ULAKBEL_RATE_LIMIT_OPEN311 = "<hits>/<seconds>"   default 60/600 per API key, and the same per client address
    ULAKBEL_RATE_LIMIT_OPEN311_READ = "<hits>/<seconds>"   default 120/60 per client address (public GETs)
    ULAKBEL_RATE_LIMIT_CRC = "<hits>/<seconds>"       default 30/3600 per source address (X CRC: hourly at most)
    "off" turns a limit off. Each limited request costs one UpdateItem (ADD) per key.

On the local stage (`ulakbel dev`, where every client is 127.0.0.1 and `make bench` fires thousands of
webhooks, and schemathesis posts Open311 forms) the limits are off unless set; deployed stages have them on.
"""
from __future__ import annotations

from urllib.parse import parse_qs

from ..domain.errors import RateLimited
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

DEFAULTS = {"webhook": (1200, 60), "open311": (60, 600), "open311_read": (120, 60), "crc": (30, 3600)}


def limit_of(kind: str, stage: str | None = None, raw: str | None = None) -> tuple[int, int] | None:
    """(hits, seconds) of ULAKBEL_RATE_LIMIT_<KIND> (`raw`, else the process's settings), None when off."""
    if raw is None:
        from .. import container

        raw = container.settings().rate_limit(kind)
    if not raw and stage == "local":
        return None
    if raw.lower() in ("off", "0", "none", "false"):
        return None
    try:
        hits, seconds = (int(x) for x in raw.split("/", 1))
        if hits > 0 and seconds > 0:
            return hits, seconds
    except ValueError:
        pass
    return DEFAULTS[kind]


def source_ip(request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return identity.get("sourceIp") or "unknown"


def keys(kind: str, path: str, request) -> list[str]:
    ip = source_ip(request)
    if kind in ("webhook", "crc"):
        return [f"{kind}#{path}#{ip}"]
    if kind == "open311_read":  # one budget per client address for every public Open311 read
        return [f"open311read#ip#{ip}"]
    api_key = (parse_qs((request.raw_body or b"").decode("utf-8", "replace")).get("api_key") or [""])[0][:200]
    out = [f"open311#ip#{ip}"]
    if api_key:
        out.append(f"open311#key#{api_key}")
    return out


def check(kind: str, path: str, request) -> None:
    import time

    from .. import container

    s = container.settings()
    limit = limit_of(kind, s.stage, s.rate_limit(kind))
    if limit is None:
        return
    hits, seconds = limit
    counters = container.counters()
    for key in keys(kind, path, request):
        if counters.hit(key, seconds) > hits:
            exc = RateLimited(both("api.rate_limited"))
            exc.retry_after = max(1, int(seconds - time.time() % seconds) + 1)
            raise exc
