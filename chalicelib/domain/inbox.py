"""The staff inbox query: what the console asks the repository for, and the folded search terms.

Why its own module: the inbox reads over ALL matching requests (sorted by an index, filtered in DynamoDB,
paginated with a cursor), which the generic `RequestQuery` list does not promise."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from .turkish import fold

__all__ = ["InboxFilter", "InboxQuery", "fold", "search_field", "terms"]

_WORD = re.compile(r"[0-9a-z]+")
MAX_TERMS = 8  # a search of more words than this uses the first ones (each is one more filter condition)
MIN_TERM = 2


@dataclass
class InboxFilter:
    """What narrows the inbox, the same whether staff pick it in the console's form (usecases.console.
    InboxFilters) or the repository is asked for it (InboxQuery). `next` is the cursor of the page to read."""

    channel: str | None = None
    department: str | None = None
    status: str | None = None
    kind: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    sort: str = "new"
    next: str | None = None

    def narrowing(self) -> dict[str, Any]:
        """The shared filter fields, to build the other kind of filter from this one."""
        return {f.name: getattr(self, f.name) for f in fields(InboxFilter)}


@dataclass
class InboxQuery(InboxFilter):
    """sort: new (received, newest first) | old (oldest first) | due (open requests by deadline, earliest
    first, then the ones without a deadline, newest first). Every filter narrows all matching requests."""

    assignee: str | None = None
    terms: tuple[str, ...] = ()
    overdue_at: datetime | None = None  # only open requests due before this instant
    limit: int = 25


def terms(text: str) -> tuple[str, ...]:
    """Folded words of a search box, de-duplicated, in order (one letter words match too much to help)."""
    out = [w for w in _WORD.findall(fold(text)) if len(w) >= MIN_TERM]
    return tuple(dict.fromkeys(out))[:MAX_TERMS]


def search_field(text: str, tracking_code: str | None) -> str:
    """The folded words of a request as ' w1 w2 … ' (leading/trailing space): a term `t` matches a word that
    starts with it when the field contains ' t'. Turkish suffixes follow the root, so 'çukur' finds
    'çukurlar', 'Çukurdan'. The tracking code is one more word."""
    words = list(dict.fromkeys(_WORD.findall(fold(f"{text} {tracking_code or ''}"))))
    return " " + " ".join(words)[:3000] + " "
