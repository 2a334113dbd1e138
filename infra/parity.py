"""Configuration parity: what each function of a synthesised template gets vs. what the code reads.

`make synth` (infra/app.py) and tests/infra/test_config_parity.py run `problems(template, stage)`; any problem
fails synthesis. The code's side is chalicelib/config.py (the table the settings model is parsed from).
"""
from __future__ import annotations

import json
from typing import Any

from chalicelib import config


def functions_of(template: dict[str, Any], stage: str) -> dict[str, dict[str, Any]]:
    """{chalice function name: its Environment.Variables} for every Lambda function of the template."""
    prefix = f"ulakbel-{stage}-"
    out: dict[str, dict[str, Any]] = {}
    for res in template.get("Resources", {}).values():
        if res.get("Type") not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            continue
        props = res.get("Properties", {})
        name = props.get("FunctionName")
        if isinstance(name, str) and name.startswith(prefix):
            out[name[len(prefix):]] = (props.get("Environment") or {}).get("Variables") or {}
    return out


def problems(template: dict[str, Any], stage: str) -> list[str]:
    found: list[str] = []
    secret_names = {r["Properties"].get("Name") for r in template.get("Resources", {}).values()
                    if r.get("Type") == "AWS::SecretsManager::Secret"}
    functions = functions_of(template, stage)
    for name in sorted(set(config.FUNCTIONS) - set(functions)):
        found.append(f"{name}: declared in chalicelib/config.py FUNCTIONS but not in the template")
    for name, env in sorted(functions.items()):
        if name not in config.FUNCTIONS:
            found.append(f"{name}: a Lambda function missing from chalicelib/config.py FUNCTIONS")
            continue
        for key in config.missing_environment(stage, name, env):
            found.append(f"{name}: reads {key} but the template gives it no value")
        for key in config.secret_values_in(env):
            found.append(f"{name}: {key} holds a secret value; deployed stages hold {key}{config.SECRET_ID_SUFFIX}")
        for key, value in env.items():
            if "resolve:secretsmanager" in json.dumps(value):
                found.append(f"{name}: {key} resolves a secret value at deploy time")
            if key.endswith(config.SECRET_ID_SUFFIX) and value not in secret_names:
                found.append(f"{name}: {key}={value!r} names no Secrets Manager secret of the template")
    return found
