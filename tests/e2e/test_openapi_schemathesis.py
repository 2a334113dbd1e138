"""GET /openapi.json is generated from the code, and the running system keeps its promises.

Schemathesis generates requests from the description (bounded number of cases per operation) and fires
them at `ulakbel dev`: no 5xx, and every JSON response matches the documented schema for its status.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 25  # per operation; bounded so CI stays fast


def test_openapi_describes_every_route(e2e_system):
    import app as app_module

    status, spec = e2e_system["http"].call("GET", "/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    documented = {(p, m.upper()) for p, ops in spec["paths"].items() for m in ops}
    routes = {(p, m.upper()) for p, methods in app_module.app.routes.items() for m in methods}
    assert routes <= documented
    create = spec["paths"]["/requests"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RequestCreate"}
    assert "citizen" in spec["components"]["schemas"]["RequestCreate"]["properties"]


def test_schemathesis_finds_no_5xx_and_no_schema_violation(e2e_system):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    base = e2e_system["http"].base
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    headers = {"Authorization": "Bearer " + e2e_system["token"]("--role", "admin", "--sub", "fuzz")}
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal ran
            ran += 1
            response = case.call(base_url=base, headers=headers, timeout=30)
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # collect, report all operations at once
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{str(exc)[:600]}")
                raise

        try:
            check()
        except Exception:
            pass
    print(f"\nschemathesis: {ran} cases against {base}")
    assert ran > 0
    assert failures == []
