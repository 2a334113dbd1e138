"""Shared bench helpers: start `ulakbel dev` as a subprocess, percentiles, machine facts, results I/O."""
from __future__ import annotations

import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FIXTURES = ROOT / "tests" / "fixtures"  # recorded platform payloads and responses


def machine() -> dict:
    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "system": platform.system(), "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")}


def write(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({**data, "measured_on": machine()}, indent=2, ensure_ascii=False))
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevServer:
    """`ulakbel dev` on a free port in a fresh home; exposes its base URL, embedded AWS URL and tokens."""

    def __init__(self, *args: str, ready_timeout: float = 90) -> None:
        self.args = list(args)  # extra `ulakbel dev` flags (e.g. --preload-history 20000)
        self.ready_timeout = ready_timeout
        self.home = Path(tempfile.mkdtemp(prefix="ulakbel-bench-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.moto_url = ""
        self.tokens: dict[str, str] = {}

    def __enter__(self) -> "DevServer":
        env = {**os.environ, "ULAKBEL_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        for key in ("AWS_ENDPOINT_URL", "ULAKBEL_DEV_SIGNING_KEY", "PUBLIC_BASE_URL"):
            env.pop(key, None)
        self.log = open(self.home / "dev.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "ulakbel_cli.main", "dev", "--port", str(self.port),
                                      *self.args], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("ulakbel dev exited: " + (self.home / "dev.log").read_text()[-2000:])
            tokens = self.home / ".ulakbel" / "dev-tokens.json"
            tokens = tokens if tokens.exists() else self.home / "dev-tokens.json"
            if tokens.exists():
                try:
                    urllib.request.urlopen(self.base + "/health", timeout=2).read()
                    self.tokens = json.loads(tokens.read_text())
                    m = re.search(r"Embedded AWS\s+(http://\S+)", (self.home / "dev.log").read_text())
                    self.moto_url = m.group(1) if m else ""
                    return self
                except OSError:
                    pass
            time.sleep(0.3)
        raise RuntimeError("ulakbel dev did not come up")

    def __exit__(self, *exc) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def with_embedded_aws(measure, **env: str):
    """Run `measure()` in this process against a fresh in-process moto server (the benches' embedded AWS)."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-central-1", "ULAKBEL_STAGE": "local",
                       "ULAKBEL_DEV_SIGNING_KEY": "bench-signing-key-not-secret-0123456789", **env})
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{port}"
    try:
        return measure()
    finally:
        server.stop()
