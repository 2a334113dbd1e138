"""CDK entry point: `python -m infra.app` (what `make synth` and `cdk --app` run).

Context (-c key=value, or environment for `make synth`): stage=dev|prod, region, mail_domain, cors_origin,
alarm_email, public_base_url, auth_domain_prefix, app_only=1 (package the app code without dependencies; offline, for checks only).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    import json

    from infra.stack import build

    # The cdk CLI passes context through CDK_CONTEXT_JSON; `make synth` passes environment variables.
    context = json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}")
    for key in ("stage", "region", "mail_domain", "cors_origin", "alarm_email", "app_only", "public_base_url",
                "auth_domain_prefix"):
        env = os.environ.get(f"ULAKBEL_INFRA_{key.upper()}")
        if env and key not in context:
            context[key] = env
    stage = context.get("stage") or "dev"
    app_only = str(context.get("app_only", "")).lower() in ("1", "true", "yes")
    outdir = os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out")
    os.environ.setdefault("AWS_DEFAULT_REGION", context.get("region") or "eu-central-1")
    app, stack = build(stage, outdir=outdir, app_only=app_only, context=context)
    assembly = app.synth()
    template = Path(assembly.directory) / stack.template_file
    from infra.parity import problems

    found = problems(json.loads(template.read_text()), stage)
    if found:  # a function would read a setting it is not given: do not leave a deployable template behind
        template.unlink()
        print(f"infra: the {stage} configuration is incomplete (chalicelib/config.py):", file=sys.stderr)
        for line in found:
            print(f"  - {line}", file=sys.stderr)
        if any("PUBLIC_BASE_URL" in line for line in found):
            print("  PUBLIC_BASE_URL: pass the public address, e.g. make synth STAGE=prod "
                  "PUBLIC_BASE_URL=https://ulakbel.talas.bel.tr", file=sys.stderr)
        sys.exit(1)
    print(template, file=sys.stderr)


if __name__ == "__main__":
    main()
