"""Settings parsed once from the environment into a typed model (never read os.environ in domain code)."""
from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    stage: str = Field(default="local")
    region: str = Field(default="eu-central-1")
    table_name: str | None = None
    dev_signing_key: str | None = Field(default=None, description="HS256 key for dev tokens; never set in prod")
    cognito_issuer: str | None = None
    cognito_audience: str | None = None
    cognito_hosted_ui: str | None = Field(default=None, description="Cognito hosted UI base URL (console sign-in)")
    aws_endpoint_url: str | None = Field(default=None, description="Embedded AWS (moto) of `ulakbel dev`; unset in AWS")
    public_base_url: str = "http://127.0.0.1:8000"
    lease_seconds: int = 300
    max_body_bytes: int = 256 * 1024
    reopen_window_hours: int = Field(default=168, description="A citizen reply within this reopens a resolved request")
    escalation_warn_hours: int = Field(default=24, description="Warn the department lead this long before due_at")
    # Phone, SMS and e-mail channels (issue 4): secrets come from the environment only.
    twilio_auth_token: str | None = Field(default_factory=lambda: _env("TWILIO_AUTH_TOKEN"))
    netgsm_usercode: str | None = Field(default_factory=lambda: _env("NETGSM_USERCODE"))
    netgsm_password: str | None = Field(default_factory=lambda: _env("NETGSM_PASSWORD"))
    netgsm_window_minutes: int = Field(default_factory=lambda: int(_env("NETGSM_WINDOW_MINUTES", "30") or 30))
    inbound_email_topic_arns: str | None = Field(default_factory=lambda: _env("INBOUND_EMAIL_TOPIC_ARNS"))
    pii_pepper: str | None = Field(default=None, description="KVKK: secret for citizen lookup keys (HMAC)")
    retention_days: int = Field(default=730, description="KVKK: anonymise closed requests after this many days")

    @property
    def resource_prefix(self) -> str:
        return f"ulakbel-{self.stage}"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    stage = _env("ULAKBEL_STAGE", "local")
    return Settings(
        stage=stage,
        region=_env("AWS_DEFAULT_REGION", _env("AWS_REGION", "eu-central-1")),
        table_name=_env("ULAKBEL_TABLE"),
        dev_signing_key=_env("ULAKBEL_DEV_SIGNING_KEY"),
        cognito_issuer=_env("COGNITO_ISSUER"),
        cognito_audience=_env("COGNITO_AUDIENCE"),
        cognito_hosted_ui=(_env("COGNITO_HOSTED_UI") or "").rstrip("/") or None,
        aws_endpoint_url=_env("AWS_ENDPOINT_URL"),
        public_base_url=(_env("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
        lease_seconds=int(_env("ULAKBEL_LEASE_SECONDS", "300")),
        reopen_window_hours=int(_env("ULAKBEL_REOPEN_WINDOW_HOURS", "168")),
        escalation_warn_hours=int(_env("ULAKBEL_ESCALATION_WARN_HOURS", "24")),
        pii_pepper=_env("ULAKBEL_PII_PEPPER"),
        retention_days=int(_env("ULAKBEL_RETENTION_DAYS", "730")),
    )


def reset_settings() -> None:
    get_settings.cache_clear()
