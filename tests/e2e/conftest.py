"""E2E helpers and the per-municipality parametrisation; the dev servers and their fixtures are in
tests/e2e/servers.py (one definition for the whole session, imported by tests/conftest.py)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.e2e.servers import ROOT, DevServer, Http, free_port, towns_needed  # noqa: F401  (re-exported)
from tests.e2e.towns import DEFAULT_TOWN, E2E_TOWNS, Town

def pytest_generate_tests(metafunc):
    """Door/flow tests take `town`: one pass per municipality (E2E_TOWNS), each on its own dev server."""
    if "town" in metafunc.fixturenames:
        metafunc.parametrize("town", E2E_TOWNS, indirect=True, ids=str)


@pytest.fixture
def town(request, dev_servers):
    """(Town, its running `ulakbel dev`)."""
    return Town(request.param), dev_servers.get(request.param)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Within tests/e2e, the default municipality's tests first, then each other town's pass, then the prod
    stage module: one dev server is up at a time (with StopWhenDone), instead of three for the session."""
    here = Path(__file__).resolve().parent
    slots = [i for i, item in enumerate(items) if here in Path(str(item.path)).resolve().parents]
    if not slots:
        return

    def key(item):
        towns = towns_needed(item) - {DEFAULT_TOWN}
        prod = item.path.name == "test_prod_stage.py"
        return (2 if prod else 1 if towns else 0, sorted(towns))

    ordered = sorted((items[i] for i in slots), key=key)  # stable: file order within each group
    for i, item in zip(slots, ordered):
        items[i] = item


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


def leased_task(http: Http, department: str, token: str, request_id: str, rounds: int = 10):
    """The department's task for the request, leasing up to 10 tasks a round: a shared server's queue may hold
    more than 10 (Örnekkent's `cevre` gets sanitation, parks and animals), and a round's leases hide its tasks
    from the next round, so the request's task turns up within a few rounds."""
    for _ in range(rounds):
        status, body = http.call("GET", f"/departments/{department}/tasks?max=10", token=token)
        assert status == 200, body
        mine = [x for x in body["tasks"] if x["request_id"] == request_id]
        if mine or not body["tasks"]:
            return mine[0] if mine else None
    return None
