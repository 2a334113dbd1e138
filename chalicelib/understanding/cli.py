"""`ulakbel classify`: JSON lines (or plain text lines) in, one JSON line per input out.

Why a plain function over streams: the lead wires it into the main CLI and tests drive it with StringIO.
A bad line yields an error object on its own line; the loop never crashes.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any


def _parse(line: str) -> tuple[dict[str, Any] | None, str | None]:
    s = line.strip()
    if s.startswith("{"):
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as e:
            return None, f"invalid JSON: {e.msg} (column {e.colno})"
        if not isinstance(obj, dict):
            return None, "expected a JSON object"
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            return None, "missing required field 'text'"
        return obj, None
    if s.startswith("[") or s.startswith('"'):
        try:
            obj = json.loads(s)
        except json.JSONDecodeError:
            return {"text": s}, None
        if isinstance(obj, str):
            return {"text": obj}, None
        return None, "expected a JSON object"
    return {"text": s}, None


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def run_classify(stdin: IO[str], stdout: IO[str]) -> int:
    """Classify every non-blank input line; returns 0, or 1 if any line was an error."""
    from . import classify

    status = 0
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        obj, err = _parse(line)
        if err is not None or obj is None:
            out: dict[str, Any] = {"error": err, "line": lineno}
            status = 1
        else:
            try:
                address = obj.get("address")
                c = classify(
                    obj["text"],
                    address if isinstance(address, str) else None,
                    _num(obj.get("lat")),
                    _num(obj.get("long")),
                )
                out = c.contract()
            except Exception as e:  # noqa: BLE001 - one bad line must not stop the stream
                out = {"error": f"{type(e).__name__}: {e}", "line": lineno}
                status = 1
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return status


def main() -> int:  # pragma: no cover - thin wrapper
    return run_classify(sys.stdin, sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
