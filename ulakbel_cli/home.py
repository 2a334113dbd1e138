"""The .ulakbel/ directory: dev secrets, keys and state that must survive restarts."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

# Channel and service secrets the local system needs. Environment variables win; missing ones are
# generated once and kept in .ulakbel/dev-secrets.json so webhooks signed yesterday still verify.
DEV_SECRETS: tuple[str, ...] = (
    "ULAKBEL_DEV_SIGNING_KEY",
    "META_VERIFY_TOKEN",
    "META_APP_SECRET",
    "X_CONSUMER_SECRET",
    "YOUTUBE_WEBSUB_SECRET",
    "TWILIO_AUTH_TOKEN",
    "OPEN311_DEV_API_KEY",
    "ULAKBEL_PII_PEPPER",
    "ULAKBEL_LINK_SIGNING_KEY",
    "OPEN311_KEY_PEPPER",
    "VAPID_PRIVATE_KEY",
)


def _generate(name: str) -> str:
    if name == "VAPID_PRIVATE_KEY":  # a P-256 key, not a random string (Web Push, issue 22)
        from chalicelib.channels.webpush.outbound import generate_vapid_private_key

        return generate_vapid_private_key()
    return secrets.token_urlsafe(24)


def home() -> Path:
    path = Path(os.environ.get("ULAKBEL_HOME") or Path.cwd() / ".ulakbel")
    path.mkdir(parents=True, exist_ok=True)
    return path


def dev_secrets() -> dict[str, str]:
    file = home() / "dev-secrets.json"
    stored: dict[str, str] = json.loads(file.read_text()) if file.exists() else {}
    changed = False
    for name in DEV_SECRETS:
        if name not in stored:
            stored[name] = _generate(name)
            changed = True
    if changed:
        file.write_text(json.dumps(stored, indent=2))
        file.chmod(0o600)
    return {name: os.environ.get(name) or stored[name] for name in DEV_SECRETS}
