"""Architecture, not timing: importing the Lambda entry module must not pull in heavy modules.

Every handler imports its use cases and pydantic models inside the view (or through
`chalicelib.handlers.http.lazy`), so a cold start pays only for chalice and the routing table.
See docs/performance.md, section 5.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAVY = [
    "boto3",
    "botocore",
    "pydantic.main",  # building any BaseModel subclass imports it
    "phonenumbers",
    "jinja2",
    "yaml",
    "aws_lambda_powertools",
    "chalicelib.domain.models",
    "chalicelib.usecases",
    "chalicelib.understanding",
    "chalicelib.adapters.dynamo_repository",
    "rapidfuzz",
    "snowballstemmer",
    "jwt",
    "cryptography",
]


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "eu-central-1"})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_app_loads_no_heavy_module():
    loaded = _loaded_after_import("app")
    heavy = sorted(h for h in HEAVY if h in loaded)
    assert heavy == [], f"app import pulls in {heavy}: import them inside the view or via http.lazy()"


def test_every_route_is_registered_without_building_models():
    code = ("import sys, app; from chalicelib.handlers.http import ENDPOINTS; "
            "print(len(app.app.routes), len(ENDPOINTS), 'pydantic.main' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "eu-central-1"})
    routes, endpoints, built = out.stdout.split()
    assert int(routes) > 3 and int(endpoints) >= 1
    assert built == "False"
