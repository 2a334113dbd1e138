"""Counters: fixed-window rate limits and the analytics cells with their applied-record markers."""
from __future__ import annotations

from .base import keyed


RATE_SK = "RATE"
APPLIED_SK = "AGG"


def rate_pk(key: str, window: int) -> str:
    """`RATE#<kind>#<HMAC(pepper, key)>#<window>`: limiter keys carry client addresses, API keys and codes,
    none of which may sit in a DynamoDB key in the clear (KVKK); the kind prefix stays readable."""
    return f"RATE#{key.split('#', 1)[0]}#{keyed('rate', key)}#{window}"


def aggregate_pk(month: str) -> str:
    return f"AGG#{month}"


def applied_pk(record_id: str) -> str:
    return f"AGGREC#{record_id}"


def cell_item(month: str, sort_key: str, counters: dict[str, int]) -> dict[str, object]:
    """An analytics cell as a whole item: a backfill into a table that does not hold the cell yet (the demo
    history, ulakbel_cli/demo_store.py); the stream consumer only ever ADDs to cells."""
    return {"PK": aggregate_pk(month), "SK": sort_key, **counters}
