"""Which stream records each consumer acts on, as Lambda event-filtering patterns (issue 21).

Most records on the table's stream are not a consumer's business: analytics counters, recent-open items, task
claims, markers, outbound records, and for three of the four consumers most timeline events. In AWS the event
source mapping's `FilterCriteria` (infra/stack.py) drops them before a Lambda is invoked (no invocation, no
cost); locally the dev pump (ulakbel_cli/pump.py) applies the very same patterns with `matches`. The handlers
still check every record themselves, so a pattern can only save work, never change an outcome
(tests/faults/test_stream_filters.py proves both on a real stream).

Patterns use the subset of the filter syntax `matches` implements: nested objects, lists of allowed values, and
`{"prefix": ...}`. The record keys come from the one key scheme (chalicelib/adapters/schema/requests.py).
"""
from __future__ import annotations

from typing import Any


def stream_filters() -> dict[str, list[dict[str, Any]]]:
    """Consumer (resources.STREAM_CONSUMERS) → its patterns; a record is delivered if any pattern matches."""
    from ..domain.outbound import NOTIFYING_EVENTS
    from .schema.base import REQUEST_PREFIX
    from .schema.requests import EVENT_PREFIX, HEADER_SK

    def keys(sk: list) -> dict[str, Any]:
        return {"Keys": {"PK": {"S": [{"prefix": REQUEST_PREFIX}]}, "SK": {"S": sk}}}

    header = {"dynamodb": keys([HEADER_SK])}

    def new_events(types: list[str]) -> dict[str, Any]:
        return {"eventName": ["INSERT"],
                "dynamodb": {**keys([{"prefix": EVENT_PREFIX}]), "NewImage": {"type": {"S": types}}}}

    return {
        "route_requests": [{"eventName": ["INSERT"], **header}],
        "aggregate_requests": [header],
        "workflow_events": [new_events(["reopened"])],
        # header images too: notify reads "nobody to notify" from the batch's header images
        "notify_citizens": [header, new_events(list(NOTIFYING_EVENTS))],
    }


def matches(patterns: list[dict[str, Any]], record: dict[str, Any]) -> bool:
    """Lambda's filter semantics for the subset used above: any pattern; every key of a pattern present and
    matching; a list allows any of its values (a literal, or {"prefix": ...})."""
    return any(_match(p, record) for p in patterns)


def _match(pattern: Any, value: Any) -> bool:
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(k in value and _match(v, value[k]) for k, v in pattern.items())
    if isinstance(pattern, list):
        return any(_allowed(option, value) for option in pattern)
    raise ValueError(f"unsupported filter pattern: {pattern!r}")


def _allowed(option: Any, value: Any) -> bool:
    if isinstance(option, dict):
        if set(option) != {"prefix"}:
            raise ValueError(f"unsupported filter operator: {sorted(option)}")
        return isinstance(value, str) and value.startswith(option["prefix"])
    return option == value
