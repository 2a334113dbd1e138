"""The one observability module: Powertools Logger, Metrics and Tracer, created lazily.

Personal data never reaches a log line: the formatter scrubs phone numbers, e-mail addresses and
TC kimlik numbers from every record as a last line of defence (code also never logs citizen objects).
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator

SERVICE = "ulakbel"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}"
    r"|\(?0?[2-5]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2})(?!\w)"
)
_TC = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")

_lock = threading.RLock()
_objects: dict[str, Any] = {}


def scrub(text: str) -> str:
    """Replace personal data patterns; ULIDs, timestamps and tracking codes survive."""
    text = _EMAIL.sub("[email]", text)
    text = _TC.sub("[tckn]", text)
    return _PHONE.sub("[phone]", text)


def _make_logger():
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

    class ScrubbingFormatter(LambdaPowertoolsFormatter):
        def serialize(self, log: dict[str, Any]) -> str:
            return scrub(super().serialize(log))

    log = Logger(service=SERVICE, logger_formatter=ScrubbingFormatter())
    # Only our scrubbing handler may write: a root handler (e.g. chalice local's) would bypass it.
    log._logger.propagate = False
    return log


def logger():
    if "logger" not in _objects:
        with _lock:
            if "logger" not in _objects:
                _objects["logger"] = _make_logger()
    return _objects["logger"]


def metrics():
    if "metrics" not in _objects:
        with _lock:
            if "metrics" not in _objects:
                from aws_lambda_powertools import Metrics

                _objects["metrics"] = Metrics(namespace="ulakbel", service=SERVICE)
    return _objects["metrics"]


def tracer():
    """Powertools Tracer (X-Ray, active on every function in infra/): boto3 and botocore are patched, so each AWS
    call is a subsegment. Created on the first invocation, never at import. Powertools disables it outside Lambda
    (and POWERTOOLS_TRACE_DISABLED on the local stage); responses are never captured (they hold personal data)."""
    if "tracer" not in _objects:
        with _lock:
            if "tracer" not in _objects:
                from aws_lambda_powertools import Tracer

                _objects["tracer"] = Tracer(service=SERVICE, patch_modules=["boto3", "botocore"])
    return _objects["tracer"]


@contextmanager
def traced(name: str) -> Iterator[Any]:
    """One X-Ray subsegment `## <name>` around a use case (a view or a Lambda function's work)."""
    with tracer().provider.in_subsegment(name=f"## {name}") as subsegment:
        yield subsegment


def count(name: str, value: int = 1, **dimensions: str) -> None:
    """Emit one EMF count metric on its own (dimensions never leak into the next metric)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    try:
        with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace="ulakbel") as m:
            m.add_dimension(name="service", value=SERVICE)
            for key, val in dimensions.items():
                m.add_dimension(name=key, value=val)
    except Exception:  # metrics must never break a request
        pass
