"""Stream consumer keeping the analytics counters (issue 9): one request header change → counter deltas."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from .. import container
from ..observability import logger

bp = Blueprint(__name__)


def _image(record: dict[str, Any], which: str):
    from boto3.dynamodb.types import TypeDeserializer

    from ..adapters.schema.requests import request_from_item

    raw = record.get("dynamodb", {}).get(which)
    if not raw:
        return None
    de = TypeDeserializer()
    return request_from_item({k: de.deserialize(v) for k, v in raw.items()})


def is_request_header(record: dict[str, Any]) -> bool:
    from ..adapters.schema.requests import is_header

    keys = record.get("dynamodb", {}).get("Keys", {})
    return is_header(keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", ""))


def count_record(record: dict[str, Any]) -> bool:
    """Apply one raw stream record; True if it changed counters (False: not a request, or already applied)."""
    from ..usecases.analytics import deltas

    if not is_request_header(record):
        return False
    changes = deltas(_image(record, "OldImage"), _image(record, "NewImage"))
    if not changes:
        return False
    return container.analytics_store().apply_once(record["eventID"], changes)


def _count(record) -> None:
    count_record(record.raw_event)


@bp.lambda_function(name="aggregate_requests")
def aggregate_requests(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The whole batch in as few transactions as fit (issue 21: one per batch, not one per record). A record
    that cannot be read, or a transaction that fails, is reported with everything after it (stream order)."""
    from ..usecases.analytics import deltas

    records = event.get("Records", [])
    changes: list[tuple[str, Any]] = []
    first_bad = len(records)
    for i, record in enumerate(records):
        try:
            if is_request_header(record):
                changes.append((record["eventID"], deltas(_image(record, "OldImage"), _image(record, "NewImage"))))
        except Exception as exc:  # the type only: a validation message may quote personal data
            logger().error("analytics record unreadable", extra={"error": type(exc).__name__})
            first_bad = i
            break
    try:
        container.analytics_store().apply_many([c for c in changes if c[1]])
    except Exception as exc:
        logger().error("analytics batch failed", extra={"error": type(exc).__name__})
        first_bad = 0
    return {"batchItemFailures": [{"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in records[first_bad:]]}
