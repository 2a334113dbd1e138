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


class DevServer:
    """One `ulakbel dev` subprocess on a free port, started as a newcomer would and waited for until ready."""

    def __init__(self, home: Path, *args: str, extra_env: dict | None = None, drop=(), timeout: float = 60,
                 ready=lambda home: (home / "dev-tokens.json").exists()) -> None:
        self.home, self.port = home, free_port()
        self.env = {**os.environ, "ULAKBEL_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        for key in ("AWS_ENDPOINT_URL", "ULAKBEL_DEV_SIGNING_KEY", "PUBLIC_BASE_URL", *drop):
            self.env.pop(key, None)
        self.env.update(extra_env or {})
        self.log = open(home / "dev.log", "w")
        command = [sys.executable, "-m", "ulakbel_cli.main", "dev", *args, "--port", str(self.port),
                   "--schedule-seconds", "3"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = Http(f"http://127.0.0.1:{self.port}")
        name = " ".join(["ulakbel dev", *args])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited: " + self.tail())
            try:
                if self.http.call("GET", "/health")[0] == 200 and ready(home):
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError(f"{name} did not come up: " + self.tail())

    def tail(self) -> str:
        return (self.home / "dev.log").read_text()[-3000:]

    def stop(self, timeout: float = 15) -> bool:
        """True when the server stopped on its own within `timeout` (a very loaded machine may need a kill)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False
        finally:
            self.log.close()


@pytest.fixture(scope="session")
def dev_system(tmp_path_factory):
    home = tmp_path_factory.mktemp("ulakbel-home")
    # the municipality's channel (recorded fixtures' channel)
    server = DevServer(home, extra_env={"YOUTUBE_CHANNEL_ID": "UCx1b2c3d4e5f6g7h8i9j0kL"})
    env, http, port = server.env, server.http, server.port

    def token(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "token", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    yield {"http": http, "token": token, "home": home, "env": env, "port": port}
    server.stop()


def signed_twilio(dev_system, path: str, fixture: str) -> tuple[bytes, str]:
    """A recorded Twilio form body and its X-Twilio-Signature for this dev server's URL and auth token."""
    from urllib.parse import parse_qs

    from chalicelib.channels.twilio.inbound import compute_signature
    from tests.conftest import FIXTURES

    secret = json.loads((dev_system["home"] / "dev-secrets.json").read_text())["TWILIO_AUTH_TOKEN"]
    body = (FIXTURES / fixture).read_text()
    url = f"http://127.0.0.1:{dev_system['port']}{path}"
    return body.encode(), compute_signature(url, parse_qs(body, keep_blank_values=True), secret)


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
