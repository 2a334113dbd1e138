"""Requests found through a marker or in one batched read: written once over the table primitives
(get, get_marker, get_markers) that the DynamoDB adapter and the in-memory twin both provide."""
from __future__ import annotations

from datetime import datetime

from ..domain.models import Request
from .schema import requests as keys
from .schema.requests import request_from_item


class RequestLookups:
    def get_by_tracking_code(self, code: str) -> Request | None:
        marker = self.get_marker(keys.tracking_pk(code), keys.TRACK_SK)
        return self.get(marker["request_id"]) if marker else None

    def get_by_dedupe_key(self, dedupe_key: str) -> Request | None:
        marker = self.get_marker(keys.dedupe_pk(dedupe_key), keys.INBOUND_SK)
        return self.get(marker["request_id"]) if marker else None

    def get_headers(self, request_ids: list[str]) -> list[Request]:
        """Request headers (no timeline) in one BatchGetItem, in the order asked; missing ones left out."""
        if not request_ids:
            return []
        wanted = [(keys.request_pk(r), keys.HEADER_SK) for r in request_ids[:100]]
        found = self.get_markers(wanted)
        return [request_from_item(found[k]) for k in wanted if k in found]

    def get_many(self, request_ids: list[str]) -> list[Request]:
        """Headers only, one BatchGetItem (≤ 100 ids), strongly consistent."""
        if not request_ids:
            return []
        if len(request_ids) > 100:
            raise ValueError("get_many reads at most 100 requests per call")
        items = self.get_markers([(keys.request_pk(rid), keys.HEADER_SK) for rid in request_ids])
        return [request_from_item(item) for item in items.values()]

    def request_ids_by_tracking_codes(self, codes: list[str]) -> list[str]:
        """Tracking codes → request ids in one BatchGetItem (unknown codes left out)."""
        if not codes:
            return []
        wanted = [(keys.tracking_pk(c), keys.TRACK_SK) for c in codes[:100]]
        found = self.get_markers(wanted)
        return [found[k]["request_id"] for k in wanted if k in found]

    def recent_open(self, neighbourhood: str, category: str) -> dict[str, datetime]:
        """One strongly consistent read of a bounded item (see usecases/duplicates.py for the bound)."""
        item = self.get_marker(keys.recent_open_pk(neighbourhood, category), keys.RECENT_OPEN_SK)
        return keys.recent_open_entries(item or {})
