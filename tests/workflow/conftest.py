"""Helpers for workflow tests: routed requests in a known department, tokens per role."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth

TEMIZLIK = {"channel": "phone", "text": "Yenidoğan mahallesinde çöpler toplanmadı, konteynerler taştı"}
PARK = {"channel": "phone", "text": "Kiçiköy'de parkın salıncakları kırık, çocuklar için tehlikeli"}

LEAD = dict(role="department", department="temizlik", sub="lead-temizlik", lead=True)
STAFF = dict(role="department", department="temizlik", sub="staff-ali")
OTHER = dict(role="department", department="park", sub="lead-park", lead=True)


def h(role, department=None, **kw):
    return auth(role, department, **kw)


def hh(who: dict):
    who = dict(who)
    return auth(who.pop("role"), who.pop("department", None), **who)


@pytest.fixture
def make(client, pump):
    """make(body, ref) -> routed request JSON (as admin sees it)."""
    def _make(body=TEMIZLIK, ref="r1", **extra):
        created = client.http.post("/requests", headers=h("agent"),
                                   body=json.dumps({**body, "channel_ref": ref, **extra}))
        assert created.status_code == 201, created.json_body
        pump.drain()
        got = client.http.get(f"/requests/{created.json_body['id']}", headers=h("admin")).json_body
        return got

    return _make


def post(client, path, headers, body):
    return client.http.post(path, headers=headers, body=json.dumps(body))
