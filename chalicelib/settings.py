"""The one settings model of a process: parsed once from the environment, as chalicelib/config.py describes it.

This module is the only reader of os.environ in chalicelib (besides config.declared_stage, the stage at
cold start before any model is built). The data loaders get their replacement files from here through the
composition root (domain/data_files.py); the rate limits are settings too. Secrets are not values here
but references: on the local/test stages the environment holds the value (`.ulakbel/dev-secrets.json`); on
deployed stages it holds `<NAME>_SECRET_ID` and the value is fetched on first use from Secrets Manager
through Powertools Parameters (cached for config.SECRET_MAX_AGE_SECONDS, so rotation needs no cold start).
A secret a use case needs and cannot get is a ConfigurationError (HTTP 503, and /health names it), never a
constant.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, Field, PrivateAttr

from . import config
from .domain.errors import ConfigurationError


def _secret_property(name: str, *, required: bool = False) -> property:
    """A secret under its old attribute name: `secret(name)` (None when absent) or `require_secret(name)`."""
    if required:
        return property(lambda self: self.require_secret(name), doc=f"{name} (required)")
    return property(lambda self: self.secret(name), doc=name)


class Settings(BaseModel):
    stage: str = "local"
    region: str = "eu-central-1"
    function_name: str | None = None
    table_name: str | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    cognito_issuer: str | None = None
    cognito_audience: str | None = None
    cognito_hosted_ui: str | None = Field(default=None, description="Cognito hosted UI base URL (console sign-in)")
    aws_endpoint_url: str | None = Field(default=None, description="Embedded AWS (moto) of `ulakbel dev`; unset in AWS")
    ses_configuration_set: str | None = None
    email_sender: str = ""
    lease_seconds: int = 300
    max_body_bytes: int = 256 * 1024
    reopen_window_hours: int = 168
    escalation_warn_hours: int = 24
    retention_days: int = 730
    netgsm_window_minutes: int = 30
    inbound_email_topic_arns: str | None = None
    outbox: bool = True
    sms_provider: str = "sns"
    sms_sender_id: str | None = None
    daily_cap: int = 5
    sms_country_list: str = "TR"
    app_hourly_cap: int = 300
    backoff_base_seconds: int = 30
    max_attempts: int = 5
    whatsapp_template: str = "ulakbel_yanit"
    twilio_messaging_service_sid: str | None = None
    # The municipality's folder (issue 22), data-file replacements (domain/data_files.py hands them to the
    # loaders) and public rate limits.
    municipality: str | None = None
    departments_file: str | None = None
    calendar_file: str | None = None
    templates_file: str | None = None
    taxonomy_file: str | None = None
    model_file: str | None = None
    neighbourhoods_file: str | None = None
    boundaries_file: str | None = None
    rate_limit_webhook: str | None = None
    rate_limit_open311: str | None = None
    rate_limit_open311_read: str | None = None
    rate_limit_crc: str | None = None
    # Secrets: values on local/test (by variable name), Secrets Manager ids on deployed stages.
    local_secrets: dict[str, str] = Field(default_factory=dict)
    secret_ids: dict[str, str] = Field(default_factory=dict)
    plain_secrets: list[str] = Field(default_factory=list, description="deployed stage, value in the environment")
    _given: set[str] = PrivateAttr(default_factory=set)  # variables that came from the environment
    _folder: Path | None = PrivateAttr(default=None)  # the municipality's folder, once resolved

    @property
    def resource_prefix(self) -> str:
        return f"ulakbel-{self.stage}"

    @property
    def local(self) -> bool:
        return config.is_local(self.stage)

    # ------------------------------------------------------------------ secrets
    def secret(self, env: str) -> str | None:
        """The value of a secret setting, or None when it has none (callers that cannot go on use require)."""
        spec = config.BY_ENV[env]
        if self.local:
            return self.local_secrets.get(env) or spec.local_default
        if spec.kind != "secret":
            return None  # local-only settings (dev token key, Open311 dev key) do not exist outside local/test
        secret_id = self.secret_ids.get(env)
        if not secret_id:
            return None
        return _fetch_secret(secret_id)

    def require_secret(self, env: str) -> str:
        value = self.secret(env)
        if value:
            return value
        raise ConfigurationError(
            f"Yapılandırma eksik: {env} okunamadı; yöneticiye bildirin / configuration error: {env} is not "
            f"available on stage {self.stage} (set {env}{config.SECRET_ID_SUFFIX} to its Secrets Manager secret)")

    def configuration_problems(self, function: str | None = None, *, fetch: bool = True) -> list[str]:
        """What this function reads and cannot get on this stage: missing variables, secrets given as plain
        values, and (fetch=True) secrets Secrets Manager does not return. Empty on local/test."""
        if self.local:
            return []
        function = function or self.function or "api_handler"
        present = {"ULAKBEL_STAGE": self.stage, **{k: "set" for k in self._given},
                   **{config.BY_ENV[k].secret_env: v for k, v in self.secret_ids.items()}}
        problems = config.missing_environment(self.stage, function, present)
        problems += [f"{k} (plain value; use {k}{config.SECRET_ID_SUFFIX})" for k in self.plain_secrets]
        if fetch:  # the secrets we generate must be readable; a platform credential may await its operator
            for spec in config.function_secrets(self.stage, function):
                if spec.generate and spec.env_var in self.secret_ids and not self.secret(spec.env_var):
                    problems.append(f"{spec.env_var} (unreadable)")
        return problems

    @property
    def function(self) -> str | None:
        prefix = f"ulakbel-{self.stage}-"
        name = self.function_name or ""
        return name[len(prefix):] if name.startswith(prefix) else None

    @property
    def data_files(self) -> dict[str, str]:
        """Replacement data files by name (domain/data_files.NAMES): only those the environment names."""
        named = {name: getattr(self, f"{name}_file", None) for name in
                 ("departments", "calendar", "templates", "taxonomy", "neighbourhoods", "boundaries", "model")}
        return {name: value for name, value in named.items() if value}

    @property
    def municipality_folder(self) -> Path:
        """The folder ULAKBEL_MUNICIPALITY names (default: municipalities/DEFAULT); a clear error when absent."""
        if self._folder is None:  # resolved once per settings (every loader asks on every use)
            from .domain import data_files

            try:
                self._folder = data_files.resolve_folder(self.municipality)
            except ValueError as exc:
                raise ConfigurationError(str(exc)) from None
        return self._folder

    def rate_limit(self, kind: str) -> str:
        """ULAKBEL_RATE_LIMIT_<KIND> as given ("<hits>/<seconds>", "off", or "" for the default)."""
        return (getattr(self, f"rate_limit_{kind}", None) or "").strip()

    @property
    def sms_countries(self) -> tuple[str, ...]:
        """SMS pumping: only mobile numbers of these countries get SMS (ULAKBEL_SMS_COUNTRIES)."""
        return tuple(c.strip().upper() for c in self.sms_country_list.split(",") if c.strip())

    # ------------------------------------------------------------------ secrets under their old names
    pii_pepper = _secret_property("ULAKBEL_PII_PEPPER")
    link_key = _secret_property("ULAKBEL_LINK_SIGNING_KEY", required=True)
    open311_key_pepper = _secret_property("OPEN311_KEY_PEPPER", required=True)
    open311_app_api_key = _secret_property("OPEN311_APP_API_KEY")
    open311_dev_api_key = _secret_property("OPEN311_DEV_API_KEY")
    dev_signing_key = _secret_property("ULAKBEL_DEV_SIGNING_KEY")
    twilio_auth_token = _secret_property("TWILIO_AUTH_TOKEN")
    vapid_private_key = _secret_property("VAPID_PRIVATE_KEY")

    def webpush_config(self):
        from .channels.webpush.outbound import WebPushConfig

        return WebPushConfig(vapid_private_key=self.vapid_private_key, subject=f"mailto:{self.email_sender}",
                             allow_loopback=self.local)

    @property
    def netgsm_usercode(self) -> str | None:
        return self.secret("NETGSM_USERCODE")

    @property
    def netgsm_password(self) -> str | None:
        return self.secret("NETGSM_PASSWORD")

    # ------------------------------------------------------------------ outbound platform configuration
    def _cred(self, name: str) -> str | None:
        """With the outbox on, a missing credential is a placeholder that never leaves the machine: the outbox
        records the request instead of sending it."""
        value = self.secret(name)
        if value or not self.outbox:  # outbox on: platforms are never called (local, `ulakbel dev --stage prod`)
            return value
        return f"dev-{name.lower()}"

    def meta_config(self):
        from .channels.meta.outbound import MetaConfig

        c = self._cred
        return MetaConfig(page_token=c("META_PAGE_TOKEN"), page_id=c("META_PAGE_ID"),
                          instagram_id=c("INSTAGRAM_ACCOUNT_ID"), whatsapp_token=c("WHATSAPP_TOKEN"),
                          whatsapp_phone_number_id=c("WHATSAPP_PHONE_NUMBER_ID"),
                          whatsapp_template=self.whatsapp_template)

    def x_config(self):
        from .channels.x.outbound import XConfig

        return XConfig(user_token=self._cred("X_USER_TOKEN"))

    def youtube_config(self):
        from .channels.youtube.outbound import YouTubeConfig

        return YouTubeConfig(oauth_token=self._cred("YOUTUBE_OAUTH_TOKEN"))

    def twilio_config(self):
        from .channels.twilio.outbound import TwilioConfig

        c = self._cred
        return TwilioConfig(account_sid=c("TWILIO_ACCOUNT_SID"), auth_token=c("TWILIO_AUTH_TOKEN"),
                            from_number=c("TWILIO_FROM_NUMBER"),
                            messaging_service_sid=self.twilio_messaging_service_sid,
                            status_callback=f"{self.public_base_url}/webhooks/twilio/status")


def _fetch_secret(secret_id: str) -> str | None:
    from .adapters.secrets import fetch_secret

    return fetch_secret(secret_id, max_age=config.SECRET_MAX_AGE_SECONDS)


def _local_sender(settings: Settings) -> str:
    from .domain.identity import load_identity

    try:
        return load_identity(settings.municipality_folder / "municipality.yaml").notification_sender
    except Exception:  # noqa: BLE001 - a broken folder is reported by check-config and at first use, not here
        return "bildirim@example.invalid"


def _env(environ: dict[str, str], name: str) -> str | None:
    value = environ.get(name)
    return value if value not in (None, "") else None


_CONVERT: dict[type, Callable[[str], Any]] = {int: int, bool: lambda v: v.strip().lower() in ("1", "true", "yes")}


def parse_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from an environment (os.environ by default), as the table in chalicelib/config.py says."""
    environ = dict(os.environ if environ is None else environ)
    stage = _env(environ, "ULAKBEL_STAGE") or "local"
    values: dict[str, Any] = {"stage": stage}
    given: set[str] = set()
    local_secrets: dict[str, str] = {}
    secret_ids: dict[str, str] = {}
    plain: list[str] = []
    for s in config.SETTINGS:
        if s.kind in ("secret", "local"):
            raw, ref = _env(environ, s.env), _env(environ, s.secret_env)
            if config.is_local(stage):
                if raw:
                    local_secrets[s.env] = raw
            elif s.kind == "secret":
                if ref:
                    secret_ids[s.env] = ref
                if raw:
                    plain.append(s.env)
            continue
        if s.kind == "stage":
            continue
        raw = _env(environ, s.env)
        if s.env == "AWS_REGION":
            raw = _env(environ, "AWS_DEFAULT_REGION") or raw
        if raw is None:
            default = s.default_for(stage)
            if default is not None:
                values[s.field] = default
            elif Settings.model_fields[s.field].annotation is str:
                values[s.field] = ""  # deployed stage without it: reported by configuration_problems, no constant
            continue
        annotation = Settings.model_fields[s.field].annotation
        kind = int if annotation in (int,) else bool if annotation in (bool,) else str
        value = _CONVERT.get(kind, str)(raw)
        if s.env in ("PUBLIC_BASE_URL", "COGNITO_HOSTED_UI") and isinstance(value, str):
            value = value.rstrip("/")
        values[s.field] = value
        given.add(s.env)
    settings = Settings(**values, local_secrets=local_secrets, secret_ids=secret_ids, plain_secrets=plain)
    if config.is_local(stage) and not settings.email_sender:  # local/test: the municipality's own sender
        settings.email_sender = _local_sender(settings)
    settings._given = given
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = parse_settings()
    if not settings.local and settings.function:
        problems = settings.configuration_problems(fetch=False)
        if problems:  # a cold start says it at once; /health and every use case that needs one say it again
            from .observability import logger

            logger().error("configuration incomplete", extra={"function": settings.function, "missing": problems})
    return settings


def reset_settings() -> None:
    get_settings.cache_clear()
