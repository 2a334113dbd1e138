"""`ulakbel dlq list` and `ulakbel dlq replay`: make every failure visible and replay it, once.

replay:
- department task DLQs → back to their task queue; the task's claim moves to the new message, so the
  replayed copy is leased exactly once (any stale copy is dropped by the lease step);
- service queue DLQs → back to their source queue (their consumers are idempotent);
- stream failures (records the stream consumer gave up on) → re-routed from the current request state;
  routing is idempotent, so a request that was routed meanwhile is left alone.
A message whose replay fails stays where it is (visible again after its timeout) and is counted as failed.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

STREAM_FAILURES = "stream-failures"


def _stage() -> str:
    from chalicelib import container

    return container.settings().stage


def listing(stage: str | None = None) -> list[dict[str, Any]]:
    from chalicelib.adapters import dlq

    stage = stage or _stage()
    rows = []
    for pair in dlq.pairs(stage):
        url = dlq.queue_url(pair.dlq)
        rows.append({"queue": pair.source, "dlq": pair.dlq, "depth": dlq.depth(url) if url else None})
        if pair.key == STREAM_FAILURES:
            src = dlq.queue_url(pair.source)
            rows.append({"queue": "(stream consumers)", "dlq": pair.source, "depth": dlq.depth(src) if src else None})
    return rows


def _reroute(record: dict[str, Any]) -> bool:
    """True when the request is routed (now or already); False when the record is not a new request."""
    from chalicelib import container
    from chalicelib.usecases.route import route_new_request

    change = container.decode_stream_record(record)
    if not (change.is_insert and change.is_request_header):
        return False
    request = container.repository().get(change.request_id, with_timeline=False)
    if request is None:
        return False
    route_new_request(request, container.repository(), container.task_queue(), container.classifier())
    return True


def replay(stage: str | None = None, log: Callable[[str], None] = print) -> dict[str, int]:
    from chalicelib import container
    from chalicelib.adapters import dlq

    stage = stage or _stage()
    counts = {"tasks": 0, "messages": 0, "stream_records": 0, "skipped": 0, "failed": 0}
    stream_queue = None
    for pair in dlq.pairs(stage):
        src, dead = dlq.queue_url(pair.source), dlq.queue_url(pair.dlq)
        if pair.key == STREAM_FAILURES:
            stream_queue = src
        if not src or not dead:
            continue
        for message in dlq.read_all(dead):
            try:
                if pair.kind == "task":
                    task = json.loads(message["Body"])
                    new_id = dlq.send(src, message["Body"], group=task["request_id"],
                                      dedupe=f"{task['task_id']}-replay-{message['MessageId']}")
                    container.repository().reassign_task(task["task_id"], new_id)
                    counts["tasks"] += 1
                else:
                    dlq.send(src, message["Body"], attributes=message.get("MessageAttributes") or None)
                    counts["messages"] += 1
                dlq.delete(dead, message)
            except Exception as exc:  # keep going; the message stays in its DLQ
                counts["failed"] += 1
                log(f"replay {pair.dlq}: {type(exc).__name__}")
    if stream_queue:
        for message in dlq.read_all(stream_queue):
            try:
                body = json.loads(message["Body"])
                records = [body["record"]] if "record" in body else dlq.stream_records(body["DDBStreamBatchInfo"])
                for record in records:
                    if _reroute(record):
                        counts["stream_records"] += 1
                    else:
                        counts["skipped"] += 1
                dlq.delete(stream_queue, message)
            except Exception as exc:
                counts["failed"] += 1
                log(f"replay stream failure: {type(exc).__name__}")
    return counts


def _cmd(args) -> int:
    import os

    if args.endpoint:  # the embedded AWS printed by `ulakbel dev`; dummy credentials as it accepts any
        os.environ["AWS_ENDPOINT_URL"] = args.endpoint
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.setdefault(name, "testing")
    from .running import connect_aws

    dev = connect_aws()  # else the running `ulakbel dev` of this checkout, or real AWS credentials
    if dev is not None and args.stage is None:
        args.stage = dev.stage
    if args.dlq_command == "list":
        for row in listing(args.stage):
            print(f"{row['depth'] if row['depth'] is not None else '-':>6}  {row['dlq']}  → {row['queue']}")
        return 0
    counts = replay(args.stage, log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(counts))
    return 1 if counts["failed"] else 0


def register(sub) -> None:
    dlq = sub.add_parser("dlq", help="dead-letter queues: list depths, replay failures to their source")
    dlq.add_argument("dlq_command", choices=["list", "replay"])
    dlq.add_argument("--stage", default=None, help="default: ULAKBEL_STAGE or local")
    dlq.add_argument("--endpoint", default=None,
                     help="AWS endpoint URL (e.g. the embedded AWS of `ulakbel dev`); default: environment")
    dlq.set_defaults(func=_cmd)
