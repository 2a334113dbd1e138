"""The one table of configuration: every setting the code reads, where each Lambda function gets it, per stage.

Who uses it:
- chalicelib/settings.py parses the environment from this table (the only reader of os.environ);
- infra/stack.py builds each function's environment with `lambda_environment` and provisions `secret_specs`
  in Secrets Manager (with read permission for exactly the functions that read each secret);
- `infra/parity.py` (run by `make synth` and tests/infra/test_config_parity.py) compares what every function
  of the synthesised template gets with `required_environment`: a setting read with no source fails synthesis;
- `ulakbel dev --stage prod` creates the same secrets in moto (`secret_specs(stage)`, generated values) and
  sets the same environment (`lambda_environment`).

Kinds of setting:
    stage     ULAKBEL_STAGE, from .chalice/config.json (and here)
    runtime   set by the Lambda runtime itself (AWS_REGION)
    resource  a value infra/ knows (table name, user pool, base URL, ...): passed in `resources`
    tunable   a policy value with a documented default (never a secret): infra may leave it out
    secret    deployed stages: the environment holds `<NAME>_SECRET_ID` = the Secrets Manager secret's
              name, the value is fetched at run time (Powertools Parameters, cached). local/test: the
              environment holds the value itself (`.ulakbel/dev-secrets.json`), with `local_default` as
              the last resort there and nowhere else
    local     only meaningful on the local/test stages (dev tokens, the Open311 dev key); never deployed
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

LOCAL_STAGES = ("local", "test")  # moto / tests: dev values allowed
DEPLOYED_STAGES = ("dev", "prod")  # AWS (and `ulakbel dev --stage prod`): every value from a real source
SECRET_ID_SUFFIX = "_SECRET_ID"
SECRET_MAX_AGE_SECONDS = 300  # Powertools Parameters cache: a rotated secret is picked up within 5 minutes

# Every Lambda function of the Chalice app (tests/infra/test_config_parity.py checks the list is complete).
FUNCTIONS: tuple[str, ...] = (
    "api_handler", "route_requests", "aggregate_requests", "workflow_events", "notify_citizens",
    "escalation_sweep", "kvkk_retention", "connect_intake", "inbound_email", "inbound_sms", "netgsm_poll",
    "send_outbound", "delivery_events", "youtube_poll_comments", "youtube_renew_websub",
    "transcribe_voicemail", "voicemail_transcribed",  # issue 22: Turkish voicemail via Amazon Transcribe
)
EVERY_FUNCTION = FUNCTIONS
# Functions that write requests or look citizens up: they compute KVKK citizen keys with the PII pepper.
CITIZEN_KEY_FUNCTIONS = tuple(f for f in FUNCTIONS if f != "youtube_renew_websub")


@dataclass(frozen=True)
class Setting:
    env: str
    field: str
    kind: str
    description: str
    functions: tuple[str, ...] = EVERY_FUNCTION
    required: bool = True  # deployed stages: no source = a configuration error (synthesis fails)
    default: Any = None  # tunables: the documented default; callable(stage) when it depends on the stage
    local_default: str | None = None  # secrets: the value on local/test only, when the environment has none
    generate: bool = True  # secrets: ours to generate (random) vs. a credential the operator copies in
    stages: tuple[str, ...] = DEPLOYED_STAGES  # where infra provides it

    @property
    def secret_env(self) -> str:
        return self.env + SECRET_ID_SUFFIX

    def default_for(self, stage: str) -> Any:
        return self.default(stage) if callable(self.default) else self.default


@dataclass(frozen=True)
class SecretSpec:
    """One Secrets Manager secret of a stage: `name` (the SecretId), the setting's `env_var` (the functions'
    environment holds `env_var + "_SECRET_ID"` = name), `generate`: True when the value is ours to make up
    (a random key), False when the operator must copy it from a platform after deploy."""
    name: str
    env_var: str
    description: str
    generate: bool
    functions: tuple[str, ...]

    @property
    def secret_env(self) -> str:
        return self.env_var + SECRET_ID_SUFFIX


def _outbox_default(stage: str) -> bool:
    return stage == "local"  # locally platforms are never called: the outbox records what would be sent


_API = ("api_handler",)
_OUT = ("send_outbound",)


def _channel(env: str, description: str, functions: tuple[str, ...], **kw: Any) -> Setting:
    return Setting(env, env.lower(), "secret", description, functions=functions, generate=False, **kw)


SETTINGS: tuple[Setting, ...] = (
    Setting("ULAKBEL_STAGE", "stage", "stage", "local | test | dev | prod", default="local"),
    Setting("AWS_REGION", "region", "runtime", "AWS region (Lambda sets it; AWS_DEFAULT_REGION locally)",
            default="eu-central-1"),
    Setting("AWS_LAMBDA_FUNCTION_NAME", "function_name", "runtime", "ulakbel-<stage>-<function>",
            required=False),
    Setting("AWS_ENDPOINT_URL", "aws_endpoint_url", "runtime", "the embedded AWS (moto) of `ulakbel dev`; unset in AWS",
            required=False),
    # -------------------------------------------------------------- resources infra/ knows
    Setting("ULAKBEL_TABLE", "table_name", "resource", "the requests table"),
    Setting("PUBLIC_BASE_URL", "public_base_url", "resource",
            "address citizens, staff and platforms use (links, Twilio signatures, WebSub callback)",
            default=lambda stage: "http://127.0.0.1:8000" if stage in LOCAL_STAGES else None),
    Setting("COGNITO_ISSUER", "cognito_issuer", "resource", "staff user pool issuer URL"),
    Setting("COGNITO_AUDIENCE", "cognito_audience", "resource", "staff console app client id"),
    Setting("COGNITO_HOSTED_UI", "cognito_hosted_ui", "resource", "Cognito hosted UI base URL (console sign-in)"),
    Setting("SES_CONFIGURATION_SET", "ses_configuration_set", "resource",
            "SES configuration set reporting delivery/bounce events", functions=_OUT),
    Setting("INBOUND_EMAIL_TOPIC_ARNS", "inbound_email_topic_arns", "resource",
            "SNS topic ARNs (account and region) /webhooks/sns/email accepts; local/test: the moto topic",
            functions=_API),
    Setting("ULAKBEL_EMAIL_SENDER", "email_sender", "resource", "From: address of e-mail to citizens",
            functions=_OUT),  # local/test default: the municipality's notification_sender (municipality.yaml)
    # -------------------------------------------------------------- tunables (documented defaults)
    Setting("ULAKBEL_LEASE_SECONDS", "lease_seconds", "tunable", "department task lease", default=300),
    Setting("ULAKBEL_MAX_BODY_BYTES", "max_body_bytes", "tunable", "largest accepted request body",
            default=256 * 1024),
    Setting("ULAKBEL_REOPEN_WINDOW_HOURS", "reopen_window_hours", "tunable",
            "a citizen reply within this reopens a resolved request", default=168),
    Setting("ULAKBEL_ESCALATION_WARN_HOURS", "escalation_warn_hours", "tunable",
            "warn the department lead this long before due_at", default=24),
    Setting("ULAKBEL_RETENTION_DAYS", "retention_days", "tunable",
            "KVKK: anonymise closed requests after this many days", default=730),
    Setting("NETGSM_WINDOW_MINUTES", "netgsm_window_minutes", "tunable", "Netgsm inbox poll window",
            default=30),
    Setting("ULAKBEL_OUTBOX", "outbox", "tunable", "record sends instead of calling platforms (local only)",
            default=_outbox_default),
    Setting("ULAKBEL_SMS_PROVIDER", "sms_provider", "tunable", "sns | twilio | netgsm", default="sns"),
    Setting("SMS_SENDER_ID", "sms_sender_id", "tunable", "alphanumeric SMS sender id (optional)"),
    Setting("ULAKBEL_NOTIFY_DAILY_CAP", "daily_cap", "tunable", "notifications per citizen per day", default=5),
    Setting("ULAKBEL_SMS_COUNTRIES", "sms_country_list", "tunable",
            "SMS pumping: comma-separated ISO countries whose mobile numbers may get SMS", default="TR"),
    Setting("ULAKBEL_NOTIFY_APP_HOURLY_CAP", "app_hourly_cap", "tunable",
            "notification events (SMS or e-mail) per Open311 API key per hour", default=300),
    Setting("ULAKBEL_OUTBOUND_BACKOFF_SECONDS", "backoff_base_seconds", "tunable", "first retry delay",
            default=30),
    Setting("ULAKBEL_OUTBOUND_MAX_ATTEMPTS", "max_attempts", "tunable", "sends before the DLQ", default=5),
    Setting("WHATSAPP_REPLY_TEMPLATE", "whatsapp_template", "tunable",
            "approved WhatsApp template outside the 24 h window", default="ulakbel_yanit"),
    Setting("TWILIO_MESSAGING_SERVICE_SID", "twilio_messaging_service_sid", "tunable",
            "Twilio messaging service (optional; else TWILIO_FROM_NUMBER)"),
    # -------------------------------------------------------------- the municipality (issue 22: docs/municipality.md)
    Setting("ULAKBEL_MUNICIPALITY", "municipality", "tunable",
            "folder under municipalities/ (or an absolute path) with everything of one municipality; "
            "default: the name in municipalities/DEFAULT"),
    # -------------------------------------------------------------- single data-file replacements (override one file)
    Setting("ULAKBEL_DEPARTMENTS_FILE", "departments_file", "tunable", "departments.json replacement (müdürlük codes)"),
    Setting("ULAKBEL_CALENDAR_FILE", "calendar_file", "tunable", "SLA working-day calendar replacement (YAML)"),
    Setting("ULAKBEL_TEMPLATES_FILE", "templates_file", "tunable", "citizen notification templates replacement"),
    Setting("ULAKBEL_TAXONOMY_FILE", "taxonomy_file", "tunable", "categories and routing rules replacement"),
    Setting("ULAKBEL_NEIGHBOURHOODS_FILE", "neighbourhoods_file", "tunable", "mahalle gazetteer replacement"),
    Setting("ULAKBEL_BOUNDARIES_FILE", "boundaries_file", "tunable", "mahalle polygons replacement (GeoJSON)"),
    Setting("ULAKBEL_MODEL_FILE", "model_file", "tunable", "trained classifier weights replacement (model.json.gz)"),
    # -------------------------------------------------------------- public endpoint rate limits ("<hits>/<seconds>" | off)
    Setting("ULAKBEL_RATE_LIMIT_WEBHOOK", "rate_limit_webhook", "tunable",
            "per source address and webhook path (default 1200/60; off on local unless set)"),
    Setting("ULAKBEL_RATE_LIMIT_OPEN311", "rate_limit_open311", "tunable",
            "Open311 POST per API key and per client address (default 60/600)"),
    Setting("ULAKBEL_RATE_LIMIT_OPEN311_READ", "rate_limit_open311_read", "tunable",
            "public Open311 reads per client address (default 120/60)"),
    Setting("ULAKBEL_RATE_LIMIT_CRC", "rate_limit_crc", "tunable", "X CRC per source address (default 30/3600)"),
    # -------------------------------------------------------------- secrets we generate
    Setting("ULAKBEL_PII_PEPPER", "pii_pepper", "secret", "KVKK: HMAC key of citizen lookup keys",
            functions=CITIZEN_KEY_FUNCTIONS, local_default="local-dev-pepper-not-secret"),
    Setting("ULAKBEL_LINK_SIGNING_KEY", "link_key", "secret",
            "HMAC key of citizens' tracking and survey links (never a token key)",
            functions=("api_handler", "notify_citizens"), local_default="dev-link-key"),
    Setting("OPEN311_APP_API_KEY", "open311_app_api_key", "secret",
            "the citizens' app (/app) own Open311 api_key", functions=_API),
    Setting("OPEN311_KEY_PEPPER", "open311_key_pepper", "secret",
            "HMAC key under which issued Open311 api_keys are stored", functions=_API,
            local_default="local-open311-pepper-not-secret"),
    # -------------------------------------------------------------- channel credentials (operator copies them in)
    _channel("META_VERIFY_TOKEN", "Meta webhook verify token", _API),
    _channel("META_APP_SECRET", "Meta app secret (X-Hub-Signature-256)", _API),
    _channel("INSTAGRAM_APP_SECRET", "Instagram app secret, when it is a separate app", _API),
    _channel("X_CONSUMER_SECRET", "X consumer secret (CRC and signatures)", _API),
    _channel("YOUTUBE_WEBSUB_SECRET", "WebSub hub.secret", ("api_handler", "youtube_renew_websub")),
    _channel("YOUTUBE_API_KEY", "YouTube Data API key",
             ("api_handler", "youtube_poll_comments", "youtube_renew_websub")),
    _channel("YOUTUBE_CHANNEL_ID", "the municipality's YouTube channel id",
             ("api_handler", "youtube_poll_comments", "youtube_renew_websub")),
    _channel("TWILIO_AUTH_TOKEN", "Twilio auth token (signatures, sending, fetching voicemail recordings)",
             ("api_handler", "send_outbound", "transcribe_voicemail")),
    _channel("TWILIO_ACCOUNT_SID", "Twilio account SID (sending, fetching voicemail recordings)",
             ("send_outbound", "transcribe_voicemail")),
    _channel("TWILIO_FROM_NUMBER", "Twilio sending number", _OUT),
    _channel("NETGSM_USERCODE", "Netgsm user code", ("netgsm_poll",)),
    _channel("NETGSM_PASSWORD", "Netgsm password", ("netgsm_poll",)),
    _channel("META_PAGE_TOKEN", "Facebook page access token (replies)", _OUT),
    _channel("META_PAGE_ID", "Facebook page id", _OUT),
    _channel("INSTAGRAM_ACCOUNT_ID", "Instagram business account id", _OUT),
    _channel("WHATSAPP_TOKEN", "WhatsApp Cloud API token", _OUT),
    _channel("WHATSAPP_PHONE_NUMBER_ID", "WhatsApp phone number id", _OUT),
    _channel("X_USER_TOKEN", "X user-context token (replies)", _OUT),
    _channel("YOUTUBE_OAUTH_TOKEN", "YouTube OAuth token (comment replies)", _OUT),
    # Issue 22: Web Push to the citizens' app. A P-256 key (base64url raw private value), not a random string:
    # made with `ulakbel vapid-keys` and copied in; the app gets the public half, the sender signs with it.
    _channel("VAPID_PRIVATE_KEY", "VAPID key of Web Push to the citizens' app (ulakbel vapid-keys)",
             ("api_handler", "send_outbound"), local_default="_dP4PtRZQgINLfNFc7MQ_P_BmLEQG9FzVPZvlO4nwfM"),  # local/test only: published, not secret
    # -------------------------------------------------------------- local/test only
    Setting("ULAKBEL_DEV_SIGNING_KEY", "dev_signing_key", "local",
            "HS256 key of dev tokens (local/test only; deployed stages use the user pool)", stages=()),
    Setting("OPEN311_DEV_API_KEY", "open311_dev_api_key", "local", "Open311 api_key of `ulakbel dev`",
            stages=()),
)
BY_ENV: dict[str, Setting] = {s.env: s for s in SETTINGS}
SECRETS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.kind == "secret")


def secret_name(stage: str, env: str) -> str:
    return f"ulakbel/{stage}/{env}"


def is_local(stage: str) -> bool:
    return stage in LOCAL_STAGES


def _reads(setting: Setting, stage: str, function: str) -> bool:
    return function in setting.functions and stage in setting.stages


def secret_specs(stage: str) -> list[SecretSpec]:
    """The Secrets Manager secrets of a deployed stage (infra creates them; `ulakbel dev --stage prod` creates
    them in moto, with a generated value for every one: none of them may be a constant)."""
    if is_local(stage):
        return []
    return [SecretSpec(name=secret_name(stage, s.env), env_var=s.env, description=s.description,
                       generate=s.generate, functions=s.functions) for s in SECRETS if stage in s.stages]


def function_secrets(stage: str, function: str) -> list[SecretSpec]:
    """The secrets one function reads (infra grants secretsmanager:GetSecretValue on exactly these)."""
    return [spec for spec in secret_specs(stage) if function in spec.functions]


def lambda_environment(stage: str, function: str, resources: Mapping[str, str]) -> dict[str, str]:
    """The environment of one Lambda function on a deployed stage.

    `resources` maps a resource setting's variable (ULAKBEL_TABLE, PUBLIC_BASE_URL, COGNITO_ISSUER, ...) to its
    value (a CloudFormation token in infra/, a moto value in `ulakbel dev --stage prod`); a resource left out is
    simply absent, and the parity check reports it. Secrets appear as `<NAME>_SECRET_ID` = the secret's name,
    never as values. Tunables keep their defaults unless `resources` names them.
    """
    env: dict[str, str] = {"ULAKBEL_STAGE": stage}
    for s in SETTINGS:
        if not _reads(s, stage, function):
            continue
        if s.kind == "secret":
            env[s.secret_env] = secret_name(stage, s.env)
        elif s.kind in ("resource", "tunable") and resources.get(s.env) not in (None, ""):
            env[s.env] = str(resources[s.env])
    return env


RESOURCE_VARIABLES: tuple[str, ...] = tuple(s.env for s in SETTINGS if s.kind == "resource")


def process_environment(stage: str, resources: Mapping[str, str]) -> dict[str, str]:
    """The union of every function's environment: what one process hosting all of them (`ulakbel dev --stage
    prod`, where the API and every consumer share the process) must set. `resources` as in lambda_environment
    (RESOURCE_VARIABLES lists the names); create `secret_specs(stage)` in Secrets Manager first."""
    env: dict[str, str] = {}
    for function in FUNCTIONS:
        env.update(lambda_environment(stage, function, resources))
    return env


def required_environment(stage: str, function: str) -> set[str]:
    """Variables a function's environment must hold on a deployed stage (what the code reads and cannot do without)."""
    if is_local(stage):
        return set()
    out = {"ULAKBEL_STAGE"}
    for s in SETTINGS:
        if not (_reads(s, stage, function) and s.required):
            continue
        if s.kind == "secret":
            out.add(s.secret_env)
        elif s.kind == "resource":
            out.add(s.env)
    return out


def missing_environment(stage: str, function: str, environment: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in required_environment(stage, function) if environment.get(k) in (None, ""))


def secret_values_in(environment: Iterable[str]) -> list[str]:
    """Names in an environment that would carry a secret's value (deployed stages carry only `_SECRET_ID`)."""
    return sorted(k for k in environment if k in BY_ENV and BY_ENV[k].kind in ("secret", "local"))


def declared_stage() -> str:
    """ULAKBEL_STAGE as the process starts, for what handlers fix when they are declared (SNS topic names),
    before any settings model is built: pydantic stays out of the cold-start import path. The one read of the
    environment outside chalicelib/settings.py (tests/unit/test_settings.py DIRECT_READERS)."""
    import os

    return os.environ.get("ULAKBEL_STAGE") or "local"
