"""The in-memory twin of the KVKK store (adapters/privacy_store.py) over the repository twin's items: the same
keys and items (`PrivacyItems`, `anonymised_items`), anonymising as one all-or-nothing transaction guarded by
the request's version. tests/contract/test_privacy_store_contract.py runs one suite on both."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ..domain.models import Request, utcnow
from .memory import DELETED, InMemoryRepository, TransactionCancelled
from .privacy_store import PrivacyItems, anonymised_items
from .schema import privacy as keys
from .schema import requests as request_keys
from .schema.base import sortable


class InMemoryPrivacyStore(PrivacyItems):
    def __init__(self, repo: InMemoryRepository) -> None:
        self.repo = repo

    def retention_due(self, cutoff: datetime, limit: int) -> list[str]:
        hi = sortable(cutoff) + "~"
        return [i["id"] for i in self.repo._index("RETAIN", request_keys.RETAIN) if i["RETAINSK"] <= hi][:limit]

    def delete_items(self, item_keys: list[tuple[str, str]]) -> int:
        with self.repo._lock:
            found = [k for k in dict.fromkeys(item_keys) if k in self.repo.items]
            for key in found:
                del self.repo.items[key]
        return len(found)

    def anonymise(self, request: Request, anonymised: Request, *, reason: str, actor: str,
                  related: list[tuple[str, str]] = ()) -> bool:
        if related:
            self.delete_items(list(related))
        header, log, markers, events = anonymised_items(request, anonymised, reason=reason, actor=actor)
        ops = [self.repo._put_op(header, lambda item: item is not None and item.get("version") == request.version),
               self.repo._put_op(log, None), *[self.repo._put_op(e, None) for e in events],
               *[(tuple(key), None, lambda _old: DELETED) for key in markers]]
        try:
            self.repo._transact(ops)
        except TransactionCancelled:
            return False  # changed meanwhile; the next run picks it up again
        return True

    def audit(self, kind: str, actor: str, data: dict[str, Any]) -> None:
        self.repo._put_once(keys.audit_item(kind, actor, utcnow(), uuid.uuid4().hex[:8], data))
