"""Outbound settings (platform credentials, SMS provider, caps), parsed once from the environment."""
from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


class OutboundSettings(BaseModel):
    stage: str = "local"
    public_base_url: str = "http://127.0.0.1:8000"
    outbox: bool = True
    sms_provider: str = "sns"
    sms_sender_id: str | None = None
    email_sender: str = "bildirim@talas.bel.tr"
    ses_configuration_set: str | None = None
    daily_cap: int = 5
    sms_countries: tuple[str, ...] = ("TR",)  # SMS pumping: only these countries' mobile numbers get SMS
    app_hourly_cap: int = 300  # notification events (SMS or e-mail) per Open311 API key per hour
    backoff_base_seconds: int = 30
    max_attempts: int = 5
    link_key: str = "dev-link-key"
    env: dict[str, str | None] = {}

    def _cred(self, name: str) -> str | None:
        """Locally (outbox) a missing credential is a placeholder: the outbox shows the request anyway."""
        return self.env.get(name) or (f"dev-{name.lower()}" if self.outbox else None)

    def meta_config(self):
        from .channels.meta.outbound import MetaConfig

        c = self._cred
        return MetaConfig(page_token=c("META_PAGE_TOKEN"), page_id=c("META_PAGE_ID"),
                          instagram_id=c("INSTAGRAM_ACCOUNT_ID"), whatsapp_token=c("WHATSAPP_TOKEN"),
                          whatsapp_phone_number_id=c("WHATSAPP_PHONE_NUMBER_ID"),
                          whatsapp_template=self.env.get("WHATSAPP_REPLY_TEMPLATE") or "ulakbel_yanit")

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
                            messaging_service_sid=self.env.get("TWILIO_MESSAGING_SERVICE_SID"),
                            status_callback=f"{self.public_base_url}/webhooks/twilio/status")


_KEYS = ("META_PAGE_TOKEN", "META_PAGE_ID", "INSTAGRAM_ACCOUNT_ID", "WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID",
         "WHATSAPP_REPLY_TEMPLATE", "X_USER_TOKEN", "YOUTUBE_OAUTH_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
         "TWILIO_FROM_NUMBER", "TWILIO_MESSAGING_SERVICE_SID")


@lru_cache(maxsize=1)
def get_outbound_settings() -> OutboundSettings:
    stage = _env("ULAKBEL_STAGE", "local") or "local"
    return OutboundSettings(
        stage=stage,
        public_base_url=(_env("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
        # Locally platforms are never called: the outbox records what would have been sent.
        outbox=(_env("ULAKBEL_OUTBOX", "1" if stage == "local" else "0") == "1"),
        sms_provider=_env("ULAKBEL_SMS_PROVIDER", "sns") or "sns",
        sms_sender_id=_env("SMS_SENDER_ID"),
        email_sender=_env("ULAKBEL_EMAIL_SENDER", "bildirim@talas.bel.tr") or "bildirim@talas.bel.tr",
        ses_configuration_set=_env("SES_CONFIGURATION_SET"),
        daily_cap=int(_env("ULAKBEL_NOTIFY_DAILY_CAP", "5") or 5),
        sms_countries=tuple(c.strip().upper() for c in (_env("ULAKBEL_SMS_COUNTRIES", "TR") or "TR").split(",")
                            if c.strip()),
        app_hourly_cap=int(_env("ULAKBEL_NOTIFY_APP_HOURLY_CAP", "300") or 300),
        backoff_base_seconds=int(_env("ULAKBEL_OUTBOUND_BACKOFF_SECONDS", "30") or 30),
        link_key=_env("ULAKBEL_LINK_SIGNING_KEY") or _env("ULAKBEL_DEV_SIGNING_KEY") or "dev-link-key",
        env={k: _env(k) for k in _KEYS},
    )
