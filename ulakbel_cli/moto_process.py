"""The embedded AWS in its own process (issue 21): `ulakbel dev` runs moto here, not in its own interpreter.

In one process, moto, the HTTP server, the pump and the handlers took turns on one GIL: on a 2-core machine
the embedded default could use one core, and every AWS call of a handler waited for moto's Python to get the
lock. Here moto (with the dev speed-ups, ulakbel_cli/moto_speedups.py) has an interpreter of its own, as AWS is
a system of its own. What needs moto's memory runs here too: the outbox mirror (SMS/e-mail that moto's SNS/SES
received) and the history preload. The parent talks to it over stdin/stdout, one JSON line per command:

  {"cmd": "fallbacks"}                                 -> {"fallbacks": N}  (transactions moto ran itself)
  {"cmd": "preload", "table": T, "n": N, "region": R}  -> {"items": M}
  {"cmd": "load", "table": T, "path": P, "region": R}  -> {"items": M}  (DynamoDB-JSON lines, no stream records)
  EOF on stdin (the parent ended, however it ended)    -> this process stops
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path


def main() -> int:
    import logging

    from moto.server import ThreadedMotoServer

    from . import moto_speedups

    global _protocol
    _protocol, sys.stdout = sys.stdout, sys.stderr  # stdout carries the protocol only; prints go to the log
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_speedups.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    from .outbox import start_mirror  # issue 8: SMS/e-mail moto received → .ulakbel/outbox.json

    start_mirror()
    _answer({"url": f"http://{host}:{port}"})
    for line in sys.stdin:
        try:
            command = json.loads(line)
            if command.get("cmd") == "fallbacks":
                _answer({"fallbacks": moto_speedups.fallbacks})
            elif command.get("cmd") == "preload":
                _answer({"items": _preload(command["table"], int(command["n"]), command["region"])})
            elif command.get("cmd") == "load":
                _answer({"items": _load(command["table"], command["path"], command["region"])})
            else:
                _answer({"error": "unknown command"})
        except Exception as exc:  # a bad command never takes the embedded AWS down
            _answer({"error": type(exc).__name__})
    server.stop()
    return 0


_protocol = sys.stdout


def _answer(doc: dict) -> None:
    _protocol.write(json.dumps(doc) + "\n")
    _protocol.flush()


def _preload(table: str, n: int, region: str) -> int:
    import os

    from chalicelib.adapters.dynamo_repository import DynamoRequestRepository
    from chalicelib.domain.models import utcnow

    from .history import _write_in_process, history_items, history_requests

    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    now = utcnow()
    repo = DynamoRequestRepository(table)
    items = history_items(history_requests(n, now), repo, now)
    if not _write_in_process(table, [repo._av(i) for i in items]):
        raise RuntimeError("table not found")
    return len(items)


def _load(table: str, path: str, region: str) -> int:
    """`ulakbel dev --seed-demo`: the demo history's items (ulakbel_cli/demo_store.py), put into the table here,
    beside moto, instead of 700 BatchWriteItem calls through HTTP and the stream (its analytics counters are
    added by the analytics consumer in the parent)."""
    import os

    from .history import _write_in_process

    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    with open(path, encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines]
    if not _write_in_process(table, items):
        raise RuntimeError("table not found")
    return len(items)


class MotoProcess:
    """The parent's handle: start, ask, stop."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self._lock = threading.Lock()

    def start(self, env: dict[str, str] | None = None, timeout: float = 60) -> str:
        root = Path(__file__).resolve().parent.parent
        self.proc = subprocess.Popen([sys.executable, "-m", "ulakbel_cli.moto_process"], cwd=root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        first = self._read()
        self.url = first["url"]
        return self.url

    def _read(self) -> dict:
        line = self.proc.stdout.readline() if self.proc is not None and self.proc.stdout is not None else ""
        if not line:
            raise RuntimeError("the embedded AWS process ended / gömülü AWS süreci durdu")
        return json.loads(line)

    def ask(self, command: dict) -> dict:
        if self.proc is None or self.proc.stdin is None:
            raise RuntimeError("the embedded AWS process is not running / gömülü AWS süreci çalışmıyor")
        with self._lock:
            self.proc.stdin.write(json.dumps(command) + "\n")
            self.proc.stdin.flush()
            answer = self._read()
        if "error" in answer:
            raise RuntimeError(f"embedded AWS: {answer['error']}")
        return answer

    def fallbacks(self) -> int:
        return int(self.ask({"cmd": "fallbacks"})["fallbacks"])

    def preload(self, table: str, n: int, region: str) -> int:
        return int(self.ask({"cmd": "preload", "table": table, "n": n, "region": region})["items"])

    def load(self, table: str, items: list[dict], region: str) -> int:
        """Put DynamoDB-JSON items into `table` inside the embedded AWS, without stream records."""
        import os
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
            out.writelines(json.dumps(item) + "\n" for item in items)
        try:
            return int(self.ask({"cmd": "load", "table": table, "path": out.name, "region": region})["items"])
        finally:
            os.unlink(out.name)

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin:
                self.proc.stdin.close()  # EOF: the child stops its server and ends
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
        self.proc = None


if __name__ == "__main__":
    sys.exit(main())
