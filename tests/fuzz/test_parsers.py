"""Every registered parser, fed random and mutated payloads: a valid result or a clean rejection, never a crash.

Also the HTTP intake: random and mutated bodies to POST /requests always get a 4xx or a stored request.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import auth
from tests.fuzz.registry import PARSERS
from tests.fuzz.strategies import inputs, mutate

FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parser_never_crashes(name):
    case = PARSERS[name]

    @FUZZ
    @given(payload=inputs(case.kind, case.samples))
    def run(payload):
        try:
            result = case.parse(payload)
        except case.clean_errors:
            return
        if case.check is not None:
            case.check(payload, result)

    run()


def test_samples_of_every_parser_are_accepted():
    """The registry's samples are realistic: each one parses (empty text aside), so mutations start valid."""
    rejected = []
    for name, case in PARSERS.items():
        for sample in case.samples:
            if sample in ("", " \n\t"):
                continue
            try:
                case.parse(sample)
            except case.clean_errors as exc:
                rejected.append(f"{name}: {type(exc).__name__}")
    assert rejected == []


REQUEST = {"channel": "phone", "text": "Sokak lambası yanmıyor", "channel_ref": "call-1",
           "citizen": {"name": "Deneme Vatandaş", "phone": "0532 111 22 33", "tc_kimlik_no": "10000000146"},
           "location": {"address": "Cumhuriyet Cd.", "lat": 38.69, "long": 35.55},
           "attachments": [{"url": "https://example.invalid/a.jpg", "content_type": "image/jpeg"}],
           "meeting": {"date": "2026-01-05", "attendees": ["Muhtar"], "topic": "park"}}


def test_http_intake_answers_4xx_or_stores(client):
    statuses: dict[int, int] = {}

    @settings(max_examples=120, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(body=st.one_of(mutate(REQUEST).map(lambda d: json.dumps(d, default=str).encode()),
                          st.binary(max_size=300), st.text(max_size=200).map(str.encode)),
           ctype=st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8"]))
    def run(body, ctype):
        res = client.http.post("/requests", headers={**auth("agent"), "Content-Type": ctype}, body=body)
        statuses[res.status_code] = statuses.get(res.status_code, 0) + 1
        assert res.status_code < 500, res.body[:500]
        payload = json.loads(res.body)
        if res.status_code in (200, 201):
            assert payload["id"] and payload["tracking_code"]
        else:
            assert 400 <= res.status_code < 500 and payload["error"]["message"]

    run()
    print(f"\nPOST /requests fuzz: {dict(sorted(statuses.items()))}")
    assert any(s in statuses for s in (200, 201)) and any(400 <= s < 500 for s in statuses)
