"""`make check`: bandit over our code and pip-audit over the installed dependencies.

Every finding must be explained here (ALLOWED_BANDIT / ALLOWED_VULNS, with the reason) or the check fails.
pip-audit needs a vulnerability service (PyPI's JSON API or OSV); when neither is reachable (an offline
or proxied machine) it says so clearly and does not fail the build: the audit is then skipped, not passed.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = ["app.py", "chalicelib", "ulakbel_cli"]

# (path, bandit test id) -> why it is not a problem.
ALLOWED_BANDIT: dict[tuple[str, str], str] = {
    ("chalicelib/channels/twilio/inbound.py", "B406"): "xml.sax.saxutils.escape only ESCAPES text for the TwiML "
                                                       "we write; no XML is parsed",
    ("chalicelib/open311/xml.py", "B405"): "ElementTree.Element/SubElement only BUILD the Open311 XML responses; "
                                           "nothing is parsed",
    ("ulakbel_cli/outbox.py", "B110"): "dev-only mirror of sent messages to a file; a failed mirror write must "
                                       "never stop `ulakbel dev`",
    ("chalicelib/observability.py", "B110"): "metrics must never break a request; the failure is deliberate "
                                             "and harmless (EMF flush to stdout)",
    ("chalicelib/understanding/data.py", "B506"): "yaml.load with (C)SafeLoader, the safe loader; bandit cannot see "
                                            "the Loader variable",
    ("chalicelib/config.py", "B105"): "'_SECRET_ID' is the suffix of the variable that NAMES a Secrets Manager "
                                      "secret, not a secret value",
    ("chalicelib/handlers/stream/notify.py", "B112"): "notification pre-check over a stream batch: a record whose "
                                                      "image does not parse is skipped here and handled (or "
                                                      "dead-lettered) by its own consumer",
    ("chalicelib/handlers/stream/route.py", "B112"): "routing pre-pass over a stream batch: a record whose image "
                                                     "does not decode is left out of the batch's routing and "
                                                     "fails alone in the BatchProcessor's own record handler",
    ("ulakbel_cli/history.py", "B311"): "deterministic, seeded history for benchmarks and volume tests; nothing "
                                        "security-related is drawn from it",
    ("ulakbel_cli/dev.py", "B105"): "the dummy credentials moto accepts ('testing'), only for the embedded "
                                    "local AWS of `ulakbel dev`",
}
ALLOWED_BANDIT |= {
    ("chalicelib/web/charts.py", "B704"): "server-side SVG: every text (titles, series names, labels) passes through "
                                         "markupsafe.escape; the rest are numbers and palette colours",
    ("chalicelib/web/render.py", "B704"): "channel badge: the channel code, label and icon are escaped before the "
                                          "Markup is built",
    ("chalicelib/web/strings.py", "B704"): "string catalogue: both the Turkish and the English text are escaped "
                                           "before the Markup is built",
    ("ulakbel_cli/demo_history.py", "B311"): "deterministic, seeded demo history (`--seed-demo`); nothing "
                                             "security-related is drawn from it",
}
ALLOWED_BANDIT |= {
    ("ulakbel_cli/moto_process.py", "B404"): "dev only: `ulakbel dev` starts the embedded AWS (moto) as a child "
                                             "process of the same interpreter",
    ("ulakbel_cli/moto_process.py", "B603"): "a fixed argument list (sys.executable -m ulakbel_cli.moto_process), "
                                             "no shell, no outside input",
}
# vulnerability id -> why it does not apply.
ALLOWED_VULNS: dict[str, str] = {}


def bandit() -> int:
    out = subprocess.run([str(BIN / "bandit"), "-q", "-r", *TARGETS, "-f", "json"], cwd=ROOT,
                         capture_output=True, text=True)
    try:
        results = json.loads(out.stdout)["results"]
    except (ValueError, KeyError):
        print(f"bandit: could not run\n{out.stderr[-2000:]}")
        return 1
    unexplained = []
    for r in results:
        path = str(Path(r["filename"]).resolve().relative_to(ROOT))
        if (path, r["test_id"]) not in ALLOWED_BANDIT:
            unexplained.append(f"  {path}:{r['line_number']}: {r['test_id']} [{r['issue_severity']}] {r['issue_text']}")
    explained = len(results) - len(unexplained)
    print(f"bandit: {len(results)} finding(s), {explained} explained in scripts/security_check.py, "
          f"{len(unexplained)} unexplained")
    for line in unexplained:
        print(line)
    return 1 if unexplained else 0


def pip_audit() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        out = subprocess.run([str(BIN / "pip-audit"), "--progress-spinner", "off", "--skip-editable", "-f", "json",
                              "-o", str(report), "--timeout", "20"], cwd=ROOT, capture_output=True, text=True)
        if not report.exists():
            reason = (out.stderr.strip().splitlines() or ["unknown error"])[-1][:300]
            print(f"pip-audit: SKIPPED — vulnerability service unreachable ({reason}). "
                  "Run `make check` on a machine with internet access.")
            return 0
        deps = json.loads(report.read_text())["dependencies"]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        print(f"pip-audit: SKIPPED — none of {len(deps)} dependencies could be looked up (the package index "
              "here has no vulnerability data: '" + skipped[0]["skip_reason"][:120] + "'). "
              "Run `make check` on a machine with internet access.")
        return 0
    vulns = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    unexplained = [v for v in vulns if v[2] not in ALLOWED_VULNS]
    print(f"pip-audit: {len(audited)} dependencies audited ({len(skipped)} not found), {len(vulns)} known "
          f"vulnerabilities, {len(unexplained)} unexplained")
    for name, version, vid in unexplained:
        print(f"  {name} {version}: {vid}")
    return 1 if unexplained else 0


SECRET_PATTERNS = {
    "AWS access key id": r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])",
    "private key": r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----",
    "AWS secret key": r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}",
    "Slack/GitHub token": r"(?:xox[baprs]-[0-9A-Za-z-]{10,}|gh[pousr]_[0-9A-Za-z]{36})",
}


def secrets_in_repo() -> int:
    import re

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    hits = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        hits += [f"  {name}: {kind}" for kind, pattern in SECRET_PATTERNS.items() if re.search(pattern, text)]
    print(f"secrets: {len(files)} tracked files scanned, {len(hits)} hit(s)")
    for line in hits:
        print(line)
    return 1 if hits else 0


def main() -> int:
    return max(bandit(), secrets_in_repo(), pip_audit())


if __name__ == "__main__":
    sys.exit(main())
