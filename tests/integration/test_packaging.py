"""`chalice package` must produce a deployable template (the full infra is synthesised in infra/)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_chalice_package_produces_a_template(tmp_path):
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-central-1"}
    chalice = Path(sys.executable).parent / "chalice"
    out = subprocess.run([str(chalice), "package", "--stage", "dev", str(tmp_path / "out")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    template = json.loads((tmp_path / "out" / "sam.json").read_text())
    resources = template["Resources"]
    assert "APIHandler" in resources and "RouteRequests" in resources
    assert (tmp_path / "out" / "deployment.zip").stat().st_size > 0
