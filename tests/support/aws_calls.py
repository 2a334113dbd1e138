"""Count and break AWS calls at the adapter seam, with botocore's own event hooks.

Every boto3 client of the application is made by chalicelib.adapters.aws.client(), which puts the hooks
registered with `add_hook` on it. A `before-call` handler sees each API call before it is signed and sent;
returning (http_response, parsed) short-circuits the call, so a fault looks exactly like AWS answering
with that error (after botocore's own retries were used up), and raising an exception looks like a timeout.
"""
from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from chalicelib.adapters import aws

EVENT = "before-call"


@dataclass
class Call:
    service: str
    operation: str
    params: dict  # botocore's serialised request dict (url, headers, body)

    @property
    def body(self) -> dict:
        """The JSON body of JSON-protocol services (DynamoDB, SQS) as sent."""
        import json

        raw = self.params.get("body") or b"{}"
        try:
            return json.loads(raw)
        except ValueError:
            return {}


class CallRecorder:
    """Records (service, operation) of every API call made through our clients."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def __call__(self, model=None, params=None, **_kw):
        with self._lock:
            self.calls.append(Call(model.service_model.service_name, model.name, params or {}))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    @property
    def operations(self) -> list[str]:
        return [c.operation for c in self.calls]

    def counts(self) -> Counter:
        return Counter(self.operations)

    def __len__(self) -> int:
        return len(self.calls)


@contextmanager
def recording() -> Iterator[CallRecorder]:
    recorder = CallRecorder()
    aws.add_hook(EVENT, recorder)
    try:
        yield recorder
    finally:
        aws.remove_hook(EVENT, recorder)


class _Response:
    """Enough of botocore.awsrequest.AWSResponse for the client to raise the parsed error."""

    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict = {}
        self.raw = None
        self.content = b""
        self.text = ""


@dataclass
class Fault:
    """Fail `times` calls of `operation` (None = any) with an AWS error code or an exception factory."""

    operation: str | None
    code: str | None = None
    status: int = 400
    exception: Callable[[], BaseException] | None = None
    times: int = 1
    when: Callable[[Call], bool] | None = None
    phase: str = "before"  # "after": the call reached AWS (and took effect); then the answer is lost
    fired: int = 0


@dataclass
class FaultInjector:
    faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def __call__(self, model=None, params=None, **_kw):
        return self._fire("before", model, params)

    def after(self, model=None, params=None, **_kw):
        self._fire("after", model, params)

    def _fire(self, phase: str, model, params):
        call = Call(model.service_model.service_name, model.name, params or {})
        with self._lock:
            for fault in self.faults:
                if fault.phase != phase or fault.fired >= fault.times:
                    continue
                if fault.operation not in (None, call.operation):
                    continue
                if fault.when is not None and not fault.when(call):
                    continue
                fault.fired += 1
                break
            else:
                return None
        if fault.exception is not None:
            raise fault.exception()
        parsed = {
            "Error": {"Code": fault.code, "Message": f"injected {fault.code}"},
            "ResponseMetadata": {"HTTPStatusCode": fault.status, "RetryAttempts": 3},
        }
        return _Response(fault.status), parsed

    @property
    def fired(self) -> int:
        return sum(f.fired for f in self.faults)


@contextmanager
def injecting(*faults: Fault) -> Iterator[FaultInjector]:
    injector = FaultInjector(list(faults))
    aws.add_hook(EVENT, injector)
    aws.add_hook("after-call", injector.after)
    try:
        yield injector
    finally:
        aws.remove_hook(EVENT, injector)
        aws.remove_hook("after-call", injector.after)


def items_in(operation: str, parsed: dict) -> int:
    """Items a read returned (what DynamoDB bills a read for): GetItem 0/1, Query/Scan Count, BatchGetItem all."""
    if operation == "GetItem":
        return 1 if parsed.get("Item") else 0
    if operation in ("Query", "Scan"):
        return int(parsed.get("ScannedCount", parsed.get("Count", 0)))
    if operation == "BatchGetItem":
        return sum(len(v) for v in (parsed.get("Responses") or {}).values())
    if operation == "TransactGetItems":
        return sum(1 for r in parsed.get("Responses") or [] if r.get("Item"))
    return 0


class ReadRecorder:
    """(service, operation, items read) of every call's answer, from botocore's `after-call` hook."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()

    def __call__(self, http_response=None, parsed=None, model=None, **_kw):
        with self._lock:
            self.calls.append((model.service_model.service_name, model.name, items_in(model.name, parsed or {})))

    @property
    def operations(self) -> list[str]:
        return [op for _, op, _ in self.calls]

    @property
    def items_read(self) -> int:
        return sum(n for _, _, n in self.calls)


@contextmanager
def recording_reads() -> Iterator[ReadRecorder]:
    recorder = ReadRecorder()
    aws.add_hook("after-call", recorder)
    try:
        yield recorder
    finally:
        aws.remove_hook("after-call", recorder)
