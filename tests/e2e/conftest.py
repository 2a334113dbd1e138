"""Starts the real `ulakbel dev` command on a free port, as a newcomer would."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body=None, token: str | None = None, headers=None, raw: bytes | None = None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {"Content-Type": "application/json", **(headers or {})}
        if token:
            h["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                text = resp.read().decode()
                return resp.status, (json.loads(text) if text and "json" in resp.headers.get("Content-Type", "") else text)
        except urllib.error.HTTPError as err:
            text = err.read().decode()
            try:
                return err.code, json.loads(text)
            except ValueError:
                return err.code, text


@pytest.fixture(scope="session")
def dev_system(tmp_path_factory):
    home = tmp_path_factory.mktemp("ulakbel-home")
    port = free_port()
    env = {**os.environ, "ULAKBEL_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    for key in ("AWS_ENDPOINT_URL", "ULAKBEL_DEV_SIGNING_KEY", "PUBLIC_BASE_URL"):
        env.pop(key, None)
    env["YOUTUBE_CHANNEL_ID"] = "UCx1b2c3d4e5f6g7h8i9j0kL"  # the municipality's channel (recorded fixtures' channel)
    log = open(home / "dev.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "ulakbel_cli.main", "dev", "--port", str(port),
                             "--schedule-seconds", "3"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    http = Http(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ulakbel dev exited: " + (home / "dev.log").read_text()[-2000:])
        try:
            if http.call("GET", "/health")[0] == 200 and (home / "dev-tokens.json").exists():
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("ulakbel dev did not come up: " + (home / "dev.log").read_text()[-2000:])

    def token(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "token", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    yield {"http": http, "token": token, "home": home, "env": env, "port": port}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
