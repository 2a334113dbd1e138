"""`ulakbel sign-webhook` prints exactly the header the webhook endpoints accept."""
from __future__ import annotations

import pytest

from tests.conftest import FIXTURES


@pytest.mark.parametrize("platform,fixture,env", [
    ("meta", "meta/whatsapp_text.json", "META_APP_SECRET"),
    ("x", "x/aaa_dm.json", "X_CONSUMER_SECRET"),
    ("youtube", "youtube/websub_upload.xml", "YOUTUBE_WEBSUB_SECRET"),
])
def test_sign_webhook_output_verifies(platform, fixture, env, monkeypatch, tmp_path, capsys):
    from importlib import import_module

    from ulakbel_cli.main import main

    monkeypatch.setenv("ULAKBEL_HOME", str(tmp_path))
    monkeypatch.setenv(env, "cli-secret")
    path = FIXTURES / fixture
    assert main(["sign-webhook", platform, str(path)]) == 0
    name, _, value = capsys.readouterr().out.strip().partition(": ")
    inbound = import_module(f"chalicelib.channels.{platform}.inbound")
    assert name == inbound.SIGNATURE_HEADER
    secret = ["cli-secret"] if platform == "meta" else "cli-secret"
    assert inbound.verify_signature(path.read_bytes(), value, secret)
