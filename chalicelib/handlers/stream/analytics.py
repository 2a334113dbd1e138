"""aggregate_requests: one request header change → analytics counter deltas (issue 9)."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from ... import container
from ...observability import logger

bp = Blueprint(__name__)


@bp.lambda_function(name="aggregate_requests")
def aggregate_requests(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The whole batch in as few transactions as fit (issue 21: one per batch, not one per record). A record
    that cannot be read, or a transaction that fails, is reported with everything after it (stream order)."""
    from ...usecases.analytics_counters import deltas

    records = event.get("Records", [])
    changes: list[tuple[str, Any]] = []
    first_bad = len(records)
    for i, record in enumerate(records):
        try:
            change = container.decode_stream_record(record)
            if change.is_request_header:
                changes.append((change.event_id, deltas(change.old, change.new)))
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
