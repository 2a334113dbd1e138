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
    print(Path(assembly.directory) / stack.template_file, file=sys.stderr)


if __name__ == "__main__":
    main()
