"""tests/usecases stays on the twin: no file here imports moto or boto3, and no test asks for a fixture that
starts the embedded AWS (conftest.py's `_no_moto` also fails any test that does, at run time)."""
from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent
MOTO_FIXTURES = {"aws", "app", "client", "pump", "moto_server"}


def test_no_use_case_unit_test_reaches_for_moto():
    offenders = []
    for path in sorted(HERE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [f"{path.name}:{node.lineno} imports {n}" for n in names
                              if n.split(".")[0] in ("moto", "boto3")]
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                offenders += [f"{path.name}:{node.lineno} {node.name} asks for {a.arg}" for a in node.args.args
                              if a.arg in MOTO_FIXTURES]
    assert not offenders, "\n".join(offenders)
    assert len(list(HERE.glob("test_*_on_twin.py"))) >= 4
