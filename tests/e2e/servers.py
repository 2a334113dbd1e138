"""Starts the real `ulakbel dev` command on a free port, as a newcomer would: the suite's dev servers and their
fixtures, defined ONCE for the session (tests/conftest.py imports the fixtures; a fixture imported into two
conftests is two fixtures: two servers, and a second stop-when-done plugin under the same name)."""
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

from tests.e2e.towns import DEFAULT_TOWN, E2E_TOWN

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


class DevServers:
    """The suite's plain `ulakbel dev` servers, one per municipality: each started on first use and stopped
    right after the last collected test that needs it (StopWhenDone), not at the end of the session: an idle
    server's pump and embedded AWS otherwise kept polling through every later test on a 2-core machine."""

    def __init__(self, tmp_path_factory) -> None:
        self.tmp, self.running, self.systems = tmp_path_factory, {}, {}

    def get(self, name: str) -> dict:
        if name not in self.systems:
            home = self.tmp.mktemp(f"ulakbel-home-{name}")
            # the municipality's YouTube channel = the recorded fixtures' channel
            server = DevServer(home, extra_env={"ULAKBEL_MUNICIPALITY": name,
                                                "YOUTUBE_CHANNEL_ID": "UCx1b2c3d4e5f6g7h8i9j0kL"})
            env = server.env

            def token(*args: str) -> str:
                out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "token", *args], cwd=ROOT,
                                     env=env, capture_output=True, text=True, check=True)
                return out.stdout.strip()

            self.running[name] = server
            self.systems[name] = {"http": server.http, "token": token, "home": home, "env": env,
                                  "port": server.port, "municipality": name}
        elif name not in self.running:
            raise RuntimeError(f"the {name} dev server was stopped as no later test needed it")
        return self.systems[name]

    def stop(self, name: str) -> None:
        server = self.running.pop(name, None)
        if server is not None:
            server.stop()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


def towns_needed(item) -> set[str]:
    """The municipalities whose dev server a collected test uses (only tests whose fixture closure holds
    `dev_servers`: a unit test parametrised by its own `town` argument needs no server)."""
    needed = set()
    if "dev_servers" not in item.fixturenames:
        return needed
    if "dev_system" in item.fixturenames:
        needed.add(DEFAULT_TOWN)
    if "e2e_system" in item.fixturenames:
        needed.add(E2E_TOWN)
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "town" in callspec.params:
        needed.add(callspec.params["town"])
    return needed


class StopWhenDone:
    """A plugin: after a test's teardown, stop each dev server no later test needs."""

    def __init__(self, servers: DevServers, items) -> None:
        self.servers, self.index, self.last = servers, {}, {}
        for i, item in enumerate(items):
            self.index[item.nodeid] = i
            for name in towns_needed(item):
                self.last[name] = i

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        yield
        at = self.index.get(item.nodeid)
        if at is None:
            return
        for name in list(self.servers.running):
            if name in self.last and self.last[name] <= at:
                self.servers.stop(name)


@pytest.fixture(scope="session")
def dev_servers(request, tmp_path_factory):
    servers = DevServers(tmp_path_factory)
    plugin = StopWhenDone(servers, request.session.items)
    request.config.pluginmanager.register(plugin, "ulakbel-e2e-stop-when-done")
    yield servers
    request.config.pluginmanager.unregister(plugin)
    servers.stop_all()


@pytest.fixture(scope="session")
def dev_system(dev_servers):
    """`ulakbel dev` of the default municipality (console browser tests, tests not about the town)."""
    return dev_servers.get(DEFAULT_TOWN)


@pytest.fixture(scope="session")
def e2e_system(dev_servers):
    """`ulakbel dev` of the municipality the e2e run is about (ULAKBEL_E2E_MUNICIPALITY, else the default)."""
    return dev_servers.get(E2E_TOWN)
