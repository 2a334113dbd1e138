"""The staff inbox query: what the console asks the repository for, and the folded search terms.

Why its own module: the inbox reads over ALL matching requests (sorted by an index, filtered in DynamoDB,
paginated with a cursor), which the generic `RequestQuery` list does not promise."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

_UPPER_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"})
_WORD = re.compile(r"[0-9a-z]+")
MAX_TERMS = 8  # a search of more words than this uses the first ones (each is one more filter condition)
MIN_TERM = 2


@dataclass
class InboxQuery:
    """sort: new (received, newest first) | old (oldest first) | due (open requests by deadline, earliest
    first, then the ones without a deadline, newest first). Every filter narrows all matching requests."""

    sort: str = "new"
    channel: str | None = None
    department: str | None = None
    status: str | None = None
    kind: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    assignee: str | None = None
    terms: tuple[str, ...] = ()
    overdue_at: datetime | None = None  # only open requests due before this instant
    limit: int = 25
    next: str | None = None


def fold(text: str) -> str:
    """Turkish casefold (I→ı, İ→i) then drop diacritics: 'ÇUKUR', 'çukur' and 'cukur' are one term."""
    s = text.translate(_UPPER_TO_LOWER).lower().translate(_FOLD)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s


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
