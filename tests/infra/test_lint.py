"""The synthesised templates pass cfn-lint and checkov with zero findings; every suppression says why."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def test_cfn_lint_finds_nothing(synth):
    out = subprocess.run([str(BIN / "cfn-lint"), "--format", "parseable", str(synth.path)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout[-5000:] + out.stderr[-2000:]


def test_checkov_finds_nothing(synth):
    out = subprocess.run([str(BIN / "checkov"), "--skip-download", "--quiet", "--compact", "--framework", "cloudformation",
                          "-o", "json", "-f", str(synth.path)], capture_output=True, text=True)
    report = json.loads(out.stdout)
    report = report[0] if isinstance(report, list) else report
    failed = [(f["check_id"], f["resource"]) for f in report["results"]["failed_checks"]]
    assert failed == [], failed
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 40  # it really looked at the resources
    assert out.returncode == 0


def test_every_suppression_is_justified(synth):
    suppressions = 0
    for logical, res in synth.resources.items():
        meta = res.get("Metadata", {})
        for skip in meta.get("checkov", {}).get("skip", []):
            suppressions += 1
            assert skip["id"].startswith("CKV") and len(skip.get("comment", "")) > 20, (logical, skip)
        lint = meta.get("cfn-lint", {})
        for rule in lint.get("config", {}).get("ignore_checks", []):
            suppressions += 1
            assert len(lint.get("justification", {}).get(rule, "")) > 20, (logical, rule)
    assert suppressions > 0
