"""What every entity module of the schema shares: the item-type record the data-model table is rendered
from, the sortable timestamp every sort key uses, and the keyed hash that keeps personal data out of keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone



@dataclass(frozen=True)
class ItemType:
    """One kind of item in the single table, as docs/data-model.md lists it."""

    name: str
    pk: str
    sk: str
    attributes: str
    writers: str
    indexes: tuple[str, ...] = field(default=())
    ttl: str = ""


def load_registry() -> list[ItemType]:
    """Every item type, from items.json beside this module (data, not code: the catalog the doc is rendered
    from; tests/unit/test_data_model_doc.py checks it against the key builders both ways)."""
    import json
    from pathlib import Path

    entries = json.loads((Path(__file__).parent / "items.json").read_text(encoding="utf-8"))
    return [ItemType(**{**e, "indexes": tuple(e.get("indexes", ()))}) for e in entries]


REQUEST_PREFIX = "REQ#"


def request_pk(request_id: str) -> str:
    """A request's partition key; shared because the citizen lookup (privacy) sorts by it too."""
    return f"{REQUEST_PREFIX}{request_id}"


def sortable(dt: datetime) -> str:
    """Fixed-width UTC timestamp: lexicographic order equals time order."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pepper() -> str:
    """ULAKBEL_PII_PEPPER via adapters/pepper.py (the container provides it; adapters never import the container)."""
    from ..pepper import pepper as provided

    return provided()


def keyed(kind: str, value: str) -> str:
    """HMAC(pepper, kind:value): a phone, e-mail or provider reference never sits in a key in the clear."""
    from ...domain.privacy import citizen_key

    return citizen_key(kind, value, pepper())


def to_stored(value):
    """JSON-safe python → DynamoDB-safe python (floats become Decimal, dates strings)."""
    import json
    from decimal import Decimal

    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


_PLAIN = frozenset({str, int, bool, float, type(None)})  # stored as they are read: no call per leaf


def from_stored(value):
    """DynamoDB python → plain python (whole Decimals become int, others float).

    Why the type checks inline: every read of a request maps its whole item tree (hundreds of leaves, most
    of them strings); a call per leaf was the largest cost of replaying the demo year (issue 19)."""
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _PLAIN else from_stored(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _PLAIN else from_stored(v) for v in value]
    if kind in _PLAIN:
        return value
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_stored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_stored(v) for v in value]
    return value


def parse_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
