"""The environment a deployed stage's Lambda functions get from infra/, for `ulakbel dev --stage prod`.

One function, `prod_environment()`, so that the shared configuration table (one source for infra/ and
`ulakbel dev`) can replace its body in one line. Until then it mirrors infra/stack.py `_environment` and
.chalice/config.json: every function gets the table, the user pool (issuer, client, hosted UI), the public
URL and the SES configuration set; secrets that the code reads from environment variables are resolved from
Secrets Manager at start (what CloudFormation dynamic references do at deploy); every other secret is read
at run time from Secrets Manager by the code itself. Locally all functions share one process, so the
environment is the union of the functions' environments.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from chalicelib import resources

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Secrets the code reads on a deployed stage beyond the channel secrets of chalicelib.resources.SECRETS.
APP_SECRETS: tuple[str, ...] = ("ULAKBEL_PII_PEPPER", "ULAKBEL_LINK_SIGNING_KEY", "OPEN311_APP_API_KEY")
# Of those, the ones the code reads from environment variables today (resolved from Secrets Manager).
ENV_RESOLVED_SECRETS: tuple[str, ...] = (*resources.ENV_SECRETS, *APP_SECRETS)
# Credentials of the municipality's accounts *at* the platforms (what the system uses to call them: YouTube
# polling, Netgsm inbox, platform APIs). An operator fills them in after deploy; locally there is no account and
# nothing may leave the machine, so `ulakbel dev --stage prod` creates these secrets without a value and the
# pollers stay idle, exactly as on a fresh deployment before the operator has filled them in.
PLATFORM_ACCOUNT_SECRETS: tuple[str, ...] = ("META_ACCESS_TOKEN", "X_BEARER_TOKEN", "YOUTUBE_API_KEY",
                                             "YOUTUBE_CHANNEL_ID", "TWILIO_ACCOUNT_SID", "NETGSM_USERCODE",
                                             "NETGSM_PASSWORD")
# Never present on a deployed stage (the dev token key, the local Open311 key, the local dev switch).
LOCAL_ONLY: tuple[str, ...] = ("ULAKBEL_DEV_SIGNING_KEY", "OPEN311_DEV_API_KEY", "ULAKBEL_DEV_MODE")


def secret_names(stage: str) -> tuple[str, ...]:
    """Every secret the code reads on `stage`, each stored as resources.secret_name(stage, key)."""
    return tuple(dict.fromkeys((*resources.SECRETS, *APP_SECRETS)))


def chalice_environment(stage: str) -> dict[str, str]:
    config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    return {**config.get("environment_variables", {}),
            **config.get("stages", {}).get(stage, {}).get("environment_variables", {})}


def prod_environment(stage: str, *, region: str, user_pool_id: str, client_id: str, hosted_ui: str,
                     public_base_url: str, secret_value: Callable[[str], str | None]) -> dict[str, str]:
    env = chalice_environment(stage)
    env.update({
        "ULAKBEL_STAGE": stage,
        "ULAKBEL_TABLE": resources.table_name(stage),
        "COGNITO_ISSUER": f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
        "COGNITO_AUDIENCE": client_id,
        "COGNITO_HOSTED_UI": hosted_ui,
        "PUBLIC_BASE_URL": public_base_url,
        "SES_CONFIGURATION_SET": ses_configuration_set(stage),
    })
    for key in ENV_RESOLVED_SECRETS:
        value = secret_value(key)
        if value:  # a secret without a value (not filled in yet) resolves to nothing
            env[key] = value
    return env


def ses_configuration_set(stage: str) -> str:
    return f"ulakbel-{stage}-outbound"  # infra/stack.py `_mail`
