"""The environment a deployed stage's Lambda functions get from infra/, for `ulakbel dev --stage prod`.

Both come from the one configuration table, chalicelib/config.py: `prod_environment` is the union of every
function's `lambda_environment` (locally all functions share one process) plus the stage's
.chalice/config.json variables; secrets appear only as `<NAME>_SECRET_ID` names, and the code reads their values
from (moto's) Secrets Manager, exactly as in AWS.
"""
from __future__ import annotations

import json
from pathlib import Path

from chalicelib import config, resources

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Credentials of the municipality's accounts *at* the platforms (what the system uses to call them: YouTube
# polling, Netgsm inbox, platform APIs). An operator fills them in after deploy; locally there is no account and
# nothing may leave the machine, so `ulakbel dev --stage prod` creates these secrets without a value and the
# pollers stay idle, exactly as on a fresh deployment before the operator has filled them in.
PLATFORM_ACCOUNT_SECRETS: tuple[str, ...] = (
    "YOUTUBE_API_KEY", "YOUTUBE_CHANNEL_ID", "YOUTUBE_OAUTH_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER",
    "NETGSM_USERCODE", "NETGSM_PASSWORD", "META_PAGE_TOKEN", "META_PAGE_ID", "INSTAGRAM_ACCOUNT_ID",
    "WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "X_USER_TOKEN")
# Never present on a deployed stage (the dev token key, the local Open311 key, the local dev switch).
LOCAL_ONLY: tuple[str, ...] = (*(s.env for s in config.SETTINGS if s.kind == "local"), "ULAKBEL_DEV_MODE",
                               *(s.env for s in config.SECRETS))  # deployed stages hold secret names only


def municipality_selector() -> str:
    """ULAKBEL_MUNICIPALITY as given (a name or a path), else the default folder's name."""
    from chalicelib import container
    from chalicelib.domain import data_files

    return container.settings().municipality or data_files.default_name()


def email_sender() -> str:
    """The prod stage on moto sends from the municipality's own notification address (municipality.yaml)."""
    from chalicelib.domain.identity import identity

    return identity().notification_sender


def secret_names(stage: str) -> tuple[str, ...]:
    """Every secret the code reads on `stage` (chalicelib/config.py), each stored as config.secret_name."""
    return tuple(spec.env_var for spec in config.secret_specs(stage))


def chalice_environment(stage: str) -> dict[str, str]:
    chalice = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    return {**chalice.get("environment_variables", {}),
            **chalice.get("stages", {}).get(stage, {}).get("environment_variables", {})}


def prod_environment(stage: str, *, region: str, user_pool_id: str, client_id: str, hosted_ui: str,
                     public_base_url: str) -> dict[str, str]:
    env = chalice_environment(stage)
    env.update(config.process_environment(stage, {
        "ULAKBEL_TABLE": f"ulakbel-{stage}-requests",
        "COGNITO_ISSUER": f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
        "COGNITO_AUDIENCE": client_id,
        "COGNITO_HOSTED_UI": hosted_ui,
        "PUBLIC_BASE_URL": public_base_url,
        "SES_CONFIGURATION_SET": ses_configuration_set(stage),
        "ULAKBEL_EMAIL_SENDER": email_sender(),
        "ULAKBEL_MUNICIPALITY": municipality_selector(),  # the folder this process serves, as infra/ passes it
        # infra/ pins the inbound e-mail topic by ARN; locally the topic lives in moto's default account
        "INBOUND_EMAIL_TOPIC_ARNS": resources.topic_arn(stage, resources.INBOUND_EMAIL_TOPIC, region,
                                                        resources.LOCAL_ACCOUNT),
    }))
    return env


def ses_configuration_set(stage: str) -> str:
    return f"ulakbel-{stage}-outbound"  # infra/stack.py `_mail`
