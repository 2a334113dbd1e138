"""The layering rules, checked: domain and routing never import chalice or boto3; nothing touches AWS at import."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = ["chalicelib/domain", "chalicelib/understanding", "chalicelib/routing", "chalicelib/usecases"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_pure_layers_do_not_import_chalice_or_boto3():
    offenders = []
    for folder in PURE:
        for file in (ROOT / folder).rglob("*.py"):
            bad = _imports(file) & {"chalice", "boto3", "botocore"}
            if bad:
                offenders.append(f"{file.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_importing_the_app_creates_no_aws_client_and_loads_no_boto3():
    code = ("import sys, app; print('boto3' in sys.modules, 'moto' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "eu-central-1"})
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr
