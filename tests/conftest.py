"""Shared fixtures: dummy AWS credentials, moto, the bootstrapped stage, tokens and the Chalice test client."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_SIGNING_KEY = "test-signing-key-not-secret-0123456789"

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "ULAKBEL_STAGE": "local",
        "ULAKBEL_DEV_SIGNING_KEY": TEST_SIGNING_KEY,
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("ULAKBEL_MUNICIPALITY", None)  # the suite runs on the default folder; tests choose another explicitly

# The real `ulakbel dev` servers: fixtures defined once for the whole session (console and e2e tests share them).
from tests.e2e.servers import dev_servers, dev_system, e2e_system  # noqa: F401,E402  (one definition for the session)


@pytest.fixture(scope="session")
def moto_server():
    """moto in server mode on loopback (its decorator mode lacks DynamoDB Streams for current botocore)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_server, tmp_path, monkeypatch):
    """A fresh embedded AWS with every table and queue of the local stage created."""
    import urllib.request

    from chalicelib import container
    from chalicelib.adapters.bootstrap import bootstrap

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("ULAKBEL_HOME", str(tmp_path / ".ulakbel"))
    container.reset()
    info = bootstrap("local")
    yield info
    container.reset()


@pytest.fixture
def app(aws):
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def client(app):
    from chalice.test import Client

    with Client(app, stage_name="local", project_dir=str(ROOT)) as c:
        yield c


@pytest.fixture
def pump(app):
    """Delivers stream records and queue messages to the real handlers, as Lambda would."""
    from ulakbel_cli.pump import Pump

    return Pump(app, "local", log=lambda *_: None)


def token(role: str, department: str | None = None, sub: str | None = None, lead: bool = False) -> str:
    from chalicelib.auth import issue_dev_token

    return issue_dev_token(TEST_SIGNING_KEY, role=role, department=department, sub=sub, lead=lead)


OPEN311_DEV_KEY = "dev-open311-key-for-tests"


@pytest.fixture
def open311_dev_key(monkeypatch):
    """The local Open311 API key set, with a container built fresh around the test (settings read anew)."""
    from chalicelib import container

    monkeypatch.setenv("OPEN311_DEV_API_KEY", OPEN311_DEV_KEY)
    container.reset()
    yield OPEN311_DEV_KEY
    container.reset()


def auth(role: str, department: str | None = None, **kw) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, department, **kw)}", "Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def _settings_follow_the_environment(monkeypatch):
    """A process parses its settings once (chalicelib/settings.py, the only reader of the environment). A test
    that changes the environment with monkeypatch.setenv/delenv gets them parsed again at once, and every
    test starts from the environment it runs in."""
    from chalicelib import container

    def reparsing(change):
        def changed(*args, **kwargs):
            change(*args, **kwargs)
            container.reload_settings()
        return changed

    monkeypatch.setenv, monkeypatch.delenv = reparsing(monkeypatch.setenv), reparsing(monkeypatch.delenv)
    container.reload_settings()
    yield
    container.reload_settings()


@pytest.fixture(scope="session", autouse=True)
def _no_scan_session():
    """Zero `Scan` calls anywhere in the suite: every read of the table must be a Query or a GetItem."""
    from tests.support.guards import ScanGuard

    guard = ScanGuard()
    guard.install()
    yield guard
    guard.uninstall()


@pytest.fixture(autouse=True)
def _no_scan(_no_scan_session):
    _no_scan_session.check_new()
    yield
    _no_scan_session.check_new()


@pytest.fixture(scope="session", autouse=True)
def _pii_log_guard():
    """Every log line of the whole suite goes through the personal-data detector (KVKK, issue 11)."""
    from tests.support.log_guard import LogGuard

    guard = LogGuard()
    guard.install()
    yield guard
    guard.uninstall()


@pytest.fixture(autouse=True)
def _no_pii_in_logs(_pii_log_guard, request):
    _pii_log_guard.new_hits()
    yield
    hits = _pii_log_guard.new_hits()
    if hits and not request.node.get_closest_marker("allow_pii_in_logs"):
        pytest.fail("personal data reached a log line:\n" + "\n".join(hits[:10]))


_OUTPUT_HITS: list[str] = []


def pytest_configure(config):
    """`ULAKBEL_TEST_NOW=2027-03-09T20:59:00Z make test` runs the in-process suite at that instant (ticking):
    the suite must pass on any day, at any hour. `ulakbel dev` subprocesses of the e2e tests keep the real clock."""
    instant = os.environ.get("ULAKBEL_TEST_NOW")
    if instant:
        import time_machine
        from datetime import datetime

        traveller = time_machine.travel(datetime.fromisoformat(instant.replace("Z", "+00:00")), tick=True)
        traveller.start()
        config._ulakbel_clock = traveller


def pytest_runtest_logreport(report):
    """Captured stdout/stderr of every test (print(), subprocess output echoed) goes through the detector too."""
    if report.when != "call" or "allow_pii_in_logs" in report.keywords:
        return
    from tests.support.pii import find_pii

    for name, text in (("stdout", report.capstdout), ("stderr", report.capstderr)):
        found = find_pii(text) if text else []
        if found:
            _OUTPUT_HITS.append(f"{report.nodeid} {name}: {found[:5]}")


def pytest_sessionfinish(session, exitstatus):
    if _OUTPUT_HITS:
        print("\npersonal data in captured test output:\n" + "\n".join(_OUTPUT_HITS[:20]))
        session.exitstatus = 1
